"""The log's side of C2SP tlog-witness: each checkpoint is POSTed to `<url>/add-checkpoint` of
every witness that gave a URL (`Witness.url`), with the consistency proof from the size that
witness last cosigned, and the cosignature lines they answer are checked against their keys,
added to `log/checkpoint` and stored (`cosign.take_pushed`). Witnesses without a URL pull
(sailau.witness.run) and post their lines to the cosignature API.

Run by a thread of the log's lane (`sailau publish --log-lane`) as soon as the lane signs a
checkpoint, and every twentieth of a second for one a batch signed. The witnesses are asked at
once, each in a thread of the pool; a witness that
does not answer is asked again after a pause that doubles up to `BACKOFF_MAX`, so that one
witness offline never slows the log (pages and the API say which witness is behind). A 409
naming another size (the witness cosigned from another process, or lost its state) is followed
by one retry from that size; a size past this log's is a witness that saw more than this log
signed, said loudly: either the witness is confused or the log was rolled back."""

from __future__ import annotations

import base64
import http.client
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db.models import Max

from sailau.errors import SailauError
from sailau.ledger import cosign, integrator
from sailau.ledger.models import Cosignature, LogState, Witness

TIMEOUT = 2.0  # seconds for one witness's answer
BACKOFF_MIN, BACKOFF_MAX = 0.5, 30.0


@dataclass
class _Peer:
    url: str
    size: int | None = None  # the size the witness last cosigned, as far as this process knows
    retry_at: float = 0.0
    delay: float = 0.0
    conn: http.client.HTTPConnection | None = None
    problem: str = ""  # what went wrong last, said once until it changes
    lock: threading.Lock = field(default_factory=threading.Lock)


_peers: dict[tuple[str, str], _Peer] = {}
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="witness-push")


class Failed(Exception):
    pass


class OtherSize(Exception):
    """409: the witness keeps another size than the one asked from."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def _post(peer: _Peer, body: bytes) -> tuple[int, bytes, str]:
    """POST the add-checkpoint body on the peer's kept connection. A kept connection the witness
    has closed meanwhile (`witness serve` closes one silent for `IDLE_SECONDS`, 15 s: every
    checkpoint of a quiet hour) fails before any answer, and is tried once more at once on a
    new one, rather than said as a witness not answering and asked again after a pause. Asking
    twice is harmless: a witness that cosigned the first answers the second with the size it
    keeps (409), which `push` asks from."""
    u = urllib.parse.urlsplit(peer.url)
    path = u.path.rstrip("/") + "/add-checkpoint"
    kept = peer.conn is not None  # a connection from before, which the witness may have closed
    while True:
        if peer.conn is None:
            cls = (http.client.HTTPSConnection if u.scheme == "https"
                   else http.client.HTTPConnection)
            peer.conn = cls(u.netloc, timeout=TIMEOUT)
        try:
            peer.conn.request("POST", path, body=body,
                              headers={"Content-Type": "text/plain; charset=utf-8"})
            r = peer.conn.getresponse()
            return r.status, r.read(), r.getheader("Content-Type") or ""
        except (OSError, http.client.HTTPException) as exc:
            peer.conn.close()
            peer.conn = None
            if not (kept and _closed_by_peer(exc)):
                raise Failed(f"no answer ({exc})") from None
            kept = False  # once more, on a new connection


def _closed_by_peer(exc: Exception) -> bool:
    """A kept connection found closed by the other side: nothing was answered on it (a timeout
    is not this: the witness may be slow, and is not asked twice at once)."""
    return isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
                            http.client.RemoteDisconnected, http.client.BadStatusLine))


def _request(election_id: str, row: LogState, old: int) -> bytes:
    """The add-checkpoint body: the old size, the consistency proof from it, the checkpoint.
    Made in the caller's thread (the proof may read leaves from the database)."""
    proof = integrator.consistency_at(election_id, row.size, bytes(row.root), old,
                                      row.checkpoint_size)
    lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
    return f"old {old}\n{lines}\n".encode() + row.checkpoint.encode()


def _ask(peer: _Peer, body: bytes, latest: int) -> list[str]:
    """The witness's cosignature lines; Failed saying why not, OtherSize to ask again."""
    with peer.lock:
        status, answer, ctype = _post(peer, body)
    text = answer.decode("utf-8", "replace")
    if status == 200:
        return [ln for ln in text.splitlines() if ln.startswith("\u2014 ")]
    if status == 409 and ctype.startswith("text/x.tlog.size") and text.strip().isdigit():
        kept = int(text.strip())
        if kept > latest:
            raise Failed(f"it has cosigned size {kept}, past this log's latest checkpoint "
                         f"({latest}): a log rolled back, or another log's origin")
        raise OtherSize(kept)
    raise Failed(f"HTTP {status}: {text.strip()[:300]}")


