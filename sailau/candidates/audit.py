"""What the audit log records of an import of nominations, decisions and appeals, and what
`sailau audit verify` compares the stored rows with: one function for both, so they cannot
drift apart."""

import hashlib

from sailau.audit import canonical

IMPORTED = "candidates.batch_imported"


def _d(day) -> str | None:
    return day.isoformat() if day else None


def batch_digest(batch) -> str:
    """SHA-256 of what the batch wrote, as stored, in row order: a nomination, decision or
    appeal changed, added or removed after the import changes it. A list's findings and
    deposit are left out: they follow its members, whom a later file may add."""
    noms = [[n.row, n.key, n.kind, n.contest_id, n.party_id, n.nominated_by, n.association,
             n.full_name, _d(n.birth_date), n.residence_years, n.citizen, n.kazakh_language,
             n.higher_education, n.woman, n.disability, n.list_position, n.party_share,
             *((None, None) if n.kind == "list" else (n.deposit_due, n.findings)),
             n.deposit_paid, _d(n.deposit_date), _d(n.nominated_on)]
            for n in batch.nominations.order_by("row")]
    decs = [decision_row(d)
            for d in batch.decisions.select_related("nomination").order_by("row")]
    apps = [[a.row, a.decision.nomination.key, a.decision.row, a.decision.batch_id, a.appeal_to,
             a.body, _d(a.filed_on), a.outcome, _d(a.outcome_date)]
            for a in batch.appeals.select_related("decision__nomination").order_by("row")]
    body = canonical({"nominations": noms, "decisions": decs, "appeals": apps})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def decision_row(d) -> list:
    """A decision as the digest holds it. Its citation (data since the candidates' version 2)
    follows only when it has one, so that a batch imported before keeps the digest its audit
    record holds."""
    return [d.row, d.nomination.key, d.decision, d.reason, d.note, d.body, d.basis, _d(d.date),
            *([d.citation] if d.citation else [])]


def batch_record(batch) -> dict:
    """The batch's content as the audit record's payload (strings and integers)."""
    return {"election": batch.election_id, "batch": batch.number, "filename": batch.filename,
            "sha256": batch.sha256, "rows": batch.rows,
            "nominations": batch.nominations.count(), "decisions": batch.decisions.count(),
            "appeals": batch.appeals.count(), "digest": batch_digest(batch)}


def subject(batch) -> str:
    return f"candidates/{batch.election_id}/{batch.number}"
