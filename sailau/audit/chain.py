"""Appending to and verifying the hash chain."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from sailau.audit.canonical import GENESIS, canonical
from sailau.audit.models import Head, Record
from sailau.audit.sql import insert_rows

Item = tuple[str, str, str, dict]  # actor, action, subject, payload


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_hash(prev: str, seq: int, at: dt.datetime, actor: str, action: str, subject: str,
                payload: dict) -> str:
    return _hash(prev, seq, _stamp(at), actor, action, subject, payload)


def _hash(prev, seq, stamp, actor, action, subject, payload) -> str:
    return _hash_text(prev, seq, stamp, actor, action, subject, canonical(payload))


def _hash_text(prev, seq, stamp, actor, action, subject, payload_json: str) -> str:
    """The same hash with the payload already in canonical JSON, so that a bulk append
    encodes each payload once for both the hash and the stored column. The content's keys in
    sorted order: action, actor, at, payload, seq, subject (what `canonical` would emit)."""
    s = json.dumps
    text = (f'{{"action":{s(action, ensure_ascii=False)},"actor":{s(actor, ensure_ascii=False)},'
            f'"at":{s(stamp)},"payload":{payload_json},"seq":{int(seq)},'
            f'"subject":{s(subject, ensure_ascii=False)}}}')
    return hashlib.sha256((prev + text).encode()).hexdigest()


class Appended(NamedTuple):
    """One appended record, as written (plain values: bulk appends build no model instances)."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    payload: dict
    prev_hash: str
    hash: str


class AuditTampered(RuntimeError):
    """The log is not in a state that appends may continue from."""


def _locked_head() -> Head:
    try:
        return Head.objects.select_for_update().get(pk=1)
    except Head.DoesNotExist:
        pass
    # Only the very first append creates the head. A missing head with records is tampering
    # (the head is what tells a cut-off tail): refuse rather than rebuild it from what is left.
    last = Record.objects.order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        raise AuditTampered("the audit chain head is missing while records exist; "
                            "run `sailau audit verify`")
    try:
        with transaction.atomic():
            Head.objects.create(pk=1, seq=last[0] if last else 0, hash=last[1] if last else GENESIS)
    except IntegrityError:  # another appender created it first
        pass
    return Head.objects.select_for_update().get(pk=1)


def append_many(items: Sequence[Item], at: dt.datetime | None = None) -> list[Appended]:
    """Append records in the given order, in the caller's transaction (or one of their own)."""
    if not items:
        return []
    at = at or timezone.now()
    with transaction.atomic():
        head = _locked_head()
        seq, prev = head.seq, head.hash
        stamp = _stamp(at)
        # SQLite stores JSON as text: the canonical text is stored as it is (the same JSON
        # value). Other backends get the payload itself, for their own JSON type.
        as_text = connections[router.db_for_write(Record)].vendor == "sqlite"
        rows, written = [], []
        for actor, action, subject, payload in items:
            seq += 1
            payload = payload or {}
            text = canonical(payload)
            h = _hash_text(prev, seq, stamp, actor, action, subject, text)
            rows.append(Appended(seq, at, actor, action, subject, payload, prev, h))
            written.append((seq, at, actor, action, subject, text if as_text else payload,
                            prev, h))
            prev = h
        insert_rows(Record, list(Appended._fields), written,
                    raw=("payload",) if as_text else ())
        Head.objects.filter(pk=1).update(seq=seq, hash=prev)
    return rows


def append(actor: str, action: str, subject: str, payload: dict | None = None) -> Appended:
    """Append one record. Call it inside the transaction that makes the change it records, so
    that the change and its record are committed together or not at all."""
    return append_many([(actor, action, subject, payload or {})])[0]


def anchor() -> dict:
    """The chain's head as it stands: {"seq", "hash"}. Published with each snapshot, so that a
    copy of the manifest kept by anyone proves what the log held at that moment: a log later
    rewritten at or before `seq` no longer has this hash there."""
    head = Head.objects.filter(pk=1).values_list("seq", "hash").first()
    seq, h = head if head else (0, GENESIS)
    return {"seq": seq, "hash": h}


def holds(mark: dict) -> bool:
    """Whether the log still has record `mark["seq"]` with hash `mark["hash"]`."""
    if mark["seq"] == 0:
        return mark["hash"] == GENESIS
    return Record.objects.filter(seq=mark["seq"], hash=mark["hash"]).exists()


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
    if head is None and n:
        return Verdict(False, n, n, "the chain head is missing: records after the last one "
                                    "shown may have been deleted")
    if head and (head[0] != expected - 1 or head[1] != prev):
        if head[0] >= expected:
            return Verdict(False, n, expected, f"record {expected} is missing: the chain head "
                                               f"says the last record is {head[0]} (deleted)")
        return Verdict(False, n, head[0], "the chain head does not match the last record")
    return Verdict(True, n)
