"""Which tests reach the file storage (Django's STORAGES "default", "snapshots", "recordings").

The object-storage pass of scripts/test runs only the tests marked `stores_files`: the others
never reach a storage, and run the same code on a bucket as on the disk. The mark is given by
hand, or found: with SAILAU_TEST_STORAGE_LIST=<file>, a pass on the local disk writes there the
tests that reached a storage, and the object-storage pass marks them (scripts/test gives both
the same file), so that a new test that stores or reads a file is never left out of that pass.

Reaching a storage is resolving one of its aliases (`storages[alias]`, or `default_storage`,
through which FileFields store), in the test or its function-scoped fixtures. A storage resolved
by a session or module fixture is that fixture's: the test that happens to run it first (which
depends on how xdist shares the tests out) is not told. Two kinds of test are marked by hand:
one whose `sailau` subprocess stores files (not seen here), and one skipped on the local disk.
"""

from __future__ import annotations

import contextlib
import os

from sailau.filestores import ALIASES, s3_enabled

MARK = "stores_files"
LIST = "SAILAU_TEST_STORAGE_LIST"

_reached: set[str] = set()
_watching = [False]


def _install() -> None:
    from django.core.files.storage.handler import StorageHandler

    if getattr(StorageHandler, "_sailau_watched", False):
        return
    resolve = StorageHandler.__getitem__

    def __getitem__(self, alias):
        if _watching[0] and alias in ALIASES:
            _reached.add(alias)
        return resolve(self, alias)

    StorageHandler.__getitem__ = __getitem__
    StorageHandler._sailau_watched = True


def _forget_default() -> None:
    """`default_storage` resolves its alias once per process: make its next use resolve it again,
    so that the use is seen."""
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    default_storage._wrapped = empty


def start() -> None:
    _install()
    _reached.clear()
    _forget_default()
    _watching[0] = True


@contextlib.contextmanager
def unwatched():
    """A fixture of a wider scope than the test: what it reaches is not the test's."""
    was = _watching[0]
    _watching[0] = False
    try:
        yield
    finally:
        _watching[0] = was
        if was:
            _forget_default()


def stop() -> set[str]:
    _watching[0] = False
    return set(_reached)


def record(item, reached: set[str]) -> None:
    """On the local disk: append `item` to the list when it reached a storage."""
    path = os.environ.get(LIST)
    if not reached or not path or s3_enabled():
        return
    # One short line per write, in append mode: the xdist workers' lines never interleave.
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{item.nodeid}\t{','.join(sorted(reached))}\n")


def mark_listed(items) -> None:
    """On object storage: mark the tests the local pass found reaching a storage."""
    path = os.environ.get(LIST)
    if not path or not s3_enabled():
        return
    try:
        with open(path, encoding="utf-8") as fh:
            listed = {line.split("\t", 1)[0] for line in fh if line.strip()}
    except FileNotFoundError:
        return
    import pytest

    for item in items:
        if item.nodeid in listed:
            item.add_marker(pytest.mark.stores_files)


@contextlib.contextmanager
def noting():
    """The storages reached inside the block, in a set (still counted as the test's)."""
    before = set(_reached)
    _reached.clear()
    seen: set[str] = set()
    try:
        yield seen
    finally:
        seen |= _reached
        _reached.update(before)


def reached(aliases) -> None:
    """Count `aliases` as reached by the running test: what a build it was spared would have
    reached (tests/builtonce.py)."""
    if _watching[0]:
        _reached.update(aliases)
