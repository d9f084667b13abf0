"""The data checks of `sailau audit verify`: the rows the audit log speaks about must still say
what the log recorded. The hash chain proves the log itself was not rewritten; these checks
prove the data was not rewritten beside it (an UPDATE on a protocol leaves the chain intact).

- every protocol version against the digest of the `protocol.published` record that made it,
  and which version is current against the versions there are;
- every finalised data entry against its `entry.finalised` record (figures, votes, typist);
- every complaint filing against its `complaint.filed` record, every decision against its
  `complaint.decided` record;
- every role row against the `role.granted`/`role.changed`/`role.revoked` records (a role
  inserted in the database without a grant, or edited after it, has no record that grants it);
- every campaign fund report: its entries against its `finance.report_imported` record;
- every file of nominations: its rows against its `candidates.batch_imported` record, and each
  nomination's status against what its decisions and appeals make it;
- every scan: the file present with its recorded hash, the row against its last record;
- every turnout report of election day against its `turnout.reported` record, and every
  record's report still there while its station is;
- every election's published snapshot against the database: `audit_snapshots`.

The records are gathered while the chain is walked (`Log.tap`), so the log is read once.
Each finding names the object and what differs. Everything here is read-only."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sailau.audit.findings import Finding

# Records that describe rows the checks compare, by action.
PUBLISHED, AMENDED = "protocol.published", "protocol.amended"
FINALISED, DISCARDED = "entry.finalised", "entry.discarded"
DECIDED, FILED, ATTACHED = "complaint.decided", "complaint.filed", "complaint.attached"
GRANTED, CHANGED, REVOKED = "role.granted", "role.changed", "role.revoked"
SCAN_ACTIONS = ("scan.upload", "scan.recheck")
IMPORTED = "structure.imported"
FINANCE = "finance.report_imported"
CANDIDATES = "candidates.batch_imported"
TURNOUT = "turnout.reported"


@dataclass
class Log:
    """What the audit log says about the rows, the last record of each winning."""

    # (subject, version) -> (seq, digest, the amendment's changes or None)
    published: dict = field(default_factory=dict)
    # subject -> [(figures, choices)] every finalised entry (candidates for the digest)
    typed: dict = field(default_factory=lambda: defaultdict(list))
    # (subject, entry number) -> (seq, actor, payload), None once discarded
    finalised: dict = field(default_factory=dict)
    decisions: dict = field(default_factory=dict)  # complaint pk -> (seq, payload)
    filings: dict = field(default_factory=dict)  # complaint pk -> (seq, payload)
    attachments: dict = field(default_factory=dict)  # attachment pk -> (seq, payload)
    roles: Counter = field(default_factory=Counter)  # (user, kind, scope) -> grants standing
    scans: dict = field(default_factory=dict)  # scan pk -> (seq, action, payload)
    imported: dict = field(default_factory=dict)  # election id -> seq of its last import
    finance: dict = field(default_factory=dict)  # fund report subject -> (seq, payload)
    candidates: dict = field(default_factory=dict)  # nomination batch subject -> (seq, payload)
    turnout: dict = field(default_factory=dict)  # (station, hour) -> (seq, ballots issued)
    _amending: dict = field(default_factory=dict)  # subject -> changes awaiting their version

    def tap(self, rows: Iterable) -> Iterator:
        """Pass the chain's rows through, keeping what the checks need."""
        for row in rows:
            self.take(row[0], row[2], row[3], row[4], row[5])
            yield row

    def take(self, seq, actor, action, subject, payload) -> None:
        if not isinstance(payload, dict):
            return  # an edited record's payload; the chain walk names it
        if action == PUBLISHED:
            self.published[(subject, payload.get("version"))] = (
                seq, payload.get("digest"), self._amending.pop(subject, None))
        elif action == AMENDED:
            self._amending[subject] = payload.get("changes") or {}
        elif action == FINALISED:
            self.finalised[(subject, payload.get("entry"))] = (seq, actor, payload)
            self.typed[subject].append((payload.get("figures"), payload.get("choices")))
        elif action == DISCARDED:
            self.finalised[(subject, payload.get("entry"))] = None
        elif action == DECIDED:
            self.decisions[payload.get("complaint")] = (seq, payload)
        elif action == FILED:
            self.filings[payload.get("complaint")] = (seq, payload)
        elif action == ATTACHED:
            self.attachments[payload.get("attachment")] = (seq, payload)
        elif action in (GRANTED, CHANGED, REVOKED):
            self._role(action, payload)
        elif action in SCAN_ACTIONS:
            self.scans[payload.get("scan")] = (seq, action, payload)
        elif action == IMPORTED:
            self.imported[subject] = seq
        elif action == FINANCE:
            self.finance[subject] = (seq, payload)
        elif action == CANDIDATES:
            self.candidates[subject] = (seq, payload)
        elif action == TURNOUT:
            self.turnout[(subject, payload.get("hour"))] = (seq, payload.get("issued"))

    def _role(self, action: str, payload: dict) -> None:
        """A grant adds one standing role, a revoke takes one away; a change (the admin's
        role form) takes away what the role was (`was`, recorded since 2026-11) and adds what
        it became. Counted, so a role granted, revoked and granted again stands once."""
        def key(p):
            return (p.get("user"), p.get("kind"), p.get("scope") or "")

        if action == REVOKED:
            self.roles[key(payload)] -= 1
            return
        if action == CHANGED and isinstance(payload.get("was"), dict):
            self.roles[key(payload["was"])] -= 1
        self.roles[key(payload)] += 1


