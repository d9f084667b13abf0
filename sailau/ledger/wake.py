"""Wake-ups for the stages of publication, instead of each looking at the database on a clock.
The log's one writer (`writer`): a leaf committed to the outbox wakes it at once, and a round of
the publisher waiting for a checkpoint asks the writer for one and is woken when it is signed.
The stages after it (`STAGES`): the batches are woken by a leaf committed (a definitive
protocol, a turnout report, a decision), a step time or a scan, and a checkpoint signed; the
national lane by a batch's snapshot committed with tables left stale. One interface, whichever
the database: `leaves_written` (in the transaction that writes the leaves), `Inbox` (the
writer's side) and `asking` (a round's side); `stage_written` (in the transaction of a write
that concerns a stage) and `StageInbox` (the stage's side).

- PostgreSQL: LISTEN/NOTIFY, which reaches every process of the database on whatever machine.
  The leaves' transaction itself sends `NOTIFY` (`pg_notify`), and the server delivers it only
  when that transaction commits, after its rows are visible: a rolled-back fact wakes nobody, and
  a writer woken never looks before the leaves are there. Two channels an election, named from
  its id (a database's notifications never reach another's): the writer LISTENs on the first
  (`leaf`, `want`), a round asking on the second (`signed`). The writer listens on a connection
  of its own (Django closes its connections between rounds, and a session's LISTEN goes with
  it), a round on Django's for the time of its wait; a killed process's session, and its
  LISTEN, end with it. What it costs: one statement in each fact's transaction, and the server
  commits the transactions that notified one at a time (one lock, held while each commits):
  four writers of one-row transactions committed about 570 a second with a NOTIFY and 980
  without, on a busy 2-core machine (PostgreSQL 15), far above a night's rate of facts.
- SQLite (one machine's database): abstract Unix datagram sockets (Linux), an address with no
  file behind it, gone with its process (a killed writer leaves nothing to clean up), named from
  the database and the election (`address`), so that the processes of one database meet and
  those of another never do; sent after the commit (`transaction.on_commit`).

A wake-up is a hint, never the truth: a lost one (no writer listening yet, a dropped connection,
on SQLite a process on another machine or a full queue) costs the fallback interval of the one
who waits (`timing.FALLBACK` for the writer and the stages, `integrator.WAIT_POLL` for a
round), after which it looks at the database as before. That interval trades one small query per look against how
long a missed wake-up delays a leaf or a round; it is also how soon a standby writer notices
that the writer died (`writer`).

Messages: `leaf` (leaves were committed: the writer integrates when its gap allows), `want` (a
round waits for a checkpoint covering what waits now: the writer integrates at once and answers
`signed`: on SQLite to the sender's own autobound address, on PostgreSQL to every round of the
election that listens)."""

from __future__ import annotations

import contextlib
import hashlib
import select
import socket
import time

from django.db import connection, transaction

# ---------------------------------------------------------------- one interface


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def leaves_written(election_ids) -> None:
    """Called in the transaction that writes leaves to the outbox: their elections' writers are
    woken when (and only if) it commits."""
    elections = sorted(set(election_ids))
    if not elections:
        return
    if _postgres():
        # In the leaves' own transaction: PostgreSQL holds a NOTIFY back until the commit and
        # drops it with a rollback (outside a transaction, autocommit, it goes at once, after
        # the rows it follows). A notification sent twice in a transaction is delivered once.
        # The batches too: a leaf is a fact their files show (a protocol, a turnout report, a
        # decision), in one statement with the writer's.
        with connection.cursor() as cur:
            cur.execute("SELECT pg_notify(c, 'leaf') FROM unnest(%s::text[]) AS c",
                        [[_channel("leaf", e) for e in elections] + [_stage_channel("batches")]])
    else:
        transaction.on_commit(lambda: poke(elections))
        _poke_stage_on_commit("batches")


