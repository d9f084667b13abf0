"""Volunteer verification over HTTP: becoming a volunteer, the next task (an image and the empty
form of its contest, never the official figures nor other readings), sending a reading
(rate-limited: 429 with the time to wait), claimed stations, a moderator's reading, and the
public comparisons and statistics. Mounted at /api/evidence/."""

from __future__ import annotations

from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status

from sailau.api.auth import WRITE, user_of
from sailau.api.errors import ErrorOut
from sailau.elections.models import Election, Station
from sailau.evidence import compare, dispatch, readings, stats, tasks, volunteers
from sailau.evidence.models import Claim, Image
from sailau.i18n import page_lang

router = Router(tags=["evidence"])

ID_MAX = 2**63 - 1  # the largest id a database stores: more is a 422, not a server error
Id = Annotated[int, Path(ge=1, le=ID_MAX)]


class ReadingIn(Schema):
    task: int = Field(ge=1, le=ID_MAX, description="the task id `GET /task` gave")
    figures: dict[str, Any] = Field(default_factory=dict, description="line: number")
    choices: dict[str, Any] = Field(default_factory=dict, description="choice: votes")
    unreadable: bool = Field(False, description="the image cannot be read")


class ModerationIn(Schema):
    figures: dict[str, Any] = Field(default_factory=dict)
    choices: dict[str, Any] = Field(default_factory=dict)
    unreadable: bool = False


class ClaimIn(Schema):
    election: str
    station: int = Field(ge=1, le=ID_MAX, description="the station's number")


def _volunteer_json(v) -> dict:
    return {"typed": v.typed, "decided": v.decided, "confirmed": v.confirmed,
            "reputation": v.reputation}


@router.post("/volunteer", auth=WRITE, summary="Become a volunteer (grants the citizen role)")
def join(request):
    return _volunteer_json(volunteers.become(user_of(request)))


@router.get("/task", auth=WRITE, response={200: dict, 204: None},
            summary="The volunteer's next image to type (claimed stations first); 204: none")
def task(request, election: str | None = None):
    t = dispatch.next_task(volunteers.of(user_of(request)), election)
    if t is None:
        return Status(204, None)
    return tasks.task_json(t, page_lang())


@router.post("/readings", auth=WRITE, response={201: dict, 429: ErrorOut},
             summary="The figures typed from a task's image (control relations reported, not "
                     "enforced: the paper may break them)")
def reading(request, data: ReadingIn):
    v = volunteers.of(user_of(request))
    volunteers.limit(request)
    r = readings.submit(v, data.task, data.figures, data.choices, data.unreadable)
    return Status(201, {"reading": r.pk, "findings": r.findings})


@router.get("/claims", auth=WRITE, summary="The volunteer's claimed stations")
def my_claims(request):
    v = volunteers.of(user_of(request))
    return [{"id": c.pk, "station": c.station_id, "number": c.station.number}
            for c in Claim.objects.filter(volunteer=v).select_related("station")]


@router.post("/claims", auth=WRITE, response={201: dict},
             summary="Claim a station (\"I watch this one\"): its images come first")
def claim(request, data: ClaimIn):
    v = volunteers.of(user_of(request))
    st = get_object_or_404(Station, election_id=data.election, number=data.station)
    c = volunteers.claim(v, st)
    return Status(201, {"id": c.pk, "station": st.id, "number": st.number})


@router.delete("/claims/{claim_id}", auth=WRITE, response={204: None})
def unclaim(request, claim_id: Id):
    v = volunteers.of(user_of(request))
    get_object_or_404(Claim, pk=claim_id, volunteer=v)
    volunteers.unclaim(v, claim_id)
    return Status(204, None)


@router.post("/images/{image_id}/moderation", auth=WRITE, response={201: dict},
             summary="A CEC administrator's reading of an image the volunteers could not settle")
def moderate(request, image_id: Id, data: ModerationIn):
    r = readings.moderate(user_of(request), image_id, data.figures, data.choices,
                          data.unreadable)
    return Status(201, {"reading": r.pk, "status": Image.objects.get(pk=image_id).status})


@router.get("/stations/{station_id}", auth=None, response={200: list[dict], 404: ErrorOut},
            summary="Verified readings of a station's images against the official protocol")
def station(request, station_id: str):
    get_object_or_404(Station, pk=station_id)
    return [{"image": row["image"].pk, "source": row["image"].source,
             "contest": row["image"].contest_id, "status": row["status"],
             "verified_by": row["image"].verified_by, "reading": {
                 "figures": row["image"].figures, "choices": row["image"].choices},
             "differences": row["differences"], "version": row.get("version"),
             "current_version": row.get("current_version")}
            for row in compare.of_station(station_id)]


@router.get("/stats", auth=None, response={200: list[dict], 404: ErrorOut}, summary="Images, verified, matches, mismatches by territory")
def statistics(request, election: str):
    get_object_or_404(Election, pk=election)
    return stats.by_territory(election, page_lang())
