"""The turnout reports and the complaint decisions in the published files: `turnout.json` and
`decisions.json`, made from the database as the pages and the API show them, so that `sailau
verify` can hold them to the log's `turnout` and `complaint-decision` leaves (a report or a
decision deleted from the database disappears from the pages, and from these files, but not from
the log: `sailau.verify.registers` names it). docs/published-files.md describes both."""

from __future__ import annotations

from sailau.ledger.models import Leaf

TURNOUT, DECISIONS = "turnout.json", "decisions.json"
NAMES = (TURNOUT, DECISIONS)
KINDS = ("turnout", "complaint-decision")  # the leaves these files show


def turnout_document(election_id: str) -> dict:
    """Every turnout report of the election's stations, by station and hour."""
    from sailau.turnout.models import TurnoutReport

    rows = (TurnoutReport.objects.filter(station__election_id=election_id)
            .order_by("station_id", "hour").values_list("station_id", "hour", "issued"))
    return {"election": election_id,
            "reports": [{"station": s, "hour": h, "issued": n} for s, h, n in rows]}


def decisions_document(election_id: str) -> dict:
    """Every decision on a complaint of the election, by receipt, with the members its log
    leaf has (`complaints.audit.decision_leaf`: the text by its SHA-256 only)."""
    from sailau.complaints.audit import decision_leaf
    from sailau.complaints.models import Decision

    decisions = (Decision.objects.filter(complaint__election_id=election_id)
                 .select_related("complaint", "protocol_version")
                 .order_by("complaint__receipt"))
    return {"election": election_id, "decisions": [decision_leaf(d) for d in decisions]}


def due(election_id: str, prev: dict | None, log_size: int | None) -> bool:
    """Whether a batch must write the two files again: absent from the previous manifest, or
    a report or a decision logged since the size it showed (one indexed look-up; a batch with
    neither writes nothing more)."""
    if prev is None or any(n not in prev.get("files", {}) for n in NAMES):
        return True
    was = prev.get("log_size") or 0
    if log_size is None or log_size <= was:
        return False
    return Leaf.objects.filter(election_id=election_id, index__gte=was, index__lt=log_size,
                               kind__in=KINDS).exists()


def put_files(election_id: str, put, dumps) -> None:
    put(TURNOUT, dumps(turnout_document(election_id)))
    put(DECISIONS, dumps(decisions_document(election_id)))