# ---------------------------------------------------------------- the stages after the log
#
# The batches (`publish.pipeline.publisher.follow`) and the national lane
# (`publish.pipeline.national_lane`) each serve every election of the database and ask the
# database themselves what changed (`changes.change_mark`, the stale tables): a wake-up tells
# them to look now, never what to do, so each has one channel for the whole database (on
# PostgreSQL a database's notifications never reach another's; on SQLite the address is named
# from the database). What wakes whom is the callers' (`STAGES`).

STAGES = ("batches", "national")


def stage_written(stage: str) -> None:
    """Called in the transaction of a write that concerns `stage` (one of `STAGES`): the stage
    is woken when (and only if) it commits; outside a transaction, at once."""
    if stage not in STAGES:
        raise ValueError(f"no such stage: {stage!r}")
    if _postgres():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_notify(%s, 'written')", [_stage_channel(stage)])
    else:
        _poke_stage_on_commit(stage)


def _poke_stage_on_commit(stage: str) -> None:
    """One datagram a transaction and stage, however many of its writes concern the stage (as
    PostgreSQL delivers one of equal notifications): a stage woken by the first of several
    datagrams would be woken again, for nothing, by the others."""
    poke = _POKES[stage]
    if not connection.in_atomic_block or not any(
            entry[1] is poke for entry in connection.run_on_commit):
        transaction.on_commit(poke)


def StageInbox(stage: str):  # (named as the class it returns, for its callers)
    """A stage's side: `wait(timeout)` until a write that concerns it commits (True) or the
    fallback `timeout` passes (False), every wake-up that came meanwhile taken at once;
    `wakes` counts the waits a wake-up ended (the tests read it); `close()`."""
    if stage not in STAGES:
        raise ValueError(f"no such stage: {stage!r}")
    return _PgStage(stage) if _postgres() else _SocketStage(stage)


def Inbox():  # (named as the class it returns, for its callers)
    """The writer's side: `open(election)` for each election it writes, `wait(timeout)` until a
    message comes (the elections a round asked a checkpoint for), `answer(election)` after the
    integration, `close()`."""
    return _PgInbox() if _postgres() else _SocketInbox()


@contextlib.contextmanager
def asking(election_id: str):
    """A round's side: yields `ask(timeout)`, which asks the writer for a checkpoint and waits
    for its answer at most `timeout` seconds (then the caller looks at the database anyway)."""
    with (_pg_asking if _postgres() else _socket_asking)(election_id) as ask:
        yield ask


def ask_early(election_id: str) -> bool:
    """Ask the election's writer for a checkpoint without waiting for its answer: a round that
    reads the database meanwhile waits only for what it saw (`publish.pipeline.logstep.settle`).
    False when there is no writer to ask (on SQLite none bound on this machine, on PostgreSQL
    none holding the writer's lock: the caller integrates itself) or the ask could not be sent
    (on PostgreSQL inside a transaction, where a NOTIFY waits for the commit)."""
    if _postgres():
        from sailau.ledger import writer

        if connection.in_atomic_block:
            return False
        try:
            if not writer.held_on_postgres(election_id):
                return False
            with connection.cursor() as cur:
                cur.execute("SELECT pg_notify(%s, 'want')", [_channel("leaf", election_id)])
        except Exception:  # noqa: BLE001 - a hint lost: the caller integrates first instead
            return False
        return True
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.bind("")  # a sender the writer counts as asking; its answer is dropped with it
        return _send(s, b"want", address(election_id))


# ---------------------------------------------------------------- PostgreSQL: LISTEN/NOTIFY

def _channel(kind: str, election_id: str) -> str:
    """`sailau_leaf_<hash>` (the writer's: `leaf`, `want`), `sailau_signed_<hash>` (the rounds'):
    an identifier of PostgreSQL's (at most 63 bytes), whatever the election's id."""
    digest = hashlib.sha256(election_id.encode()).hexdigest()[:24]
    return f"sailau_{'signed' if kind == 'signed' else 'leaf'}_{digest}"


