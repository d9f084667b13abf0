"""The outbox: each fact's leaf, written in the transaction that records the fact (the chain's,
a key's issue, a decision's), so that the fact and its leaf are committed together or not at
all. The integrator (`integrator.integrate`) later gives each leaf its index in the tree, in the
order of the outbox's ids: the publisher knows what changed because the writers told it here,
not by comparing stations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from sailau import clock
from sailau.audit.sql import insert_rows
from sailau.ledger import tl, wake
from sailau.ledger.models import Leaf
from sailau.tlog import leaves

ORIGIN_HOST = "sailau.kz"


def origin(election_id: str) -> str:
    """The log's origin line (C2SP tlog-checkpoint): one log per election."""
    return f"{ORIGIN_HOST}/{election_id}"


Item = tuple[str, str, str, dict]  # election id, leaf type, subject, the type's members


def append(election_id: str, kind: str, subject: str = "", when: dt.datetime | None = None,
           **members) -> None:
    """Write one leaf to the outbox (the caller is in the fact's transaction)."""
    append_many([(election_id, kind, subject, members)], when)


def append_many(items: Iterable[Item], when: dt.datetime | None = None) -> int:
    """Write leaves to the outbox in the given order (a bulk submission's protocols in one
    statement); returns how many. LeafError, writing nothing, when one is not a valid leaf.
    A leaf's `at` is `when`, else the application's clock (`sailau.clock`: a demo's election
    night); the row's creation is the real time."""
    now = timezone.now()
    stamp = when or clock.now()
    rows = []
    for election_id, kind, subject, members in items:
        data = leaves.make(kind, election_id, stamp, **members)
        rows.append((election_id, kind, subject[:300], data, tl.leaf_hash(data), None, now))
    insert_rows(Leaf, ["election_id", "kind", "subject", "data", "hash", "index", "created_at"],
                rows)
    # The log's writer woken if and when they are committed (`wake`: a hint, never the truth).
    wake.leaves_written(row[0] for row in rows)
    return len(rows)


def pending(election_id: str | None = None) -> list[str]:
    """The elections with leaves waiting for the integrator (or [election_id] if it has).

    Asked ten times a second by the log's lane and every round by the batches, so it reads
    the waiting leaves' partial index (`ledger_leaf_pending`) one election at a time, never
    the log: `SELECT DISTINCT election_id ... WHERE index IS NULL` made SQLite walk the whole
    (election, index) index, 0.1 s a call at 100,000 stations (half of the lane's CPU)."""
    if election_id:
        waiting = Leaf.objects.filter(election_id=election_id, index__isnull=True).exists()
        return [election_id] if waiting else []
    found: list[str] = []
    while True:
        qs = Leaf.objects.filter(index__isnull=True)
        if found:
            qs = qs.filter(election_id__gt=found[-1])
        first = qs.order_by("election_id", "id").values_list("election_id", flat=True).first()
        if first is None:
            return found
        found.append(first)


def indexes(election_id: str, kind: str, subjects: list[str]) -> dict[str, int]:
    """subject -> the index of its integrated leaf of `kind` (a protocol version's subject is
    station/contest/version: its station file carries that index); absent until integrated."""
    rows = []
    for i in range(0, len(subjects), 500):
        # The leaves still waiting are left out here, not in SQL: `index IS NOT NULL` (or an
        # ORDER BY index) makes SQLite walk the (election, index) index, the whole log (0.3 s
        # a batch at 100,000 stations) instead of the few subjects'.
        rows += Leaf.objects.filter(
            election_id=election_id, kind=kind, subject__in=subjects[i:i + 500],
        ).values_list("index", "subject")
    return {subject: index for index, subject in sorted(r for r in rows if r[0] is not None)}
