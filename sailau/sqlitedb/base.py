"""The backend's DatabaseWrapper: Django's SQLite wrapper whose BEGIN can be first in line
(see the package's text)."""

from __future__ import annotations

import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

RETRY = 0.001  # seconds between two tries for the write lock when first in line
_first = False


def first_in_line(on: bool = True) -> None:
    """This process's transactions (from now on, every thread's) take the write lock as soon as
    it frees rather than after SQLite's sleeps. For one latency-bound writer per database."""
    global _first
    _first = on


def _locked(exc: Exception) -> bool:
    return "database is locked" in str(exc)  # SQLITE_BUSY: another connection writes


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if not _first:
            return super()._start_transaction_under_autocommit()
        # SQLite's handler off for the BEGIN only (IMMEDIATE: the lock is taken there, so no
        # statement after it waits for one), put back whatever happens.
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    return super()._start_transaction_under_autocommit()
                except OperationalError as exc:  # (Django's cursor wraps sqlite3's)
                    if not _locked(exc) or time.monotonic() >= deadline:
                        raise
                time.sleep(RETRY)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