def _stage_channel(stage: str) -> str:
    """`sailau_stage_batches`, `sailau_stage_national`: one a database (see `STAGES`)."""
    return f"sailau_stage_{stage}"


def _pg_connect():
    """A connection of its own, in autocommit (a LISTEN acts at once; a NOTIFY goes at once),
    to the database Django uses (in a test, the test's)."""
    import psycopg

    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"],
              "host": s["HOST"], "port": s["PORT"]}
    return psycopg.connect(**{k: v for k, v in params.items() if v not in ("", None)},
                           autocommit=True, connect_timeout=5)


def _pg_listen(conn, channel: str) -> None:
    from psycopg import sql

    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))


def _pg_received(conn, timeout: float) -> list:
    """The notifications that came, waiting at most `timeout` for the first."""
    got = list(conn.notifies(timeout=max(timeout, 0.0), stop_after=1))
    if got:
        got += conn.notifies(timeout=0.0)  # and those that came with it
    return got


class _PgInbox:
    def __init__(self):
        self.conn = None
        self.channels: dict[str, str] = {}  # channel -> election
        self.askers: set[str] = set()  # elections a round asked a checkpoint for
        self.wakes = 0  # notifications received (the tests read it)

    def open(self, election_id: str) -> None:
        channel = _channel("leaf", election_id)
        if channel in self.channels:
            return
        try:
            if self.conn is None:
                self.conn = _pg_connect()
            _pg_listen(self.conn, channel)
        except Exception:  # noqa: BLE001 - no connection now: the fallback, and again next turn
            self._lost()
            return
        self.channels[channel] = election_id

    def wait(self, timeout: float) -> set[str]:
        if self.conn is None:
            time.sleep(max(timeout, 0.0))
            return set()
        began = time.monotonic()
        try:
            got = _pg_received(self.conn, timeout)
        except Exception:  # noqa: BLE001 - the session lost: the rest of the fallback, then anew
            self._lost()
            time.sleep(max(0.0, timeout - (time.monotonic() - began)))
            return set()
        wanted = set()
        for n in got:
            eid = self.channels.get(n.channel)
            if eid is None:
                continue
            self.wakes += 1
            if n.payload == "want":
                self.askers.add(eid)
                wanted.add(eid)
        return wanted

    def answer(self, election_id: str) -> None:
        if election_id not in self.askers or self.conn is None:
            return
        self.askers.discard(election_id)
        try:
            self.conn.execute("SELECT pg_notify(%s, 'signed')",
                              [_channel("signed", election_id)])
        except Exception:  # noqa: BLE001 - the rounds look at the database after their fallback
            self._lost()

    def _lost(self) -> None:
        """Every LISTEN lived on the session: `open` starts them again on a new one."""
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
        self.conn = None
        self.channels.clear()


@contextlib.contextmanager
def _pg_asking(election_id: str):
    """On Django's own connection (a new one cost 26 ms on a busy test machine, a round's whole
    budget for its wait is 3 s), listening for the time of the block; on a connection of its
    own inside a transaction, where a LISTEN would wait for the commit and no notification
    comes."""
    signed, leaf = _channel("signed", election_id), _channel("leaf", election_id)
    own = connection.in_atomic_block
    try:
        if own:
            conn = _pg_connect()
        else:
            connection.ensure_connection()
            conn = connection.connection
        # Listening before the first `want`, so that no answer comes before anyone listens.
        _pg_listen(conn, signed)
    except Exception:  # noqa: BLE001 - no connection: each ask is the fallback's sleep
        yield lambda timeout: time.sleep(max(timeout, 0.0))
        return

    def ask(timeout: float) -> None:
        try:
            conn.execute("SELECT pg_notify(%s, 'want')", [leaf])
            # (A `signed` that came during the caller's reads is there already: back at once.)
            _pg_received(conn, timeout)
        except Exception:  # noqa: BLE001 - a hint lost: the caller looks at the database
            time.sleep(max(timeout, 0.0))
    try:
        yield ask
    finally:
        with contextlib.suppress(Exception):
            if own:
                conn.close()
            else:  # Django's connection lives on: nothing more for it to hold
                from psycopg import sql

                conn.execute(sql.SQL("UNLISTEN {}").format(sql.Identifier(signed)))
                _pg_received(conn, 0.0)