def push(election_id: str, say=print, later=None) -> dict[str, str]:
    """Ask every reachable witness that has not cosigned the latest checkpoint; what each
    answered ("cosigned", "waiting" for one in its pause, or the problem). `later`: where the
    cosignatures' rows are stored (`cosign.take_pushed`), at once without."""
    row = LogState.objects.filter(pk=election_id).first()
    if row is None or not row.checkpoint:
        return {}
    witnesses = list(Witness.objects.filter(election_id=election_id).exclude(url=""))
    known = [_peers.get((election_id, w.name)) for w in witnesses]
    if all(p is not None and p.url == w.url and p.size == row.checkpoint_size
           for p, w in zip(known, witnesses, strict=True)):
        return {}  # every witness with a URL has cosigned this checkpoint, as far as we know
    done = set(Cosignature.objects.filter(witness__election_id=election_id,
                                          size=row.checkpoint_size)
               .values_list("witness__name", flat=True))
    now = time.monotonic()
    asks, out = {}, {}
    for w in witnesses:
        peer = _peers.get((election_id, w.name))
        if peer is None or peer.url != w.url:
            peer = _peers[(election_id, w.name)] = _Peer(w.url)
        if w.name in done:
            peer.size = max(peer.size or 0, row.checkpoint_size)
            continue
        if now < peer.retry_at:
            out[w.name] = "waiting"
            continue
        if peer.size is None:
            peer.size = (Cosignature.objects.filter(witness=w).aggregate(m=Max("size"))["m"]
                         or 0)
        asks[w.name] = peer
    futures = {name: _pool.submit(_ask, peer, _request(election_id, row, peer.size),
                                  row.checkpoint_size) for name, peer in asks.items()}
    answered: dict[str, str] = {}
    for name, peer in asks.items():
        try:
            try:
                lines = futures[name].result()
            except OtherSize as other:  # asked once more, from the size it keeps
                peer.size = other.size
                try:
                    lines = _ask(peer, _request(election_id, row, other.size),
                                 row.checkpoint_size)
                except OtherSize as again:
                    raise Failed(f"it keeps naming another size ({again.size})") from None
            mine = [ln for ln in lines if ln.split(" ")[1:2] == [name]]
            if not mine:
                raise Failed("its answer holds no cosignature line of its name")
            answered[name] = mine[0]
        except Failed as exc:
            _failed(peer, name, str(exc), say)
            out[name] = str(exc)
    if answered:  # the files at once, then the rows in one transaction
        try:
            cosign.take_pushed(row, {w.name: w for w in witnesses}, answered, later)
        except SailauError as exc:
            for name in answered:
                _failed(asks[name], name, str(exc), say)
                out[name] = str(exc)
            return out
    for name in answered:
        peer = asks[name]
        peer.size, peer.delay, peer.retry_at = row.checkpoint_size, 0.0, 0.0
        out[name] = "cosigned"
        if peer.problem:
            say(f"witness {name} at {peer.url}: answering again", flush=True)
        peer.problem = ""
    return out


def _failed(peer: _Peer, name: str, problem: str, say) -> None:
    peer.delay = min(max(peer.delay * 2, BACKOFF_MIN), BACKOFF_MAX)
    peer.retry_at = time.monotonic() + peer.delay
    if peer.problem != problem:
        say(f"witness {name} at {peer.url}: not cosigned: {problem} (asked again in "
            f"{peer.delay:g} s and later)", flush=True)
    peer.problem = problem


def push_waiting(election_ids=None, say=print, later=None) -> None:
    """One turn: every election (of `election_ids`, or all) with a witness that has a URL."""
    wanted = set(election_ids or ())
    for eid in (Witness.objects.exclude(url="").values_list("election_id", flat=True)
                .distinct()):
        if not wanted or eid in wanted:
            push(eid, say=say, later=later)


class RowWriter:
    """The cosignatures' rows stored by a thread of their own, in the order they came
    (`push(later=...)`): a failure is said, and the next checkpoint's rows are stored all the
    same (its file already carries its lines).

    Every store waiting when the thread gets to them is written in one transaction (each in a
    savepoint of its own, so that one failing loses no other). A transaction, not bare
    statements: on SQLite its BEGIN takes the write lock in the lane's turn
    (`sqlitedb.first_in_line`), where a bare INSERT waited in SQLite's own backoff behind every
    other writer, and one checkpoint's rows at a time fell further behind all night (a
    thousand-station night: the pages' witnessed size 400 leaves and 15 s behind the
    published `checkpoint.witnessed` after 40 s)."""

    def __init__(self, say=print):
        self.say = say
        self._waiting: list = []
        self._cv = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._loop, name="cosignature-rows", daemon=True)
        self._thread.start()

    def __call__(self, store) -> None:
        with self._cv:
            self._waiting.append(store)
            self._cv.notify()

    def _loop(self) -> None:
        from django.db import close_old_connections, connection, transaction

        try:
            while True:
                with self._cv:
                    while not self._waiting and not self._closing:
                        self._cv.wait()
                    if not self._waiting:
                        return  # closing, and nothing left
                    stores, self._waiting = self._waiting, []
                try:
                    close_old_connections()
                    with transaction.atomic():
                        for store in stores:
                            try:
                                with transaction.atomic():
                                    store()
                            except Exception as exc:  # noqa: BLE001 - said; the others stored
                                self.say(f"the log's lane: cosignatures not stored: {exc!r}",
                                         flush=True)
                except Exception as exc:  # noqa: BLE001 - said; the lane goes on
                    self.say(f"the log's lane: cosignatures not stored: {exc!r}", flush=True)
        finally:
            connection.close()

    def close(self) -> None:
        """Every store handed over written (or said), then the thread ends."""
        with self._cv:
            self._closing = True
            self._cv.notify()
        self._thread.join()
