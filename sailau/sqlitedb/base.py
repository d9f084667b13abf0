"""The backend's DatabaseWrapper: Django's SQLite wrapper whose BEGIN waits its turn in the
machine's queue of writers (`queue`), or is first in line (see the package's text)."""

from __future__ import annotations

import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from sailau.sqlitedb.queue import Gate, WriteQueue

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
    _queue: WriteQueue | None = None
    _gate: Gate | None = None

    def _start_transaction_under_autocommit(self):
        if not _first:
            queue = self._write_queue()
            if queue is None:
                return super()._start_transaction_under_autocommit()
            queue.enter(self._busy_timeout)
            try:
                self._write_gate().pass_through(self._busy_timeout)
                return super()._start_transaction_under_autocommit()
            except BaseException:
                queue.leave()
                raise
        # SQLite's handler off for the BEGIN only (IMMEDIATE: the lock is taken there, so no
        # statement after it waits for one), put back whatever happens.
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        raw = self.connection
        gate = self._write_gate()
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + timeout
            if gate is not None:  # the queue's next writer waits until this one has written
                gate.close(timeout)
            while True:
                try:
                    return super()._start_transaction_under_autocommit()
                except OperationalError as exc:  # (Django's cursor wraps sqlite3's)
                    if not _locked(exc) or time.monotonic() >= deadline:
                        raise
                time.sleep(RETRY)
        except BaseException:
            if gate is not None:
                gate.open()
            raise
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_queue()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self._queue is not None:
                self._queue.close()
                self._queue = None
            if self._gate is not None:
                self._gate.forget()
                self._gate = None

    def _leave_queue(self) -> None:
        if self._queue is not None:
            self._queue.leave()
        if self._gate is not None:
            self._gate.open()

    def _write_gate(self) -> Gate | None:
        """The gate before the write lock (`queue.Gate`); None for a database in memory."""
        if self._gate is None and not self.is_in_memory_db():
            self._gate = Gate(f"{self.settings_dict['NAME']}.write-gate")
        return self._gate

    def _write_queue(self) -> WriteQueue | None:
        """This connection's place in the queue of the database's writers; None for a database
        in memory (one process's: a test's)."""
        if self._queue is None and not self.is_in_memory_db():
            self._queue = WriteQueue(f"{self.settings_dict['NAME']}.write-queue")
        return self._queue

    def _busy_timeout(self) -> float:
        """The connection's busy timeout, seconds: the server's 30, or what a build set."""
        return self.connection.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
