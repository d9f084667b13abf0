"""Campaign finance over HTTP (django-ninja): funds with totals and findings, itemised entries
(public), and importing a fund report (a CEC administrator of the election). Mount with
`api.add_router("/finance/", router)`."""

from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from sailau.api.auth import WRITE
from sailau.api.errors import ErrorOut
from sailau.api.files import admin_upload, request_lang
from sailau.api.paging import Limit, Offset
from sailau.elections.models import Election
from sailau.finance import public, services

router = Router(tags=["finance"])


class FundOut(Schema):
    kind: str
    id: str
    name: str
    income: int
    spending: int
    own: int
    donations: int
    balance: int
    by: dict[str, int]
    findings: int


class FindingOut(Schema):
    code: str
    text: str
    kind: str
    id: str
    recipient: str
    donor: str
    limit: int
    amount: int
    rows: list[tuple[int, int]]  # (report number, row in it)


class FinanceOut(Schema):
    election: str
    reports: int
    funds: list[FundOut]
    findings: list[FindingOut]


class EntryOut(Schema):
    report: int
    row: int
    recipient_kind: str
    recipient_id: str
    recipient: str
    direction: str
    source_kind: str
    donor: str
    amount_kzt: int
    date: str


class EntriesOut(Schema):
    count: int
    limit: int
    offset: int
    entries: list[EntryOut]


class ImportedOut(Schema):
    report: int
    rows: int
    findings: int


@router.get("/{election}/", response={200: FinanceOut, 404: ErrorOut},
            summary="Each party's and candidate's fund: totals and the limits broken")
def overview(request, election: str):
    e = get_object_or_404(Election, id=election)
    lang = request_lang()
    funds = public.funds(e, lang)
    return {"election": e.id, "reports": funds["reports"],
            "funds": funds["parties"] + funds["candidates"],
            "findings": public.findings(e, lang)}


@router.get("/{election}/entries", response={200: EntriesOut, 404: ErrorOut},
            summary="Itemised income and spending; q searches donors, suppliers and candidates")
def entries(request, election: str, q: str = "",
            limit: Limit = 100, offset: Offset = 0):
    e = get_object_or_404(Election, id=election)
    qs = public.entries(e, q=q)
    lang = request_lang()
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "entries": [public.entry_record(x, lang) for x in qs[offset:offset + limit]]}


@router.post("/{election}/reports", auth=WRITE,
             response={201: ImportedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: ErrorOut},
             summary="Import a fund report (CSV, all or nothing; CEC administrators)")
def import_report(request, election: str, file: File[UploadedFile]):
    e, text, actor = admin_upload(request, election, file)
    report = services.import_report(e, text, file.name or "report.csv", actor)
    return Status(201, {"report": report.number, "rows": report.rows,
                        "findings": e.finance_findings.count()})
