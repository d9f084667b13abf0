"""The published log's API (sailau.ledger): witnesses deliver their cosignatures here (pull
model: each fetched log/checkpoint itself), and anyone reads the latest checkpoint with the
cosignatures gathered so far, or a summary of who cosigned it and when."""

from django.http import HttpResponse
from ninja import Router, Schema

from sailau.api.audit import ClientThrottle
from sailau.errors import NotFound
from sailau.languages import texts
from sailau.ledger import cosign, integrator
from sailau.ledger.models import LogState

T = texts("api.log")

router = Router(tags=["log"])


class CosignatureIn(Schema):
    checkpoint: str  # the checkpoint body cosigned: origin, size and root lines
    cosignature: str  # the note signature line "— <name> <base64>" (C2SP tlog-cosignature)


class CosignatureOut(Schema):
    witness: str
    size: int  # the size of the checkpoint cosigned
    latest: int  # the size of the log's latest checkpoint
    cosigned_by: list[str]  # the witnesses that cosigned the latest checkpoint


class WitnessOut(Schema):
    name: str
    verifier_key: str
    cosigned_size: int
    cosigned_at: str | None
    current: bool  # it cosigned the latest checkpoint
    behind_since: str | None  # when the first leaf it has not cosigned was logged


class StatusOut(Schema):
    origin: str
    log_key: str
    size: int
    root: str
    checkpoint_at: str | None
    cosigned_by: int
    witnesses_total: int
    cosigned_at: str | None
    age_seconds: float | None
    witnesses: list[WitnessOut]


# A witness cosigns each checkpoint it fetches: on a busy night the log signs one every half
# second, and two witnesses behind one address (a newsroom's) post four a second. 120 a
# minute refused most of them (HTTP 429) and held the cosigned checkpoint seconds behind.
@router.post("/{election}/cosignature", auth=None, response=CosignatureOut,
             throttle=[ClientThrottle("600/min")],
             summary="A witness's cosignature of a checkpoint this log issued")
def cosignature(request, election: str, body: CosignatureIn):
    return cosign.receive(election, body.checkpoint, body.cosignature)


def _row(election: str) -> LogState:
    row = LogState.objects.filter(pk=election).first()
    if row is None or not row.checkpoint:
        raise NotFound(message=T(
            "no published log for {election}").format(election=election), field="election")
    return row


@router.get("/{election}/checkpoint", auth=None, throttle=[ClientThrottle("600/min")],
            summary="The latest checkpoint note with its cosignatures (text/plain)",
            response={200: str})
def checkpoint(request, election: str):
    return HttpResponse(integrator.checkpoint_text(_row(election)),
                        content_type="text/plain; charset=utf-8")


@router.get("/{election}/status", auth=None, response=StatusOut,
            throttle=[ClientThrottle("600/min")],
            summary="The latest checkpoint, who cosigned it and how long ago")
def status(request, election: str):
    _row(election)
    return cosign.status(election)
