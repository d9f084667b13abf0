"""The health page (`/api/health`): what an operator must fix that the site does not show
otherwise. Today: a trusted proxy sending requests without X-Forwarded-For in the last hour,
which makes every visitor one client for every limit (`ForwardedCheckMiddleware`)."""

import logging
import time

from django.utils import timezone
from ninja import Router, Schema

from sailau.clientaddr import unforwarded_peer
from sailau.languages import texts
from sailau.ratewindow import counts, increment

T = texts("api.health")

UNFORWARDED_KEY = "proxy-unforwarded"  # a rate-limit counter: alive while it happens (an hour)
UNFORWARDED_SECONDS = 3600
_told = 0.0  # when this process last said so (monotonic): once a minute, not per request
log = logging.getLogger("sailau.proxy")


def unforwarded(peer) -> None:
    """A request came from a trusted proxy without X-Forwarded-For: every client behind that
    proxy is counted as one (the proxy), so one busy visitor stops everybody's look-ups and
    sign-ins. Said loudly in the log and recorded in the database for the health page (every
    web node's), at most once a minute per process."""
    global _told
    if time.monotonic() - _told < 60:
        return
    _told = time.monotonic()
    log.error("a request from the trusted proxy %s came without X-Forwarded-For: every client "
              "behind it counts as one for every limit; make the proxy append the client's "
              "address (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for)",
              peer)
    increment(UNFORWARDED_KEY, UNFORWARDED_SECONDS, timezone.now().timestamp())


def unforwarded_lately() -> bool:
    """Whether a request came from a trusted proxy without X-Forwarded-For in the last hour."""
    return counts([UNFORWARDED_KEY], timezone.now().timestamp()).get(UNFORWARDED_KEY, 0) > 0


class ForwardedCheckMiddleware:
    """Watches for a trusted proxy that sends no X-Forwarded-For (`unforwarded`). The health
    page itself is left out: a monitor asks it from the proxy's machine directly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/health"):
            peer = unforwarded_peer(request)
            if peer is not None:
                unforwarded(peer)
        return self.get_response(request)

router = Router(tags=["health"])

UNFORWARDED = T(
    "A trusted proxy sent requests without X-Forwarded-For (in the last hour): every visitor "
    "behind it counts as one client for every limit.")


class HealthWarning(Schema):
    code: str
    message: str


class HealthOut(Schema):
    ok: bool
    warnings: list[HealthWarning]


@router.get("", auth=None, response=HealthOut,
            summary="What needs the operator's attention (a proxy that names no client)")
def health(request, lang: str = "en"):
    warnings = []
    if unforwarded_lately():
        warnings.append({"code": "proxy_unforwarded",
                         "message": UNFORWARDED.in_language(lang)})
    return {"ok": not warnings, "warnings": warnings}