def diff_counts(stored: tuple[dict, dict], recorded: tuple[dict, dict], where: str) -> str:
    """'choices.a: 1734 in the database, 1234 in audit record #5; …'"""
    out = []
    for part, a, b in (("figures", stored[0], recorded[0]), ("choices", stored[1], recorded[1])):
        a, b = a or {}, b or {}
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                out.append(f"{part}.{k}: {_n(a.get(k))} in the database, {_n(b.get(k))} in "
                           f"{where}")
    return "; ".join(out)


def _n(v) -> str:
    return "absent" if v is None else str(v)


class _Names:
    """Stations by number and users by name, looked up only for what a finding names."""

    def __init__(self):
        self._stations: dict[str, tuple] = {}

    def station(self, station_id: str) -> str:
        if station_id not in self._stations:
            from sailau.elections.models import Station

            row = Station.objects.filter(id=station_id).values_list("number", flat=True).first()
            self._stations[station_id] = row
        number = self._stations[station_id]
        return f"station № {number} ({station_id})" if number is not None else \
            f"station {station_id} (not in the database)"

    def protocol(self, station_id: str, contest_id: str, version=None) -> str:
        v = f", version {version}" if version is not None else ""
        return f"{self.station(station_id)}, contest {contest_id}{v}"


# -- protocols --------------------------------------------------------------------------------

def _audited(subject: str, version: int, log: Log, known: dict, digest_of) -> tuple | None:
    """The figures the audit log vouches for at (subject, version), when they can be rebuilt:
    a finalised entry with the published digest, or the previous version with the amendment's
    changes applied. None when neither gives the digest."""
    rec = log.published.get((subject, version))
    if rec is None:
        return None
    _, want, changes = rec
    candidates = list(log.typed.get(subject, ()))
    before = known.get((subject, version - 1))
    if changes is not None and before is not None:
        fig, cho = dict(before[0]), dict(before[1])
        for key, (_, new) in changes.items():
            part, _, line = key.partition(".")
            target = fig if part == "figures" else cho
            if new is None:
                target.pop(line, None)
            else:
                target[line] = new
        candidates.insert(0, (fig, cho))
    for fig, cho in candidates:
        if fig is not None and digest_of(fig, cho) == want:
            known[(subject, version)] = (fig, cho)
            return fig, cho
    return None


