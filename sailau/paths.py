"""Where an installation keeps its database and files: everything under SAILAU_DATA_DIR."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The data directory (default `var/` under the current directory), created on first use."""
    path = Path(os.environ.get("SAILAU_DATA_DIR") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
