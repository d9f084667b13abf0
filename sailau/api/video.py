"""The video registry over HTTP, mounted at /api/video/: a station's cameras, recordings and
coverage of its count (public), registering and removing a camera (a commission role covering the
station, or the manager of an organisation deployed there). Recordings arrive by the resumable
upload at /api/video/uploads/ (tus 1.0.0, sailau.api.tus)."""

from __future__ import annotations

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema

from sailau.api.auth import WRITE, user_of
from sailau.elections.models import Commission
from sailau.video import coverage, services
from sailau.video.models import Camera, Recording
from sailau.video.views import file_url

router = Router(tags=["video"])
ID_MAX = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=ID_MAX)]


class CameraIn(Schema):
    election: str = Field(max_length=64)
    station: int = Field(ge=1, le=ID_MAX, description="the station's number")
    position: str = Field(max_length=200, description="where it hangs, in words")
    covers: str = Field(description="table, boxes or room")
    installed_by: str = Field(max_length=200)


def answerable_json(r: Recording) -> dict | None:
    """Who answers for the recording: the commission or the observer organisation whose role let
    it be uploaded (as on the recording's page); the uploader's login, personal data, is never
    published (it stays in the audit log)."""
    who = services.answerable_for(r)
    if who is None:
        return None
    if isinstance(who, Commission):
        return {"commission": who.id, "name": who.name()}
    return {"organisation": who.pk, "name": who.name()}


def camera_json(c: Camera) -> dict:
    return {"id": c.pk, "station": c.station_id, "position": c.position, "covers": c.covers,
            "installed_by": c.installed_by,
            "registered_at": c.registered_at.isoformat(),
            "removed_at": c.removed_at.isoformat() if c.removed_at else None}


def recording_json(r: Recording, request) -> dict:
    url = file_url(r) if r.state == Recording.AVAILABLE else None
    return {"id": r.pk, "camera": r.camera_id, "station": r.station_id,
            "started_at": r.started_at.isoformat(), "ended_at": r.ended_at.isoformat(),
            "duration_ms": r.duration_ms, "format": r.format, "size": r.size,
            "sha256": r.sha256, "answerable": answerable_json(r),
            "uploaded_at": r.uploaded_at.isoformat(), "state": r.state,
            "url": request.build_absolute_uri(url) if url else None}


@router.get("/stations/{election}/{number}", response=dict,
            summary="A station's cameras, recordings (with SHA-256 and URL) and count coverage")
def station(request, election: str, number: Id):
    s = services.station_of(election, number)
    return {"station": s.id,
            "cameras": [camera_json(c) for c in Camera.objects.filter(station=s)],
            "recordings": [recording_json(r, request)
                           for r in Recording.objects.filter(station=s)],
            "coverage": coverage.of_station(s.id).to_json()}


@router.get("/recordings/{pk}", response=dict, summary="One recording")
def recording(request, pk: Id):
    return recording_json(get_object_or_404(Recording, pk=pk), request)


@router.post("/cameras", auth=WRITE, response={201: dict}, summary="Register a camera")
def register(request, body: CameraIn):
    s = services.station_of(body.election, body.station)
    cam = services.register_camera(user_of(request), s, body.position, body.covers,
                                   body.installed_by)
    return 201, camera_json(cam)


@router.delete("/cameras/{pk}", auth=WRITE, response=dict,
               summary="Remove a camera from service (its recordings stay)")
def remove(request, pk: Id):
    cam = get_object_or_404(Camera.objects.select_related("station"), pk=pk)
    return camera_json(services.remove_camera(user_of(request), cam))
