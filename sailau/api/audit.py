"""The audit log, public: its records and the verification of its chain."""

from typing import Annotated

from ninja import Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from sailau.accounts.publicview import public_records
from sailau.audit import verification
from sailau.audit.models import Record

router = Router(tags=["audit"])

SEQ_MAX = 2**63 - 1  # the largest sequence number a database stores


class ClientThrottle(AnonRateThrottle):
    """Anonymous callers by their address (X-Forwarded-For only as far as it comes from the
    trusted proxies: sailau.clientaddr), counted in the cache every server process shares."""

    def get_ident(self, request):
        from sailau.clientaddr import client_address

        return client_address(request)


class VerifyOut(Schema):
    ok: bool | None  # None: not verified yet (a background job is at it)
    records: int
    seq: int | None  # the first bad record
    problem: str
    checked_at: str | None  # when the chain was last walked
    current: bool  # false: the log has grown since; a background job is walking it again


@router.get("/records", auth=None, summary="Records after a sequence number (accounts named by "
            "their roles and commissions, not their log-in names)",
            throttle=[ClientThrottle("120/min")])
def records(request, after: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100,
            subject: Annotated[str | None, Query(max_length=200)] = None):
    qs = Record.objects.filter(seq__gt=after)
    if subject:
        qs = qs.filter(subject=subject)
    # Accounts by their roles, not their log-in names (sailau.accounts.publicview).
    return public_records([
        {"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
         "subject": r.subject, "payload": r.payload, "prev_hash": r.prev_hash, "hash": r.hash}
        for r in qs.order_by("seq")[:limit]])


@router.get("/verify", auth=None, response=VerifyOut, throttle=[ClientThrottle("60/min")],
            summary="The last verification of the hash chain (walked again in the background "
                    "when the log grows)")
def verify(request):
    return verification.latest()