def check_protocols(log: Log, names: _Names) -> Iterator[Finding]:
    from sailau.elections.models import Station
    from sailau.protocols.content import digest
    from sailau.protocols.models import Protocol

    known: dict = {}
    versions: dict[str, list] = defaultdict(list)
    rows = (Protocol.objects.order_by("station_id", "contest_id", "version")
            .values_list("station_id", "contest_id", "version", "current", "figures", "choices")
            .iterator(chunk_size=5000))
    for sid, cid, version, current, fig, cho in rows:
        subject = f"{sid}/{cid}"
        versions[subject].append((version, current))
        rec = log.published.get((subject, version))
        if rec is None:
            yield Finding("protocols", names.protocol(sid, cid, version),
                          "no audit record published this version")
            continue
        seq, want, _ = rec
        if digest(sid, cid, fig, cho) == want:
            known[(subject, version)] = (fig, cho)
            continue
        what = names.protocol(sid, cid, version)
        audited = _audited(subject, version, log, known,
                           lambda f, c, s=sid, k=cid: digest(s, k, f, c))
        if audited is None:
            yield Finding("protocols", what, f"its figures do not match the digest in audit "
                                             f"record #{seq}")
        else:
            yield Finding("protocols", what, diff_counts((fig, cho), audited,
                                                         f"audit record #{seq}"))
    for subject, vs in versions.items():
        numbers = [v for v, _ in vs]
        current = [v for v, c in vs if c]
        if numbers != list(range(1, len(numbers) + 1)) or current != [numbers[-1]]:
            sid, cid = subject.split("/", 1)
            yield Finding("protocols", names.protocol(sid, cid),
                          f"versions {numbers} with {current or 'none'} current: the current "
                          f"one must be the last")
    # Versions the log published that are gone (since the election's last structure import:
    # a demo rebuilt in place drops its results and imports its structure again).
    election_of = dict(Station.objects.values_list("id", "election_id"))
    for (subject, version), (seq, _, _) in sorted(log.published.items(),
                                                   key=lambda kv: kv[1][0]):
        sid, _, cid = subject.partition("/")
        if any(v == version for v, _ in versions.get(subject, ())):
            continue
        if seq > log.imported.get(election_of.get(sid), 0):
            yield Finding("protocols", names.protocol(sid, cid, version),
                          f"published by audit record #{seq}, missing from the database")


# -- data entry -------------------------------------------------------------------------------

def check_entries(log: Log, names: _Names) -> Iterator[Finding]:
    from django.contrib.auth import get_user_model

    from sailau.protocols.models import DataEntry

    users = dict(get_user_model().objects.values_list("id", "username"))
    rows = (DataEntry.objects.order_by("station_id", "contest_id")
            .values_list("station_id", "contest_id", "state", "first", "second", "first_user",
                         "second_user").iterator(chunk_size=5000))
    for sid, cid, state, first, second, u1, u2 in rows:
        subject = f"{sid}/{cid}"
        for n, typed, uid in ((1, first, u1), (2, second, u2)):
            if not isinstance(typed, dict) or not typed.get("finalised"):
                continue  # a draft is nobody's statement yet: not audited
            rec = log.finalised.get((subject, n))
            if rec is None:
                yield Finding("entries", f"{names.protocol(sid, cid)}, data entry {n}",
                              f"finalised ({state}) in the database, no audit record "
                              f"finalised it")
                continue
            seq, actor, payload = rec
            where = f"audit record #{seq}"
            problems = [diff_counts((typed.get("figures"), typed.get("choices")),
                                    (payload.get("figures"), payload.get("choices")), where)]
            acks = sorted(typed.get("acknowledged") or [])
            if acks != sorted(payload.get("acknowledged") or []):
                problems.append(f"warnings acknowledged {acks} in the database, "
                                f"{sorted(payload.get('acknowledged') or [])} in {where}")
            if uid is not None and users.get(uid) != actor:
                problems.append(f"typed by {users.get(uid)!r} in the database, by {actor!r} "
                                f"in {where}")
            problem = "; ".join(p for p in problems if p)
            if problem:
                yield Finding("entries", f"{names.protocol(sid, cid)}, data entry {n}", problem)


