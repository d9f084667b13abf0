"""Protocols: the double entry, resolutions, amendments (writes), and protocols with their
versions (public reads)."""

from typing import Any

from django.db import transaction
from ninja import Field, Router, Schema

from sailau.api.auth import WRITE, user_of
from sailau.errors import Code, NotFound
from sailau.protocols import content, services
from sailau.protocols.catalog import Catalog
from sailau.protocols.errors import REFUSALS
from sailau.protocols.models import Protocol

router = Router(tags=["protocols"])
BULK_MAX = 2000


class DraftIn(Schema):
    figures: dict[str, Any] = {}
    choices: dict[str, Any] = {}


class EntryIn(Schema):
    figures: dict[str, Any]
    choices: dict[str, Any]
    acknowledged: list[str] = Field(default=[], description="warning codes (W…) acknowledged")


class ResolveIn(Schema):
    action: str = Field(description="accept_first, accept_second, return_first or "
                                    "return_second")


class AmendIn(EntryIn):
    decision_number: str
    decision_date: str = Field(description="YYYY-MM-DD")
    reason: str


class BulkItem(EntryIn):
    station: str
    contest: str
    entry: int = Field(description="1 or 2")


class BulkIn(Schema):
    items: list[BulkItem] = Field(min_length=1, max_length=BULK_MAX)  # declared in the OpenAPI


def _protocol_json(p: Protocol, previous: Protocol | None = None) -> dict:
    out = {"station": p.station_id, "contest": p.contest_id, "version": p.version,
           "current": p.current, "source": p.source, "figures": p.figures, "choices": p.choices,
           "findings": p.findings, "created_at": p.created_at.isoformat(),
           "digest": content.digest(p.station_id, p.contest_id, p.figures, p.choices)}
    am = getattr(p, "amendment", None) if p.source == "amendment" else None
    if am is not None:
        out["amendment"] = {"decision_number": am.decision_number,
                            "decision_date": am.decision_date.isoformat(), "reason": am.reason,
                            "entered_by": am.entered_by.username}
    if previous is not None:
        out["changes"] = content.changed_lines((previous.figures, previous.choices),
                                                (p.figures, p.choices))
    return out


@router.get("/{station}/{contest}", auth=None, summary="The current definitive protocol")
def current(request, station: str, contest: str):
    Catalog().pair(station, contest)
    p = Protocol.objects.current().of(station, contest).first()
    if p is None:
        raise NotFound(message=f"station {station} has no definitive protocol for {contest} yet",
                       code=Code.NOT_DEFINITIVE)
    return _protocol_json(p)


@router.get("/{station}/{contest}/versions", auth=None,
            summary="Every version, with the amendment decisions and what each changed")
def versions(request, station: str, contest: str):
    Catalog().pair(station, contest)
    out, prev = [], None
    for p in (Protocol.objects.filter(station_id=station, contest_id=contest)
              .select_related("amendment__entered_by").order_by("version")):
        out.append(_protocol_json(p, prev))
        prev = p
    return out


@router.get("/{station}/{contest}/entry", auth=WRITE,
            summary="The double entry's state (a typist sees only their own entry)")
def entry_state(request, station: str, contest: str):
    return services.entry_view(user_of(request), station, contest)


@router.put("/{station}/{contest}/entry/{n}", auth=WRITE,
            summary="Save a draft of entry 1 or 2 as it is typed")
def draft(request, station: str, contest: str, n: int, body: DraftIn):
    return services.save_draft(user_of(request), station, contest, n, body.figures,
                               body.choices).to_json()


@router.post("/{station}/{contest}/entry/{n}/finalise", auth=WRITE,
             summary="Finalise entry 1 or 2: checks, then the comparison")
def finalise(request, station: str, contest: str, n: int, body: EntryIn):
    return services.finalise(user_of(request), station, contest, n, body.figures, body.choices,
                             body.acknowledged).to_json()


@router.delete("/{station}/{contest}/entry/{n}", auth=WRITE,
               summary="Discard one's own unfinished entry")
def discard(request, station: str, contest: str, n: int):
    return services.discard(user_of(request), station, contest, n).to_json()


@router.post("/{station}/{contest}/resolve", auth=WRITE,
             summary="A coordinator settles differing entries")
def resolve(request, station: str, contest: str, body: ResolveIn):
    return services.resolve(user_of(request), station, contest, body.action).to_json()


@router.post("/{station}/{contest}/amendments", auth=WRITE,
             summary="Amend a definitive protocol by a commission decision")
def amend(request, station: str, contest: str, body: AmendIn):
    return services.amend(user_of(request), station, contest, body.figures, body.choices,
                          body.decision_number, body.decision_date, body.reason,
                          body.acknowledged).to_json()


@router.post("/bulk", auth=WRITE,
             summary="Finalise many entries in one transaction: all are stored or none")
def bulk(request, body: BulkIn):
    user = user_of(request)
    results = []
    with transaction.atomic(), services.chain() as ch:
        ch.preload([(i.station, i.contest) for i in body.items])
        for k, i in enumerate(body.items):
            try:
                results.append(ch.finalise(user, i.station, i.contest, i.entry, i.figures,
                                           i.choices, i.acknowledged).to_json())
            except REFUSALS as exc:
                exc.detail["item"] = k
                raise
    return {"stored": len(results), "results": results}
