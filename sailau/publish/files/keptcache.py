"""The cache that the pages and the published files' results over time share (Django's cache
`pages`), and what a process keeps in memory beside it: the series of arrivals kept between
renders and rounds (`progress_series`) and the pages (`pages/pagecache.py`, which renders
and answers from it) read it here, below both, so that the files never read the pages' package.
Its keys carry the code's build (`BUILD`): an upgrade never reads what an older build kept."""

from __future__ import annotations

import hashlib
import threading
import uuid
from pathlib import Path

from django.core.cache import caches

CACHE_ALIAS = "pages"

# What a process keeps in memory beside the page cache (`memory`), and the generation of the
# page cache it belongs to: emptied whenever the page cache is (a demo rebuilt, a test's fresh
# cache), because its keys are built from row ids that a new database hands out again.
_memory: dict[str, dict] = {}
_generation: list[str] = [""]
_memory_lock = threading.Lock()


def memory(name: str) -> dict:
    """A dict of this process for `name`, with the lifetime of the page cache's contents. One
    small cache read a call (the generation's token)."""
    token = _cache().get_or_set("memory-generation", lambda: uuid.uuid4().hex, timeout=None)
    with _memory_lock:
        if _generation[0] != token:
            _memory.clear()
            _generation[0] = token
        return _memory.setdefault(name, {})


def _cache():
    from django.conf import settings

    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def _build() -> str:
    """What a rendered page also depends on besides the rows: the code (a view or a template tag
    changed without a new version number), the templates, the translations and the static files.
    Read once at start-up, so that an upgrade never serves old pages from a shared cache."""
    import sailau

    root = Path(sailau.__file__).parent
    stamps = [sailau.__version__]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".css", ".js"):
            stamps.append(f"{path.relative_to(root)}:{path.stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:12]


BUILD = _build()


def digest(*parts) -> str:
    h = hashlib.sha256()
    h.update(BUILD.encode())
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\x00")
    return h.hexdigest()[:32]
