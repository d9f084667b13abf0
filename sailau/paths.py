"""Where an installation keeps its database and files: everything under SAILAU_DATA_DIR."""

import os
import threading
from functools import lru_cache
from pathlib import Path


def data_dir() -> Path:
    """The data directory (default `var/` under the current directory), created on first use."""
    return _data_dir(os.environ.get("SAILAU_DATA_DIR") or "var", os.getcwd())


@lru_cache(maxsize=16)
def _data_dir(name: str, cwd: str) -> Path:
    # Resolved once per setting: every page view asks, and a resolve is a handful of syscalls.
    path = (Path(cwd) / name).resolve()
    if not path.exists():
        # Its database, secret key and uploads are the owner's alone (an existing directory
        # keeps the mode its administrator gave it).
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
    return path


def write_atomic(path: Path | str, body: bytes | str) -> None:
    """Write a file so that a reader sees the old whole file or the new whole file, never half.
    The temporary name is unique per process and thread: test workers and server threads may write
    the same file at once, and the last rename wins."""
    # (in strings, not pathlib: a publication writes thousands of small files through here)
    head, name = os.path.split(os.fspath(path))
    tmp = os.path.join(head, f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    if isinstance(body, str):
        body = body.encode()
    with open(tmp, "wb") as f:
        f.write(body)
    os.replace(tmp, path)


def demo_ground_truth() -> dict:
    """The synthetic demo's injected falsifications by station id (the `stations` of
    SAILAU_DATA_DIR/demo/ground_truth.json); empty outside a demo, where there is no such file."""
    import json

    path = data_dir() / "demo" / "ground_truth.json"
    return json.loads(path.read_text()).get("stations", {}) if path.exists() else {}
