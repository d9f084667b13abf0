"""The protocol chain's write operations, for the API, the pages, the demo and the scans module.

`with chain() as ch:` is one transaction around a `Chain` (`chain.py`, the unit of work), so a
protocol is wholly in (entry, version, totals, audit record) or not at all. A single API call is
a chain of one operation (the functions below); a bulk submission is a chain of many. The
figures are checked and compared in `content.py`."""

from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, OperationalError, transaction

from sailau.accounts import permissions as perm
from sailau.errors import Code, NotFound
from sailau.protocols import entry
from sailau.protocols.catalog import Catalog
from sailau.protocols.chain import Chain, Result
from sailau.protocols.entry import Different, Empty, Entry, State
from sailau.protocols.errors import ChainError, TransitionError
from sailau.protocols.models import AwaitingSignature, DataEntry


def _contention(exc: DatabaseError) -> bool:
    """Did the database refuse because another transaction held or changed the same rows at
    that moment (a race lost), rather than because of a fault in what was sent or in the code?
    PostgreSQL: unique violation, serialization failure, deadlock, lock not available; SQLite:
    the write lock not obtained within the timeout."""
    code = getattr(exc.__cause__, "sqlstate", None) or getattr(exc.__cause__, "pgcode", None)
    if code in ("23505", "40001", "40P01", "55P03"):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def _with_state(exc: ChainError, ch: "Chain | None") -> None:
    """Tell the loser of a race where the protocol stands now (committed state, read after its
    own transaction was rolled back), so a client can show it without asking again."""
    if ch is None or ch.key is None or "state" in exc.detail:
        return
    try:
        state = (DataEntry.objects.filter(station_id=ch.key[0], contest_id=ch.key[1])
                 .values_list("state", flat=True).first())
    except DatabaseError:  # inside an outer transaction that cannot read any more
        return
    exc.detail.update(station=ch.key[0], contest=ch.key[1], state=state or State.EMPTY.value)


@contextmanager
def chain(catalog: Catalog | None = None):
    """One transaction: operations inside, everything written on the way out. A refusal of
    the state machine, or a race lost at the database, rolls all of it back and becomes a
    409 that names the protocol's current state."""
    ch = None
    try:
        with transaction.atomic():
            ch = Chain(catalog)
            yield ch
            ch.flush()
    except TransitionError as exc:
        _with_state(exc, ch)
        raise
    except (IntegrityError, OperationalError) as exc:
        if not _contention(exc):
            raise
        lost = TransitionError(
            message="another change to the same protocols was being saved at the "
                    "same moment; nothing of this request was stored: reload and "
            "try again", code=Code.CONCURRENT_CHANGE)
        _with_state(lost, ch)
        raise lost from None


# -- the same operations one at a time (API, pages, other modules) ---------------------------
def save_draft(user, station_id, contest_id, n, figures, choices) -> Result:
    with chain() as ch:
        return ch.save_draft(user, station_id, contest_id, n, figures, choices)


def finalise(user, station_id, contest_id, n, figures, choices, acknowledged=()) -> Result:
    with chain() as ch:
        return ch.finalise(user, station_id, contest_id, n, figures, choices, acknowledged)


def discard(user, station_id, contest_id, n) -> Result:
    with chain() as ch:
        return ch.discard(user, station_id, contest_id, n)


def resolve(user, station_id, contest_id, action) -> Result:
    with chain() as ch:
        return ch.resolve(user, station_id, contest_id, action)


def amend(user, station_id, contest_id, figures, choices, decision_number, decision_date, reason,
          acknowledged=()) -> Result:
    with chain() as ch:
        return ch.amend(user, station_id, contest_id, figures, choices, decision_number,
                        decision_date, reason, acknowledged)


def record_time(user, station_id, step, at) -> None:
    with chain() as ch:
        ch.record_time(user, station_id, step, at)


# -- reads other modules need ----------------------------------------------------------------
def entry_view(user, station_id: str, contest_id: str) -> dict:
    """The state of the double entry as this user may see it: a typist sees only their own
    entry (the second typist must not see the first), a coordinator or admin covering the
    station sees both."""
    station, _ = Catalog().pair(station_id, contest_id)
    row = DataEntry.objects.filter(station_id=station_id, contest_id=contest_id).first()
    status = Chain.status(row) if row else Empty()
    full = perm.allowed(user, perm.RESOLVE, station)
    if not (full or perm.allowed(user, perm.ENTER, station)):
        raise perm.NotAllowed(
            message="only operators and coordinators of this station's commissions "
                    "see its entries in progress")
    uid = getattr(user, "pk", None)

    def show(e: entry.Draft | Entry | None, n: int):
        if e is None:
            return None
        if full or e.user == uid:
            return {"entry": n, **e.to_json()}
        return {"entry": n, "finalised": isinstance(e, Entry), "mine": False}

    first, second = entry.entries(status)
    return {"station": station_id, "contest": contest_id, "state": status.state.value,
            "first": show(first, 1), "second": show(second, 2),
            "differences": list(entry.differences(first, second))
            if full and isinstance(status, Different) else [],
            # definitive, but not published until its commission signs it (`awaiting`)
            "awaiting_signature": AwaitingSignature.objects.filter(
                station_id=station_id, contest_id=contest_id).exists()}


__all__ = ["Chain", "NotFound", "Result", "amend", "chain", "discard", "entry_view", "finalise",
           "record_time", "resolve", "save_draft"]