# -- complaint decisions ------------------------------------------------------------------------

def _differences(stored: dict, seq: int, recorded: dict) -> str:
    """Each field that differs, as "field: stored in the database, recorded in audit record #n"."""
    return "; ".join(f"{k}: {stored.get(k)!r} in the database, {recorded.get(k)!r} in audit "
                     f"record #{seq}" for k in sorted(set(stored) | set(recorded))
                     if stored.get(k) != recorded.get(k))


def check_decisions(log: Log) -> Iterator[Finding]:
    from django.apps import apps

    if not apps.is_installed("sailau.complaints"):
        return
    from sailau.complaints.audit import decision_record
    from sailau.complaints.models import Decision

    for dec in Decision.objects.select_related("complaint").order_by("complaint_id").iterator():
        what = f"complaint {dec.complaint.receipt} (id {dec.complaint_id}), decision"
        rec = log.decisions.get(dec.complaint_id)
        if rec is None:
            yield Finding("complaints", what, "no audit record of this decision")
            continue
        diffs = _differences(decision_record(dec), *rec)
        if diffs:
            yield Finding("complaints", what, diffs)


def _imports(area: str, files, recorded: dict, record, subject, name: str,
             skip: tuple[str, ...] = ()) -> Iterator[Finding]:
    """Each imported file against the audit record of its import (`skip`: payload keys that
    are not the file's own, e.g. what the checks found then)."""
    for obj in files.order_by("election_id", "number").iterator():
        what = f"{name} {obj.number} of {obj.election_id} ({obj.filename})"
        rec = recorded.get(subject(obj))
        if rec is None:
            yield Finding(area, what, "no audit record of this import")
            continue
        seq, payload = rec
        diffs = _differences(record(obj), seq, {k: v for k, v in payload.items() if k not in skip})
        if diffs:
            yield Finding(area, what, diffs)


def check_finance(log: Log) -> Iterator[Finding]:
    from django.apps import apps

    if not apps.is_installed("sailau.finance"):
        return
    from sailau.finance.audit import report_record, subject
    from sailau.finance.models import Report

    yield from _imports("finance", Report.objects, log.finance, report_record, subject,
                        "campaign fund report", skip=("findings",))


def check_candidates(log: Log) -> Iterator[Finding]:
    """Every imported file of nominations, decisions and appeals against its audit record."""
    from django.apps import apps

    if not apps.is_installed("sailau.candidates"):
        return
    from sailau.candidates.audit import batch_record, subject
    from sailau.candidates.models import Batch, Nomination

    yield from _imports("candidates", Batch.objects, log.candidates, batch_record, subject,
                        "nominations file")
    from sailau.candidates.services import settled_status

    for nom in Nomination.objects.order_by("election_id", "key").iterator():
        should = settled_status(nom)
        if nom.status != should:
            yield Finding("candidates", f"nomination {nom.key} of {nom.election_id}",
                          f"status {nom.status!r} in the database, its decisions and appeals "
                          f"make it {should!r}")


def check_filings(log: Log) -> Iterator[Finding]:
    """Every complaint as filed (who, against whom, what, where, when) against its
    `complaint.filed` record; what changes later (status, assignment) is not compared."""
    from django.apps import apps

    if not apps.is_installed("sailau.complaints"):
        return
    from sailau.complaints.audit import filing_record
    from sailau.complaints.models import Complaint

    for c in Complaint.objects.order_by("id").iterator(chunk_size=2000):
        what = f"complaint {c.receipt} (id {c.pk}), filing"
        rec = log.filings.get(c.pk)
        if rec is None:
            yield Finding("complaints", what, "no audit record of this filing")
            continue
        seq, recorded = rec
        diffs = _differences(filing_record(c, like=recorded), seq, recorded)
        if diffs:
            yield Finding("complaints", what, diffs)


