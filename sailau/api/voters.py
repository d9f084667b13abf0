"""The voter lists over HTTP (django-ninja). Public: the "where do I vote" lookup (POST: the
IIN stays out of addresses and logs) and the oversight report (counts only). Staff (Django
session): a station's list, absentee certificates, transfers, mobile requests, same-day
additions. Mounted at /api/voters/ (sailau.api.api)."""


from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from sailau.accounts.permissions import NotAllowed
from sailau.api.auth import session_auth
from sailau.api.errors import ErrorOut
from sailau.clientaddr import client_address
from sailau.elections.models import Election, Station
from sailau.errors import Code, NotFound
from sailau.languages import language
from sailau.voters import models as m
from sailau.voters import report, services
from sailau.voters.access import log_access
from sailau.voters.lookup import where_do_i_vote
from sailau.voters.permissions import can_see

router = Router(tags=["voters"])


class LookupIn(Schema):
    election: str
    iin: str
    lang: str = "kk"


class LookupOut(Schema):
    status: str  # found, not_found, invalid, limited
    station: int | None = None
    address: str = ""


class IinIn(Schema):
    iin: str


class RedeemIn(Schema):
    certificate: str
    station: int


class TransferIn(Schema):
    iin: str
    station: int
    address: str


class MobileIn(Schema):
    iin: str
    reason: str


class AdditionIn(Schema):
    station: int
    iin: str
    reason: str
    document_kind: str
    document_number: str
    reason_text: str = ""
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    region: str = ""
    locality: str = ""
    street: str = ""
    house: str = ""
    apartment: str = ""


ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/lookup", auth=None, response={200: LookupOut, 429: LookupOut, 404: ErrorOut},
             summary="Where do I vote: the station number and address for an IIN, nothing else")
def lookup(request, body: LookupIn):
    election = Election.objects.filter(pk=body.election).first()
    if election is None:
        raise NotFound(code=Code.NOT_FOUND, message="no such election", field="election")
    a = where_do_i_vote(election, body.iin, client_address(request), language(body.lang))
    return Status(429 if a.status == "limited" else 200, a.to_json())


@router.get("/{election}/report", auth=None,
            summary="Oversight report by station and territory (counts only, public)")
def oversight(request, election: str, territory: str = ""):
    e = get_object_or_404(Election, pk=election)
    rows = report.by_station(e, territory)
    return {"stations": rows, "territories": report.by_territory(rows)}


@router.get("/{election}/stations/{number}/list", auth=session_auth,
            response={200: dict, 403: ErrorOut}, summary="A station's list (staff; logged)")
def station_list(request, election: str, number: int):
    st = get_object_or_404(Station, election_id=election, number=number)
    if not can_see(request.user, st):
        raise NotAllowed(message="no role of yours covers this station", field="station")
    entries = list(m.ListEntry.objects.filter(station=st).select_related("voter")
                   .order_by("voter__last_name", "voter__first_name"))
    log_access(request.user, "view_list", f"station:{st.id}", entries=len(entries), via="api")
    return {"station": st.number, "voters": [
        {"iin": e.voter.iin, "name": e.voter.full_name(), "birth_date": e.voter.birth_date.isoformat(),
         "address": ", ".join(x for x in (e.voter.locality, e.voter.street, e.voter.house,
                                          e.voter.apartment) if x),
         "state": e.state, "same_day": e.same_day} for e in entries]}


@router.post("/{election}/absentee", auth=session_auth, response={201: dict, **ERRORS},
             summary="Issue an absentee certificate (until 18:00 the day before)")
def absentee(request, election: str, body: IinIn):
    e = get_object_or_404(Election, pk=election)
    cert = services.issue_absentee(services.entry_by_iin(e, body.iin, request.user), request.user)
    return Status(201, {"certificate": cert.number, "home_station": cert.home_station.number})


@router.post("/{election}/absentee/redeem", auth=session_auth, response={200: dict, **ERRORS},
             summary="Redeem a certificate once, at any station; a second time is refused")
def redeem(request, election: str, body: RedeemIn):
    e = get_object_or_404(Election, pk=election)
    cert = services.redeem_absentee(e, body.certificate, body.station, request.user)
    return {"certificate": cert.number, "station": cert.redeemed_station.number,
            "redeemed_at": cert.redeemed_at.isoformat()}


@router.post("/{election}/transfers", auth=session_auth, response={201: dict, **ERRORS},
             summary="Transfer to the list of the place of temporary residence")
def transfer(request, election: str, body: TransferIn):
    e = get_object_or_404(Election, pk=election)
    t = services.transfer(services.entry_by_iin(e, body.iin, request.user), body.station, body.address,
                          request.user)
    return Status(201, {"from_station": t.from_station.number, "to_station": t.to_station.number})


@router.post("/{election}/mobile", auth=session_auth, response={201: dict, **ERRORS},
             summary="Record a mobile-voting request (until 12:00 on election day)")
def mobile(request, election: str, body: MobileIn):
    e = get_object_or_404(Election, pk=election)
    r = services.request_mobile(services.entry_by_iin(e, body.iin, request.user), body.reason, request.user)
    return Status(201, {"station": r.station.number, "at": r.at.isoformat()})


@router.post("/{election}/additions", auth=session_auth, response={201: dict, **ERRORS},
             summary="Add a voter on election day (reason, document, who added: all logged)")
def addition(request, election: str, body: AdditionIn):
    e = get_object_or_404(Election, pk=election)
    data = body.dict()
    person = services.Person(**{f: data[f] for f in services.Person.__dataclass_fields__})
    a = services.add_same_day(e, body.station, person, body.reason, body.document_kind,
                              body.document_number, request.user, body.reason_text)
    return Status(201, {"station": a.station.number, "reason": a.reason,
                        "at": a.at.isoformat()})


