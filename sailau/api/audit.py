"""The audit log, public: its records and the verification of its chain."""

import threading
from typing import Annotated

from ninja import Query, Router, Schema
from ninja.throttling import BaseThrottle

from sailau.accounts.publicview import public_records
from sailau.audit import verification
from sailau.audit.models import Record
from sailau.ratewindow import SlidingWindow

router = Router(tags=["audit"])

SEQ_MAX = 2**63 - 1  # the largest sequence number a database stores


class ClientThrottle(BaseThrottle):
    """Anonymous callers by their address (X-Forwarded-For only as far as it comes from the
    trusted proxies, an IPv6 client by its /64: sailau.clientaddr), counted in the database
    that every server process and web node shares (sailau.ratewindow). `rate`: "60/min" and
    the like; every endpoint with the same rate shares its count."""

    PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400,
               "day": 86400}

    def __init__(self, rate: str):
        number, period = rate.split("/")
        self.window = SlidingWindow(f"api-{rate}", int(number), self.PERIODS[period])
        self._last = threading.local()  # the wait of this thread's last refusal

    def allow_request(self, request) -> bool:
        from sailau.clientaddr import client_key

        limited, wait = self.window.hit(client_key(request))
        self._last.wait = wait if limited else None
        return not limited

    def wait(self):
        return getattr(self._last, "wait", None)


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