# -- turnout through the day ------------------------------------------------------------------

def check_turnout(log: Log) -> Iterator[Finding]:
    from sailau.turnout.auditcheck import check

    return check(log.turnout)


# -- roles ------------------------------------------------------------------------------------

def check_roles(log: Log) -> Iterator[Finding]:
    """Every role row must stand granted in the log: a row inserted or edited in the database
    (an operator made administrator by an UPDATE) has no grant that matches it."""
    from sailau.accounts.models import Role

    rows: dict[tuple, list] = defaultdict(list)
    for r in Role.objects.select_related("user").order_by("id").iterator(chunk_size=5000):
        rows[(r.user.username, r.kind, r.scope)].append(r.pk)
    for (user, kind, scope), ids in sorted(rows.items()):
        standing = max(log.roles.get((user, kind, scope), 0), 0)
        if len(ids) > standing:
            what = (f"role {kind} of {user} at {scope or '(no scope)'} "
                    f"(id {', '.join(map(str, ids[standing:]))})")
            yield Finding("roles", what, "no audit record grants it" if not standing else
                          f"{len(ids)} rows, {standing} granted in the audit log")


# -- scans ------------------------------------------------------------------------------------

def file_fault(name: str, sha256: str) -> str | None:
    """What is wrong with a stored file against its recorded hash, or None."""
    from django.core.files.storage import default_storage

    from sailau.filestores import failures

    try:
        with default_storage.open(name, "rb") as fh:
            h = hashlib.sha256()
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return "the file is missing"
    except failures() as exc:  # the disk's errors, or an object store's (not OSErrors)
        return f"the file cannot be read: {getattr(exc, 'strerror', None) or exc}"
    if h.hexdigest() != sha256:
        return f"the file's SHA-256 is {h.hexdigest()}, {sha256} recorded"
    return None


def check_attachments(log: Log) -> Iterator[Finding]:
    """Every complaint attachment (at filing or added on a resubmission) against its
    `complaint.attached` record, and its stored file against the recorded hash."""
    from django.apps import apps

    if not apps.is_installed("sailau.complaints"):
        return
    from sailau.complaints.audit import attachment_record
    from sailau.complaints.models import Attachment

    for att in Attachment.objects.select_related("complaint").order_by("id").iterator(
            chunk_size=2000):
        what = f"complaint {att.complaint.receipt} (id {att.complaint_id}), attachment {att.name!r}"
        fault = file_fault(att.file.name, att.sha256)
        if fault:
            yield Finding("complaints", what, fault)
        rec = log.attachments.get(att.pk)
        if rec is None:
            yield Finding("complaints", what, "no audit record of this attachment")
            continue
        seq, recorded = rec
        diffs = _differences(attachment_record(att, like=recorded), seq, recorded)
        if diffs:
            yield Finding("complaints", what, diffs)


def check_scans(log: Log, names: _Names) -> Iterator[Finding]:
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        return

    from sailau.scans.models import Scan

    for s in (Scan.objects.select_related("protocol").order_by("id")
              .iterator(chunk_size=2000)):
        what = f"scan {s.id} of {names.protocol(s.station_id, s.contest_id)} ({s.file.name})"
        fault = file_fault(s.file.name, s.sha256)
        if fault:
            yield Finding("scans", what, fault)
        rec = log.scans.get(s.id)
        if rec is None:
            yield Finding("scans", what, "no audit record of this scan")
            continue
        seq, _, p = rec
        stored = {"sha256": s.sha256, "status": s.status, "reason": s.reason,
                  "protocol_version": s.protocol.version}
        diffs = [f"{k}: {v!r} in the database, {p.get(k)!r} in audit record #{seq}"
                 for k, v in stored.items() if p.get(k) != v]
        if diffs:
            yield Finding("scans", what, "; ".join(diffs))
