"""The audit log, public: its records and the verification of its chain."""

from ninja import Router

from sailau import audit as audit_log
from sailau.audit.models import Record
from sailau.protocols.errors import BadInput

router = Router(tags=["audit"])


@router.get("/records", auth=None, summary="Records after a sequence number")
def records(request, after: int = 0, limit: int = 100, subject: str | None = None):
    if not 1 <= limit <= 1000:
        raise BadInput("limit", "between 1 and 1000")
    qs = Record.objects.filter(seq__gt=after)
    if subject:
        qs = qs.filter(subject=subject)
    return [{"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
             "subject": r.subject, "payload": r.payload, "prev_hash": r.prev_hash,
             "hash": r.hash} for r in qs.order_by("seq")[:limit]]


@router.get("/verify", auth=None, summary="Walk the hash chain")
def verify(request):
    v = audit_log.verify()
    return {"ok": v.ok, "records": v.records, "seq": v.seq, "problem": v.problem}
