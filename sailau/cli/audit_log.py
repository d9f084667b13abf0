"""`sailau audit verify`'s comparison of the database with each election's transparency log:
reads every leaf (`ledger.Leaf`, those still waiting in the outbox too: a fact and its leaf are
committed together) and the rows they state, in the command's one moment of the database
(`audit.moment`), and hands both to `sailau.audit.logcheck`. The rows are put in the shape of
the leaves by the functions that write the leaves (`elections.logged`, `protocols.logged`,
`complaints.audit.decision_leaf`, a role's kind and scope), so honest rows equal their leaves.
Everything here is read-only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Max

from sailau.audit import logcheck
from sailau.audit.findings import Finding
from sailau.audit.logtable import Table
from sailau.audit.logview import View, Views


@dataclass
class Summary:
    """What was compared, for the line that says all of it matched."""

    elections: int = 0
    leaves: int = 0
    versions: int = 0
    decisions: int = 0
    roles: int = 0
    turnout: int = 0
    head: int | None = None  # the last audit head logged

    def __str__(self) -> str:
        head = (f"; the audit log holds the last head logged (record {self.head})"
                if self.head is not None else "")
        elections = f"{self.elections} election{'' if self.elections == 1 else 's'}"
        return (f"the database is what the log's leaves state ({self.leaves} leaves of "
                f"{elections}: the structure, commission keys, {self.versions} "
                f"protocol versions, {self.decisions} complaint decisions, {self.roles} "
                f"roles, {self.turnout} turnout reports){head}")


def _read_leaves() -> tuple[Views, list[Finding]]:
    """Every leaf of every election in its log's order, each integrated leaf also held to the
    log's signed state (`logtable`)."""
    from sailau.ledger import integrator
    from sailau.ledger.models import Leaf, LogState

    states = {eid: (size, bytes(root) if root else None, checkpoint) for eid, size, root, checkpoint
              in LogState.objects.values_list("election_id", "size", "root", "checkpoint")}
    views, findings = Views(), []
    for eid in sorted(set(Leaf.objects.values_list("election_id", flat=True).distinct())):
        table = Table(*states.get(eid, (0, None, "")))
        mine = Leaf.objects.filter(election_id=eid)
        # the tree's order (its index), then the outbox's (the integrator's order)
        for part in (mine.filter(index__isnull=False).order_by("index"),
                     mine.filter(index__isnull=True).order_by(*integrator.ORDER)):
            for pk, index, data, stored in (part.values_list("id", "index", "data", "hash")
                                            .iterator(chunk_size=2000)):
                data = bytes(data)
                table.add(index, data, bytes(stored), views.add(eid, pk, index, data))
        findings += [Finding(logcheck.AREA, f"{eid}'s log", p) for p in table.problems()]
    return views, findings


def _keys(eid: str) -> list[tuple[str, str, dict]]:
    """Each key as its leaves state it: held by the server or the commission, confirmed by the
    commission above, revoked (retired: rotated, replaced or revoked), registered late."""
    from sailau.elections.models import CommissionKey

    return [(c, pub, {"held_by_server": held, "confirmed": confirmed is not None,
                      "revoked": retired is not None, "late": late})
            for c, pub, held, confirmed, retired, late in CommissionKey.objects.filter(
                commission__election_id=eid).order_by("commission_id", "created_at", "id")
            .values_list("commission_id", "public_key", "held_by_server", "confirmed_at",
                         "retired_at", "late")]


def _versions(eid: str, summary: Summary) -> Iterator[tuple]:
    from sailau.protocols import logged
    from sailau.protocols.models import Protocol

    for (sid, cid, version, current, fig, cho, sig, signed_with, message, scans, signed_by,
         number, date, reason) in (Protocol.objects.filter(station__election_id=eid)
                     .order_by("station_id", "contest_id", "version")
                     .values_list("station_id", "contest_id", "version", "current", "figures",
                                  "choices", "signature", "signed_with", "signed_message",
                                  "signed_scans", "signed_by", "amendment__decision_number",
                                  "amendment__decision_date", "amendment__reason")
                     .iterator(chunk_size=5000)):
        summary.versions += 1
        decision = None if number is None else {"decision_number": number,
                                                "decision_date": date.isoformat(),
                                                "reason": reason}
        # (a row written by hand may hold anything: named as it differs, never a traceback)
        fig, cho = (x if isinstance(x, dict) else {} for x in (fig, cho))
        # the scans a commission's own signature covers are stored with the version; others
        # (`None`) are the scans stored by the time of the leaf, not compared
        try:
            members = logged.members(sid, cid, version, fig, cho, signed_with, sig, decision,
                                     scans, message, signed_by)
        except ValueError:  # a public key that is not base64
            members = logged.members(sid, cid, version, fig, cho, "", sig, decision, scans,
                                     message, signed_by)
            members["signature"]["key"] = f"not a key: {signed_with!r}"
        yield sid, cid, version, current, members


