"""The cache every server process of one machine shares (settings.CACHES["default"]). Rate
limits are not kept here but in the database (sailau.ratewindow): a cache forgets entries past
its cap and is not shared by another web node.

Django's file cache shared through the data directory, with `add` and `incr` made atomic across
processes by a lock file: Django's own read the value and write it back, so two workers counting
the same request at once would both write n + 1."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    @contextmanager
    def _locked(self):
        Path(self._dir).mkdir(parents=True, exist_ok=True)
        with open(Path(self._dir) / ".lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def add(self, key, value, timeout=None, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked():
            return super().incr(key, delta, version)
