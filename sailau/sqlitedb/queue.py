"""The queue for SQLite's write lock: a transaction's BEGIN first takes an exclusive `flock` on
`<database>.write-queue`, and gives it back when the transaction ends (`base.DatabaseWrapper`).

Why. SQLite has one write lock and no queue for it: a writer that finds it taken sleeps in
SQLite's busy handler, 1, 2, 5 ... and after a third of a second 100 ms between two tries, so
that the lock, once freed, often lies free until a sleeper wakes. With the server's 2 x 32
threads, the publisher and the lanes all asking, a traced 100,000-station night (bench_night,
py-spy) found about 50 threads asleep in that handler at every sample while the lock was free
much of the time: the operators' entries waited p95 10 s and 27 of them the full 30 s
(`409 concurrent_change`). A `flock` waiter is woken by the kernel the moment the lock is given
back, so the next writer begins at once, and the waiting threads sleep rather than poll.

What it is not. It is the order in which this machine's writers ask, not a lock of its own: a
writer that does not queue (the log's lane, which is first in line, `base.first_in_line`; a
bare statement outside a transaction; another program) still meets SQLite's lock and its busy
handler, as before. A waiter gives up after the connection's busy timeout (30 s on the server,
longer during the demo's build) with SQLite's own "database is locked", which the callers
already answer (a 409 for an entry).

The gate (`Gate`, `<database>.write-gate`). A first-in-line writer polls for the lock every
millisecond, but the queue's next writer, woken by the kernel, is usually quicker: a traced
national night's log lane waited about 55 ms a checkpoint for the lock, behind the
writers queued when it asked. So it closes the gate while it waits and writes, and the queue's
head, which passes the gate before its BEGIN, waits there (at most its busy timeout, as in the
queue): the lane waits only for the transaction in progress."""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db import OperationalError


class WriteQueue:
    """One connection's place in the queue (a connection belongs to one thread)."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None
        self.held = False

    def enter(self, timeout) -> None:
        """Wait for the queue's lock, at most `timeout()` seconds (asked only when it is taken)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._wait(timeout())
        self.held = True

    def leave(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.leave()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _wait(self, timeout: float) -> None:
        """A blocking `flock` has no timeout: it is taken by a helper thread, and the caller
        waits for that thread at most `timeout`. A helper given up on keeps the descriptor it
        waits on and closes it when it gets the lock (closing gives the lock back); the
        connection opens another, so that a lock taken late is never mistaken for its own."""
        fd, got, mutex, gave_up = self._fd, threading.Event(), threading.Lock(), [False]

        def take() -> None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with mutex:
                if gave_up[0]:
                    os.close(fd)
                else:
                    got.set()

        threading.Thread(target=take, name="sqlite-write-queue", daemon=True).start()
        if got.wait(timeout):
            return
        with mutex:
            if got.is_set():
                return
            gave_up[0] = True
        self._fd = None
        raise OperationalError("database is locked (waited for the other writers' turn)")


class Gate:
    """The gate before SQLite's write lock: closed (`close`) by a first-in-line writer from the
    moment it asks for the lock until its transaction ends (`open`); the queue's head passes it
    (`pass_through`) before its BEGIN. One connection's; a lock the kernel takes back if the
    process dies."""

    POLL = 0.001  # seconds between two looks at a closed gate

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None
        self.closed_by_me = False

    def close(self, timeout: float) -> None:
        self._take(fcntl.LOCK_EX, timeout)
        self.closed_by_me = True

    def open(self) -> None:
        if self.closed_by_me:
            self.closed_by_me = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def pass_through(self, timeout) -> None:
        self._take(fcntl.LOCK_SH, timeout)
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def forget(self) -> None:
        self.open()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _take(self, how: int, timeout) -> None:
        """Polled, not blocking: a gate is closed for a transaction's milliseconds, and a
        blocking `flock` has no timeout. `timeout`: seconds, or a function giving them (asked
        only when the gate is closed)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = None
        while True:
            try:
                fcntl.flock(self._fd, how | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                now = time.monotonic()
                if deadline is None:
                    deadline = now + (timeout() if callable(timeout) else timeout)
                if now >= deadline:
                    raise OperationalError("database is locked (the write gate stayed "
                                           "closed)") from None
                time.sleep(self.POLL)
