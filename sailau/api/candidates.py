"""Nomination and registration over HTTP (django-ninja): the counts, every nomination with its
status, decision, deposit and findings, one nomination's history (public), and importing a file
of nominations, decisions and appeals (a CEC administrator of the election). Mount with
`api.add_router("/candidates/", router)`."""

from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from sailau.api.auth import WRITE
from sailau.api.errors import ErrorOut
from sailau.api.files import admin_upload, request_lang
from sailau.api.paging import Limit, Offset
from sailau.candidates import public, services
from sailau.candidates.models import Nomination
from sailau.elections.models import Election

router = Router(tags=["candidates"])


class SummaryOut(Schema):
    election: str
    nominated: int
    status: dict[str, int]
    decisions: dict[str, dict[str, int]]  # refused/withdrawn/deregistered -> reason -> persons
    appeals: int
    pending: int
    flagged: int


class NominationOut(Schema):
    key: str
    kind: str
    contest: str
    office: str
    party: str
    list_position: int | None
    full_name: str
    nominated_by: str
    nominated_on: str
    status: str
    last_decision: str
    reason: str
    decided_on: str
    body: str
    basis: str
    appeals: int
    appeals_pending: bool
    deposit_due_kzt: int | None
    deposit_paid_kzt: int | None
    deposit_date: str
    refund: str
    findings: str


class NominationsOut(Schema):
    count: int
    limit: int
    offset: int
    nominations: list[NominationOut]


class EventOut(Schema):
    date: str
    kind: str
    what: str
    detail: str
    body: str = ""
    basis: str = ""
    decided: str = ""  # an appeal's outcome date (ISO), once decided


class DetailOut(Schema):
    nomination: NominationOut
    findings: list[dict]
    history: list[EventOut]


class ImportedOut(Schema):
    batch: int
    rows: int
    nominations: int
    decisions: int
    appeals: int


@router.get("/{election}/", response={200: SummaryOut, 404: ErrorOut},
            summary="Persons nominated, by status; refusals and deregistrations by reason")
def summary(request, election: str):
    e = get_object_or_404(Election, id=election)
    s = public.summary(e)
    return {"election": e.id, **s, "status": dict(s["status"])}


@router.get("/{election}/nominations", response={200: NominationsOut, 404: ErrorOut},
            summary="Every list and person nominated, with status, last decision, deposit and "
                    "findings; filter by contest and status")
def nominations(request, election: str, contest: str = "", status: str = "",
                limit: Limit = 100, offset: Offset = 0):
    e = get_object_or_404(Election, id=election)
    where = {k: v for k, v in (("contest_id", contest), ("status", status)) if v}
    rows = public.records(e, **where)
    return {"count": len(rows), "limit": limit, "offset": offset,
            "nominations": rows[offset:offset + limit]}


@router.get("/{election}/nominations/{key}", response={200: DetailOut, 404: ErrorOut},
            summary="One nomination: its record, the requirements not met, and its history "
                    "(decisions with reason, body and legal basis; appeals and outcomes)")
def nomination(request, election: str, key: str):
    e = get_object_or_404(Election, id=election)
    n = get_object_or_404(Nomination, election=e, key=key)
    record = public.records(e, key=key)[0]
    return {"nomination": record, "findings": n.findings,
            "history": [{**ev, "date": ev["date"].isoformat(), "body": ev.get("body") or "",
                         "basis": ev.get("basis") or "",
                         "decided": ev["decided"].isoformat() if ev.get("decided") else ""}
                        for ev in public.history(n, request_lang())]}


@router.post("/{election}/imports", auth=WRITE,
             response={201: ImportedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: ErrorOut},
             summary="Import nominations, decisions and appeals (CSV, all or nothing; CEC "
                     "administrators)")
def import_batch(request, election: str, file: File[UploadedFile]):
    e, text, actor = admin_upload(request, election, file)
    b = services.import_batch(e, text, file.name or "nominations.csv", actor)
    return Status(201, {"batch": b.number, "rows": b.rows, "nominations": b.nominations.count(),
                        "decisions": b.decisions.count(), "appeals": b.appeals.count()})
