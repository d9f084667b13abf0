"""Wake-ups for the log's one writer (`writer`) between the processes of one machine: a leaf
committed to the outbox wakes the writer at once, and a round of the publisher waiting for a
checkpoint asks the writer for one and is woken when it is signed, instead of each looking at
the database on a clock.

Abstract Unix datagram sockets (Linux): an address with no file behind it, gone with its
process (a killed writer leaves nothing to clean up), named from the database and the election
(`address`), so that the processes of one database meet and those of another never do. A
datagram is a hint, never the truth: a lost one (a writer on another machine, a full queue, no
writer yet) costs the fallback interval of the one who waits (`timing.LOG_POLL` for the writer,
`integrator.WAIT_POLL` for a round), after which it looks at the database as before.

Messages: `leaf` (leaves were committed: the writer integrates when its gap allows), `want` (a
round waits for a checkpoint covering what waits now: the writer integrates at once and answers
`signed` to the sender's own autobound address)."""

from __future__ import annotations

import contextlib
import hashlib
import select
import socket

_addresses: dict[str, bytes] = {}


def address(election_id: str) -> bytes:
    """The abstract address of the election's writer on this database."""
    got = _addresses.get(election_id)
    if got is None:
        from sailau.ledger import writer

        digest = hashlib.sha256(f"{writer.database()}\n{election_id}".encode()).hexdigest()
        got = _addresses[election_id] = b"\0sailau-log-writer-" + digest[:24].encode()
    return got


def _send(sock: socket.socket, message: bytes, to: bytes) -> bool:
    try:
        sock.sendto(message, to)
        return True
    except OSError:  # no writer bound (refused), its queue full: the fallback interval covers it
        return False


_out: socket.socket | None = None


def poke(election_ids) -> None:
    """Tell the writers of these elections that leaves were committed (after the commit)."""
    global _out
    if _out is None:
        _out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _out.setblocking(False)
    for eid in set(election_ids):
        _send(_out, b"leaf", address(eid))


class Inbox:
    """The writer's side: one bound socket per election it writes (`open`), waited on together
    (`wait`); the rounds that asked are answered after the integration (`answer`)."""

    def __init__(self):
        self.socks: dict[str, socket.socket] = {}
        self.askers: dict[str, set[bytes]] = {}

    def open(self, election_id: str) -> None:
        if election_id in self.socks:
            return
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            s.bind(address(election_id))
        except OSError:  # bound by a writer that has not yet gone: the fallback interval
            s.close()
            return
        s.setblocking(False)
        self.socks[election_id] = s

    def wait(self, timeout: float) -> set[str]:
        """Until a message comes or `timeout` passes; the elections a round asked a checkpoint
        for (a `leaf` only wakes)."""
        if not self.socks:
            select.select([], [], [], timeout)
            return set()
        ready, _, _ = select.select(list(self.socks.values()), [], [], timeout)
        wanted = set()
        for eid, s in self.socks.items():
            if s not in ready:
                continue
            while True:
                try:
                    message, sender = s.recvfrom(16)
                except BlockingIOError:
                    break
                if message == b"want" and sender:
                    self.askers.setdefault(eid, set()).add(sender)
                    wanted.add(eid)
        return wanted

    def answer(self, election_id: str) -> None:
        s = self.socks.get(election_id)
        for to in self.askers.pop(election_id, ()):
            if s is not None:
                _send(s, b"signed", to)

    def close(self) -> None:
        for s in self.socks.values():
            s.close()
        self.socks.clear()


@contextlib.contextmanager
def asking(election_id: str):
    """A round's side: yields `ask(timeout)`, which asks the writer for a checkpoint and waits
    for its answer at most `timeout` seconds (then the caller looks at the database anyway)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        s.bind("")  # an abstract address of the kernel's choosing, for the answer
        to = address(election_id)

        def ask(timeout: float) -> None:
            if _send(s, b"want", to):
                select.select([s], [], [], timeout)
                with contextlib.suppress(BlockingIOError):
                    while s.recv(16, socket.MSG_DONTWAIT):
                        pass
            else:
                select.select([], [], [], timeout)
        yield ask
    finally:
        s.close()
