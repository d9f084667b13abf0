"""The complaints register over HTTP (django-ninja): list, case, statistics (public) and filing
(signed in, Django session). Mount with `api.add_router("/complaints/", router)`."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sailau import clock
from sailau.api.auth import session_auth
from sailau.api.errors import ErrorOut
from sailau.api.paging import Limit, Offset
from sailau.complaints import models as m
from sailau.complaints import public, services

router = Router(tags=["complaints"])


class FilingIn(Schema):
    election: str
    filer_kind: str
    filer_name: str
    filer_contact: str = ""
    against_kind: str
    against_name: str
    topic: str
    text: str
    body: str
    station: int | None = None
    commission: str | None = None
    body_commission: str | None = None
    protocol: int | None = None
    contests: str | None = None  # receipt of the complaint whose decision is appealed
    event_date: dt.date | None = None


class FiledOut(Schema):
    receipt: str
    created: bool  # false: the same complaint was already registered; this is its receipt
    due_date: dt.date
    due_rule: str
    days_left: int
    late: bool
    status: str


@router.get("/", summary="Complaints matching the filters (public record, no private data)")
def list_complaints(request, election: str = "", topic: str = "", body: str = "",
                    filer_kind: str = "", outcome: str = "", status: str = "", station: str = "",
                    q: str = "", late: bool = False, overdue: bool = False,
                    limit: Limit = 100, offset: Offset = 0):
    params = {"election": election, "topic": topic, "body": body, "filer_kind": filer_kind,
              "outcome": outcome, "status": status, "station": station, "q": q,
              "late": "1" if late else "", "overdue": "1" if overdue else ""}
    qs = public.search(params).prefetch_related("attachments")
    today = clock.localdate()
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "complaints": [public.record(c, today) for c in qs[offset:offset + limit]]}


@router.get("/statistics", summary="Counts by topic, body, outcome, filer; observers' rights; "
            "repeated complaints across elections")
def complaint_statistics(request, election: str = ""):
    qs = public.search({"election": election})
    return {**public.statistics(qs), "repeated": [
        {k: v for k, v in r.items() if k != "station"} for r in public.repeated()]}


@router.get("/{receipt}", summary="One case: the complaint and every appeal in its chain")
def case(request, receipt: str):
    c = get_object_or_404(m.Complaint, receipt=receipt)
    today = clock.localdate()
    return {"complaint": public.record(c, today),
            "chain": [{"depth": d, **public.record(x, today)} for d, x in services.case_chain(c)]}


@router.post("/", auth=session_auth, response={201: FiledOut, 200: FiledOut, 422: ErrorOut},
             summary="File a complaint; the receipt and the legal deadline come back at once")
def file_complaint(request, data: Form[FilingIn], attachments: File[list[UploadedFile]] = None):
    uploads = [services.Upload(f.name, f.read()) for f in attachments or []]
    c, created = services.file_complaint(data.dict(), uploads, user=request.user)
    return Status(201 if created else 200, {
        "receipt": c.receipt, "created": created, "due_date": c.due_date, "due_rule": c.due_rule,
        "days_left": c.days_left(), "late": c.late, "status": c.status})