class _PgStage:
    """LISTEN on a connection of its own, from its creation (a write committed during the
    stage's first round wakes its first wait), again after a loss."""

    def __init__(self, stage: str):
        self.channel, self.conn, self.wakes = _stage_channel(stage), None, 0
        self._listen()

    def _listen(self) -> bool:
        if self.conn is None:
            try:
                self.conn = _pg_connect()
                _pg_listen(self.conn, self.channel)
            except Exception:  # noqa: BLE001 - no session now: the fallback, and again next wait
                self.close()
        return self.conn is not None

    def wait(self, timeout: float) -> bool:
        began = time.monotonic()
        try:
            if not self._listen():
                raise ConnectionError
            got = _pg_received(self.conn, timeout)
        except Exception:  # noqa: BLE001 - no session: the rest of the fallback, then anew
            self.close()
            time.sleep(max(0.0, timeout - (time.monotonic() - began)))
            return False
        if got:
            self.wakes += 1
        return bool(got)

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
        self.conn = None


# ---------------------------------------------------------------- SQLite: datagram sockets

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
    """Tell the writers of these elections (on this machine) that leaves were committed (after
    the commit)."""
    global _out
    if _out is None:
        _out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _out.setblocking(False)
    for eid in set(election_ids):
        _send(_out, b"leaf", address(eid))


def stage_address(stage: str) -> bytes:
    """The abstract address of a stage's process on this database."""
    got = _addresses.get(f"stage {stage}")
    if got is None:
        from sailau.ledger import writer

        digest = hashlib.sha256(f"{writer.database()}\nstage {stage}".encode()).hexdigest()
        got = _addresses[f"stage {stage}"] = b"\0sailau-stage-" + digest[:24].encode()
    return got


def poke_stage(stage: str) -> None:
    """Tell the stage's process (on this machine) that a write concerning it was committed."""
    global _out
    if _out is None:
        _out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _out.setblocking(False)
    _send(_out, b"written", stage_address(stage))


# One function a stage, so that a transaction's pending wake-up is recognised by it.
_POKES = {stage: (lambda stage=stage: poke_stage(stage)) for stage in STAGES}


class _SocketStage:
    """One bound socket, from its creation; while another process holds the address (a second
    `follow` waiting for the publication lock) it lives on the fallback, binding again."""

    def __init__(self, stage: str):
        self.stage, self.sock, self.wakes = stage, None, 0
        self._bind()

    def _bind(self) -> bool:
        if self.sock is None:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                s.bind(stage_address(self.stage))
            except OSError:
                s.close()
                return False
            s.setblocking(False)
            self.sock = s
        return True

    def wait(self, timeout: float) -> bool:
        if not self._bind():
            select.select([], [], [], max(timeout, 0.0))
            return False
        ready, _, _ = select.select([self.sock], [], [], max(timeout, 0.0))
        if not ready:
            return False
        with contextlib.suppress(BlockingIOError):
            while self.sock.recv(16):  # every wake-up that came: one look covers them all
                pass
        self.wakes += 1
        return True

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


class _SocketInbox:
    """One bound socket per election the writer writes, waited on together; the rounds that
    asked are answered at their own addresses."""

    def __init__(self):
        self.socks: dict[str, socket.socket] = {}
        self.askers: dict[str, set[bytes]] = {}
        self.wakes = 0  # datagrams received (the tests read it)

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
                self.wakes += 1
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
def _socket_asking(election_id: str):
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
