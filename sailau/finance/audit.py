"""What the audit log records of a fund report, and what `sailau audit verify` compares the
stored report with: one function for both, so they cannot drift apart."""

import hashlib

from sailau.audit import canonical


def entries_digest(report) -> str:
    """SHA-256 of the report's entries as stored (row, fund, direction, source, donor, amount,
    date), in row order: an entry changed, added or removed after the import changes it."""
    rows = [[e.row, e.recipient_kind, e.party_id or e.candidate_id, e.direction, e.source_kind,
             e.donor, e.amount, e.date.isoformat()] for e in report.entries.order_by("row")]
    return hashlib.sha256(canonical({"entries": rows}).encode("utf-8")).hexdigest()


def report_record(report) -> dict:
    """The report's content as the audit record's payload (strings and integers)."""
    entries = list(report.entries.all())
    return {"election": report.election_id, "report": report.number, "filename": report.filename,
            "sha256": report.sha256, "rows": report.rows, "ruleset": report.ruleset,
            "income": sum(e.amount for e in entries if e.direction == "income"),
            "spending": sum(e.amount for e in entries if e.direction == "spending"),
            "entries_digest": entries_digest(report)}


def subject(report) -> str:
    return f"finance/{report.election_id}/{report.number}"
