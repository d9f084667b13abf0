"""Observation over HTTP: accreditation (public decisions), observers and deployments, the
reports observers send from stations (idempotent by the phone's uuid), comparisons of copies,
statistics and the PVT. Mounted at /api/observation/."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_noop as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sailau.api.auth import WRITE, user_of
from sailau.elections.models import spellings
from sailau.i18n import later
from sailau.languages import KAZAKH, column, language
from sailau.languages.alphabet import alphabetical
from sailau.observation import checklists, commitment, pvt, reports, services, statistics
from sailau.observation import models as m
from sailau.observation.compare import compared
from sailau.observation.errors import ObservationError

router = Router(tags=["observation"])


class ProposedIn(Schema):
    kind: str
    full_name: str


class ApplyIn(Schema):
    election: str
    kind: str = Field(description="citizen, international, party, candidate or media")
    names: dict[str, str] = Field({}, description="the organisation's name by written language "
                                                  "(kk required, e.g. {\"kk\": ..., \"ru\": "
                                                  "...}); or the fields name_kk, name_ru, "
                                                  "name_en")
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    territory: str | None = Field(None, description="territorial commission id for a regional "
                                                    "organisation; none: national (CEC)")
    contact: str = ""
    observers: list[ProposedIn] = Field([], description="the observers the organisation "
                                                         "proposes; badges valid once granted")


class DecisionIn(Schema):
    status: str = Field(description="granted, refused or revoked")
    decision_number: str
    decision_date: dt.date
    reasons: str = Field("", description="required for a refusal or revocation; published")


class ObserverIn(Schema):
    organisation: int
    kind: str
    full_name: str
    username: str | None = Field(None, description="the observer's own account, to send reports")


class DeployIn(Schema):
    station: str = Field(description="station id or number")


class ChecklistIn(Schema):
    uuid: UUID = Field(description="made by the phone; a re-sent report is not stored twice")
    station: str
    stage: str = Field(description="opening, voting, counting or tabulation")
    answers: dict[str, Any]
    observed_at: dt.datetime
    form_version: str | None = None
    commission: str | None = Field(None, description="tabulation stage: the territorial or "
                                                     "district commission where it was observed")


class IncidentIn(Schema):
    uuid: UUID
    station: str
    kind: str
    occurred_at: dt.datetime
    description: str


class CountIn(Schema):
    uuid: UUID
    station: str
    moment: str = Field(description="arrival, during (through the day) or departure")
    at: dt.datetime
    voters: int = Field(description="voters who had received ballots by then")


class CopyIn(Schema):
    uuid: UUID
    station: str
    contest: str
    figures: dict[str, Any]
    choices: dict[str, Any]


class SampleIn(Schema):
    contest: str
    size: int
    method: str = "stratified"
    seed: int | None = Field(None, description="recorded with the sample; random if omitted")


def _accreditation(a: m.Accreditation) -> dict:
    return {"id": a.pk, "commission": a.commission_id, "applied_on": a.applied_on,
            "status": a.status, "decision_number": a.decision_number,
            "decision_date": a.decision_date, "reasons": a.reasons}


def _stored(s: reports.Stored, extra: dict | None = None):
    body = {"id": s.report.pk, "uuid": str(s.report.uuid), "created": s.created,
            "received_at": s.report.received_at.isoformat(), **(extra or {})}
    if not s.created:
        body["message"] = "already received: this report is stored once"
    return Status(201 if s.created else 200, body)


@router.get("/forms", auth=None, summary="The checklist forms (current version and all others)")
def forms(request):
    return {"current": checklists.current_version(), "versions": checklists.versions()}


@router.get("/organisations", auth=None,
            summary="Organisations with every accreditation decision, refusal reasons included")
def organisations(request, election: str = ""):
    qs = m.Organisation.objects.prefetch_related("accreditations").order_by("election", "pk")
    if election:
        qs = qs.filter(election_id=election)
    # By Kazakh name within each election, the same order on every database.
    qs = sorted(alphabetical(qs, KAZAKH), key=lambda o: o.election_id)
    return {"organisations": [
        {"id": o.pk, "election": o.election_id, "kind": o.kind,
         **{column("name", lang): text for lang, text in spellings(o, "name").items()},
         "territory": o.territory_id,
         "national": o.national, "accreditations": [_accreditation(a) for a in o.accreditations.all()]}
        for o in qs]}


@router.post("/organisations", auth=WRITE, response={201: dict},
             summary="Apply for accreditation (the applicant manages the organisation)")
def apply(request, data: ApplyIn):
    acc = services.apply(user_of(request), data.election, data.kind, data.name_kk,
                         name_ru=data.name_ru, name_en=data.name_en,
                         names=data.names if data.names else None, territory_id=data.territory,
                         contact=data.contact,
                         observers=[(o.kind, o.full_name) for o in data.observers])
    return Status(201, {"organisation": acc.organisation_id, **_accreditation(acc)})


@router.post("/accreditations/{accreditation_id}/decision", auth=WRITE,
             summary="The commission's decision (CEC: national, territorial: regional)")
def decide(request, accreditation_id: int, data: DecisionIn):
    acc = services.decide(user_of(request), accreditation_id, data.status, data.decision_number,
                          data.decision_date, data.reasons)
    return _accreditation(acc)


@router.post("/observers", auth=WRITE, response={201: dict}, summary="Register an observer")
def register_observer(request, data: ObserverIn):
    obs = services.register_observer(user_of(request), data.organisation, data.kind,
                                     data.full_name, data.username)
    return Status(201, {"id": obs.pk, "badge": obs.badge})


@router.post("/observers/{observer_id}/deployments", auth=WRITE, summary="Deploy to a station")
def deploy(request, observer_id: int, data: DeployIn):
    dep = services.deploy(user_of(request), observer_id, data.station)
    return {"observer": observer_id, "station": dep.station_id}


@router.get("/badges/{badge}", auth=None, summary="Check a badge (what its QR code opens)")
def check_badge(request, badge: str):
    obs = get_object_or_404(m.Observer.objects.select_related("organisation"), badge=badge.upper())
    acc = obs.organisation.accreditations.exclude(status=m.Accreditation.PENDING).first()
    return {"badge": obs.badge, "full_name": obs.full_name, "kind": obs.kind,
            "organisation": obs.organisation.name(KAZAKH),
            "accredited": bool(acc and acc.status == m.Accreditation.GRANTED),
            "accreditation": _accreditation(acc) if acc else None,
            "stations": list(obs.deployments.values_list("station_id", flat=True))}


def _invitation(i: m.Invitation) -> dict:
    return {"id": i.pk, "status": i.status, "observer": i.observer_id,
            "full_name": i.observer.full_name, "organisation": i.observer.organisation_id,
            "organisation_name": i.observer.organisation.name(KAZAKH), "invited_by": i.invited_by,
            "created_at": i.created_at.isoformat()}


@router.get("/invitations", auth=WRITE, summary="Invitations to be an organisation's observer")
def invitations(request):
    return [_invitation(i) for i in services.invitations_of(user_of(request))]


@router.post("/invitations/{invitation_id}/{answer}", auth=WRITE,
             summary="Accept or decline an invitation (answer: accept or decline)")
def answer_invitation(request, invitation_id: int, answer: str):
    if answer not in ("accept", "decline"):
        raise ObservationError(field="answer", message=later(_("accept or decline")))
    return _invitation(services.answer_invitation(user_of(request), invitation_id,
                                                  answer == "accept"))


@router.get("/me", auth=WRITE, summary="The signed-in observer and the stations they may report on")
def me(request):
    obs = services.observer_of(user_of(request))
    return {"observer": obs.pk, "badge": obs.badge, "full_name": obs.full_name,
            "election": obs.organisation.election_id,
            "stations": [{"id": sid, "number": n, "address": a} for sid, n, a in
                         obs.deployments.values_list("station_id", "station__number",
                                                     "station__addresses__kk")]}


@router.post("/checklists", auth=WRITE, response={201: dict, 200: dict},
             summary="A filled checklist (201 stored, 200 the same uuid was already stored)")
def checklist(request, data: ChecklistIn):
    s = reports.submit_checklist(user_of(request), data.uuid, data.station, data.stage,
                                  data.answers, data.observed_at, data.form_version,
                                  data.commission)
    return _stored(s, {"negative": s.report.negative})


@router.post("/incidents", auth=WRITE, response={201: dict, 200: dict}, summary="An incident")
def incident(request, data: IncidentIn):
    s = reports.report_incident(user_of(request), data.uuid, data.station, data.kind,
                                 data.occurred_at, data.description)
    return _stored(s)


@router.post("/incidents/{uuid}/photos", auth=WRITE, response={201: dict},
             summary="A photo of an incident (checked to be an image; `sha256`: the hash taken on the "
             "phone, refused if the bytes that arrived differ; `captured_at`: when it was taken)")
def incident_photo(request, uuid: UUID, photo: File[UploadedFile], sha256: Form[str | None] = None,
                   captured_at: Form[dt.datetime | None] = None):
    p = reports.add_incident_photo(user_of(request), uuid, photo.read(), sha256, captured_at)
    return Status(201, {"sha256": p.sha256, "width": p.width, "height": p.height})


@router.post("/counts", auth=WRITE, response={201: dict, 200: dict},
             summary="Voters who had received ballots: at arrival, through the day, at departure")
def count(request, data: CountIn):
    return _stored(reports.submit_count(user_of(request), data.uuid, data.station, data.moment,
                                         data.at, data.voters))


@router.post("/copies", auth=WRITE, response={201: dict, 200: dict},
             summary="The observer's certified copy of the protocol; compared at once")
def copy(request, data: CopyIn):
    s = reports.submit_copy(user_of(request), data.uuid, data.station, data.contest,
                             data.figures, data.choices)
    row = compared([s.report])[0]
    return _stored(s, {"comparison": {"status": row["status"], "differences": row["differences"]}})


@router.post("/copies/{uuid}/photo", auth=WRITE, response={201: dict},
             summary="The photo of a certified copy (`sha256` and `captured_at` as for incidents)")
def copy_photo(request, uuid: UUID, photo: File[UploadedFile], sha256: Form[str | None] = None,
               captured_at: Form[dt.datetime | None] = None):
    c = reports.add_copy_photo(user_of(request), uuid, photo.read(), sha256, captured_at)
    return Status(201, {"sha256": c.photo_sha256})


@router.get("/copies", auth=None,
            summary="Observers' copies compared with the official protocols")
def copies(request, election: str, status: str = "",
           limit: Annotated[int, Query(ge=1, le=5000)] = 500,
           offset: Annotated[int, Query(ge=0, le=10**9)] = 0):
    qs = (m.ObserverCopy.objects.filter(station__election_id=election)
          .select_related("observer", "station").order_by("station__number", "id"))
    rows = compared(qs)
    if status:
        rows = [r for r in rows if r["status"] == status]
    return {"count": len(rows), "copies": [
        {"station": r["station"], "number": r["copy"].station.number, "contest": r["contest"],
         "observer": r["copy"].observer.badge, "status": r["status"],
         "differences": r["differences"]} for r in rows[offset:offset + limit]]}


@router.get("/statistics", auth=None, summary="X of Y observed stations, per stage, item, "
            "territory and organisation; observers' rights; copies")
def stats(request, election: str, territory: str = "", organisation: int | None = None,
          lang: str = "en"):
    return statistics.compute(election, language(lang, default="en"), territory or None,
                              organisation)


@router.post("/pvt/samples", auth=WRITE, response={201: dict},
             summary="Draw a PVT sample (simple or stratified by territory × urban/rural)")
def draw(request, data: SampleIn):
    if data.size < 1:
        raise ObservationError(field="size", message=later(_("at least 1 station")))
    sample = pvt.draw_sample(user_of(request), data.contest, data.size, data.method, data.seed)
    return Status(201, {"id": sample.pk, "seed": sample.seed, "size": sample.size,
                        "stations": list(sample.stations.values_list("station_id", flat=True))})


@router.get("/pvt/samples/{sample_id}", auth=None,
            summary="Estimates with 95% and 99% intervals, compared with the official result")
def sample_result(request, sample_id: int):
    return pvt.result(get_object_or_404(m.PvtSample.objects.select_related("contest"),
                                        pk=sample_id))


class CommitIn(Schema):
    organisation: int
    contest: str
    digest: str = Field(description="SHA-256 (hex) of the sample's text: `sailau pvt commitment`")
    size: int = Field(description="number of stations in the sample")
    method: str = Field("stratified", description="simple, stratified (Sailau's draw, checked "
                                                   "again from the seed) or own")


class RevealIn(Schema):
    seed: str
    stations: list[str]


@router.post("/pvt/commitments", auth=WRITE, response={201: dict},
             summary="Commit to a PVT sample before election day by its SHA-256 hash")
def pvt_commit(request, data: CommitIn):
    c = commitment.commit(user_of(request), data.organisation, data.contest, data.digest,
                          data.size, data.method)
    return Status(201, commitment.summary(c, _lang()))


@router.post("/pvt/commitments/{commitment_id}/reveal", auth=WRITE,
             summary="Reveal the committed sample (stations and seed); refused, naming what "
                     "differs, unless it matches the hash")
def pvt_reveal(request, commitment_id: int, data: RevealIn):
    c = commitment.reveal(user_of(request), commitment_id, data.seed, "\n".join(data.stations))
    return commitment.summary(c, _lang())


@router.get("/pvt/commitments/{commitment_id}", auth=None,
            summary="A PVT commitment: its hash and time, and the reveal checked against it")
def pvt_commitment(request, commitment_id: int):
    c = get_object_or_404(m.PvtCommitment.objects.select_related(
        "organisation", "contest__election", "sample"), pk=commitment_id)
    return commitment.summary(c, _lang())


def _lang() -> str:
    return language(get_language(), default="en")
