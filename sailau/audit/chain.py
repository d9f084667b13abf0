"""Appending to and verifying the hash chain."""

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from sailau.audit import GENESIS, canonical
from sailau.audit.models import Head, Record
from sailau.audit.sql import insert_rows

Item = tuple[str, str, str, dict]  # actor, action, subject, payload


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_hash(prev: str, seq: int, at: dt.datetime, actor: str, action: str, subject: str,
                payload: dict) -> str:
    content = {"seq": seq, "at": _stamp(at), "actor": actor, "action": action,
               "subject": subject, "payload": payload}
    return hashlib.sha256((prev + canonical(content)).encode()).hexdigest()


def _locked_head() -> Head:
    try:
        return Head.objects.select_for_update().get(pk=1)
    except Head.DoesNotExist:
        pass
    # First append (or a wiped head): start from the last record, if any.
    last = Record.objects.order_by("-seq").values_list("seq", "hash").first()
    try:
        with transaction.atomic():
            Head.objects.create(pk=1, seq=last[0] if last else 0, hash=last[1] if last else GENESIS)
    except IntegrityError:  # another appender created it first
        pass
    return Head.objects.select_for_update().get(pk=1)


def append_many(items: Sequence[Item], at: dt.datetime | None = None) -> list[Record]:
    """Append records in the given order, in the caller's transaction (or one of their own)."""
    if not items:
        return []
    at = at or timezone.now()
    with transaction.atomic():
        head = _locked_head()
        seq, prev = head.seq, head.hash
        rows = []
        for actor, action, subject, payload in items:
            seq += 1
            payload = payload or {}
            h = record_hash(prev, seq, at, actor, action, subject, payload)
            rows.append(Record(seq=seq, at=at, actor=actor, action=action, subject=subject,
                               payload=payload, prev_hash=prev, hash=h))
            prev = h
        insert_rows(Record, ["seq", "at", "actor", "action", "subject", "payload", "prev_hash",
                             "hash"],
                    [(r.seq, r.at, r.actor, r.action, r.subject, r.payload, r.prev_hash, r.hash)
                     for r in rows])
        Head.objects.filter(pk=1).update(seq=seq, hash=prev)
    return rows


def append(actor: str, action: str, subject: str, payload: dict | None = None) -> Record:
    """Append one record. Call it inside the transaction that makes the change it records, so
    that the change and its record are committed together or not at all."""
    return append_many([(actor, action, subject, payload or {})])[0]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    records: int
    seq: int | None = None  # the first bad record
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit log intact: {self.records} records"
        return f"audit log broken at record {self.seq}: {self.problem}"


def verify(rows: Iterable | None = None) -> Verdict:
    """Walk the chain in sequence order; report the first record that is not what was appended."""
    if rows is None:
        rows = (Record.objects.order_by("seq")
                .values_list("seq", "at", "actor", "action", "subject", "payload", "prev_hash",
                             "hash").iterator(chunk_size=5000))
    prev, expected, n = GENESIS, 1, 0
    for seq, at, actor, action, subject, payload, prev_hash, stored in rows:
        n += 1
        if seq != expected:
            problem = (f"record {expected} is missing (deleted), next is {seq}" if seq > expected
                       else f"out of order after record {expected - 1}")
            return Verdict(False, n, min(seq, expected), problem)
        if record_hash(prev_hash, seq, at, actor, action, subject, payload) != stored:
            return Verdict(False, n, seq, "its content does not match its hash (edited)")
        if prev_hash != prev:
            return Verdict(False, n, seq, f"it does not link to record {seq - 1} (that record "
                                          "was replaced, or records were deleted or reordered)")
        prev, expected = stored, seq + 1
    head = Head.objects.filter(pk=1).values_list("seq", "hash").first()
    if head and (head[0] != expected - 1 or head[1] != prev):
        if head[0] >= expected:
            return Verdict(False, n, expected, f"record {expected} is missing: the chain head "
                                               f"says the last record is {head[0]} (deleted)")
        return Verdict(False, n, head[0], "the chain head does not match the last record")
    return Verdict(True, n)