def _decisions(eid: str, summary: Summary) -> tuple[list[tuple[str, dict]], set[str]]:
    if not apps.is_installed("sailau.complaints"):
        return [], set()
    from sailau.complaints.audit import decision_leaf
    from sailau.complaints.models import Complaint, Decision

    rows = [(d.complaint.receipt, decision_leaf(d)) for d in Decision.objects.filter(
        complaint__election_id=eid).select_related("complaint", "protocol_version")
        .order_by("complaint_id")]
    summary.decisions += len(rows)
    return rows, set(Complaint.objects.filter(election_id=eid)
                     .values_list("receipt", flat=True))


def _roles() -> dict[str, list[tuple[int, str, str]]]:
    """election -> (id, kind, scope) of its role rows. The election is the scope's (a
    commission's, an organisation's, a deciding court's), not the row's own `election` column,
    which a forger could empty; roles outside every election (a citizen's) are in no log."""
    from sailau.accounts.models import Role

    out = defaultdict(list)
    for pk, kind, commission, org, body, election, of_commission, of_org in (
            Role.objects.order_by("pk").values_list(
                "pk", "kind", "commission_id", "organisation_id", "body", "election_id",
                "commission__election_id", "organisation__election_id")
            .iterator(chunk_size=5000)):
        eid = of_commission if commission else of_org if org else election if body else None
        if eid:
            scope = Role(kind=kind, commission_id=commission, organisation_id=org, body=body,
                         election_id=election).scope
            out[eid].append((pk, kind, scope))
    return out


def _election(eid: str, view: View | None, roles: list, names,
              summary: Summary) -> Iterator[Finding]:
    from sailau.elections import logged

    if view is None or view.structure is None:
        yield Finding(logcheck.AREA, eid, "its log has no structure leaf: the structure, keys, "
                                          "protocols, decisions and roles in the database are "
                                          "stated by no leaf")
        return
    yield from logcheck.structure(view, logged.contests(eid), logged.stations(eid),
                                  logged.witness_keys(eid), names, logged.commissions(eid),
                                  logged.election(eid))
    yield from logcheck.keys(view, _keys(eid))
    yield from logcheck.protocols(view, _versions(eid, summary), names)
    yield from logcheck.decisions(view, *_decisions(eid, summary))
    summary.roles += len(roles)
    yield from logcheck.roles(view, roles)
    yield from logcheck.turnout_reports(view, *_turnout(eid, summary))


def _turnout(eid: str, summary: Summary) -> tuple[list[tuple[str, int, int]], set[str]]:
    from sailau.elections.models import Station
    from sailau.turnout.models import TurnoutReport

    rows = list(TurnoutReport.objects.filter(station__election_id=eid)
                .order_by("station_id", "hour").values_list("station_id", "hour", "issued"))
    summary.turnout += len(rows)
    return rows, set(Station.objects.filter(election_id=eid).values_list("id", flat=True))


def _audit_heads(views: Views, summary: Summary) -> Iterator[Finding]:
    from sailau.audit.models import Record

    heads = logcheck.logged_heads(views.values())
    if not heads:
        return
    summary.head = heads[-1][0]
    last = Record.objects.aggregate(last=Max("seq"))["last"] or 0
    seqs = sorted({h[0] for h in heads if h[0] <= last})
    hashes = {}
    for i in range(0, len(seqs), 500):
        hashes.update(Record.objects.filter(seq__in=seqs[i:i + 500]).values_list("seq", "hash"))
    yield from logcheck.audit_heads(heads, last, hashes)


def check(names, summary: Summary) -> Iterator[Finding]:
    """Every finding of the log comparison (`names`: `audit_checks._Names`)."""
    from sailau.elections.models import Election

    views, findings = _read_leaves()
    yield from findings
    for eid, view in sorted(views.items()):
        for ref, problem in view.invalid:
            yield Finding(logcheck.AREA, f"{eid}'s log, {ref}", problem)
    roles = _roles()
    elections = list(Election.objects.order_by("id").values_list("id", flat=True))
    summary.elections = len(elections)
    summary.leaves = sum(v.leaves for v in views.values())
    for eid in elections:
        yield from _election(eid, views.get(eid), roles.pop(eid, []), names, summary)
        if views.get(eid) is not None:
            yield from logcheck.round_links(views[eid], views, set(elections))
    for eid, view in sorted(views.items()):
        if eid not in elections and view.structure is not None:
            yield Finding(logcheck.AREA, f"{eid}'s log",
                          f"{view.leaves} leaves, a structure in {view.structure}: the election "
                          "is not in the database")
    yield from _audit_heads(views, summary)
