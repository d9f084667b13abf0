"""A brand-new SQLite database migrated by copying a schema the same code migrated before.

Why. `migrate` on an empty file applies every migration of every application, and Django
renders the models' state after each of them: about 6 s of CPU for the national demo, whose
database is brand new at every build (a twentieth of it). The result depends only on the code
(the migrations, the fields they name, Django, SQLite), so the first build keeps a copy of the
freshly migrated file in the user's cache, named by a digest of that code, and a later build on
a brand-new file copies it in (SQLite's backup, a few milliseconds) before `migrate`, which then
finds every migration recorded and has nothing to apply: `showmigrations` and `migrate --check`
say what they say of a file migrated step by step, because it is one.

Only for a file with no table yet (`is_empty`): a database in use is always migrated in place.
A copy interrupted half-way is SQLite's transaction rolled back (the file is empty again, and the
next start migrates or copies anew); the cache file is written beside its name and renamed, so a
reader never sees half of one. Any change to the code (a migration, a field class, Django's or
SQLite's version) gives another digest: a stale schema is never copied."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import django

# `SAILAU_SCHEMA_CACHE=0` turns it off (every new database migrated step by step).
ENV = "SAILAU_SCHEMA_CACHE"
# Schemas kept, the most recently used (about 1.5 MB each): every change to the code makes a
# new one, and a developer's cache would otherwise grow with each.
KEEP = 3


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sailau" / "schemas"


def _digest() -> str:
    """Of everything the migrated schema can depend on: every Python file of sailau (its
    migrations and the field classes they name), Django's and SQLite's versions, and the
    applications installed, in their order."""
    from django.apps import apps

    h = hashlib.sha256()
    h.update(f"{django.__version__}\0{sqlite3.sqlite_version}\0".encode())
    for config in apps.get_app_configs():
        h.update(f"{config.label}:{config.name}\0".encode())
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def is_empty(path: Path) -> bool:
    """Whether the SQLite file has no table (brand new, or a copy that was rolled back)."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        con.close()


def migrate(path: Path, run_migrate) -> bool:
    """Bring the database at `path` up to date with `run_migrate()` (Django's `migrate`); when
    the file is brand new, copy a kept schema in first (and keep one when there was none).
    Returns whether a kept schema was copied."""
    if os.environ.get(ENV) == "0" or not is_empty(path):
        run_migrate()
        return False
    kept = cache_dir() / f"{_digest()}.sqlite3"
    if kept.exists():
        try:
            _copy(kept, path)
        except sqlite3.Error:  # pruned meanwhile by another build: the copy was rolled back
            pass
        else:
            _used(kept)
            run_migrate()  # nothing to apply; its checks and signals run as ever
            return True
    run_migrate()
    _keep(path, kept)
    return False


def _copy(src: Path, dst: Path) -> None:
    """SQLite's online backup of `src` into `dst`, in one transaction on `dst`."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _keep(path: Path, kept: Path) -> None:
    """A copy of the just-migrated file under the digest's name, in the rollback journal's mode
    (one file, no -wal beside it). A cache that cannot be written is no error: the next build
    migrates step by step again."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=kept.parent, suffix=".tmp")
        os.close(fd)
        try:
            _copy(path, Path(tmp))
            con = sqlite3.connect(tmp)
            con.execute("PRAGMA journal_mode=DELETE")
            con.close()
            os.replace(tmp, kept)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        older = sorted(kept.parent.glob("*.sqlite3"), key=lambda f: f.stat().st_mtime)
        for old in older[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def _used(kept: Path) -> None:
    """Marked as recently used (the schemas pruned are the others)."""
    try:
        os.utime(kept)
    except OSError:
        pass
