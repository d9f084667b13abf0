"""A test vector as docs/log-leaves.md gives it: the first two code blocks after a heading
(the leaf's bytes, then its leaf hash in hex), read from the document so that the document
and the code cannot drift apart."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-leaves.md"


def example(after: str) -> tuple[bytes, str]:
    """(the leaf's bytes, its hash) of the example that follows the text `after`."""
    part = DOC.read_text().split(after, 1)[1]
    leaf, digest = re.findall(r"```\n(.*?)\n```", part, re.DOTALL)[:2]
    return leaf.encode(), digest
