"""Read endpoints of the publication (mounted at /api/publish/): the same documents as the
pages, downloads and snapshots. Every answer carries an ETag (SHA-256 of the body; a matching
If-None-Match gets 304) and CORS headers so that researchers' pages can read it."""

import hashlib

from django.http import HttpResponse
from ninja import Router

from sailau.elections.models import Commission, Election, Station
from sailau.errors import Code, NotFound
from sailau.languages import WRITTEN
from sailau.tlog import canonicaljson

router = Router(tags=["publication"])


def cached_json(request, doc) -> HttpResponse:
    body = canonicaljson.encode(doc)
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    if etag in request.headers.get("If-None-Match", ""):
        r = HttpResponse(status=304)
    else:
        r = HttpResponse(body, content_type="application/json")
    r["ETag"] = etag
    r["Cache-Control"] = "public, max-age=15"  # election night: short, revalidated by ETag
    r["Access-Control-Allow-Origin"] = "*"
    r["Access-Control-Expose-Headers"] = "ETag"
    return r


def _data(election_id: str):
    from sailau.publish.files.election_data import ElectionData

    e = Election.objects.filter(id=election_id).first()
    if e is None:
        raise NotFound(message=f"no election {election_id!r}", code=Code.UNKNOWN_ELECTION)
    return ElectionData.load(e)


@router.get("/elections", auth=None, summary="Every election")
def elections(request):
    return cached_json(request, [{"id": e.id, "kind": e.kind, "date": e.date.isoformat(),
                                  "name": {lang: e.name(lang) for lang in WRITTEN},
                                  "synthetic": e.synthetic}
                                 for e in Election.objects.all()])


@router.get("/elections/{election_id}", auth=None,
            summary="An election: its contests and their choices")
def election(request, election_id: str):
    from sailau.publish.files.commission_documents import election_document

    return cached_json(request, election_document(_data(election_id)))


@router.get("/elections/{election_id}/commissions/{commission_id}", auth=None,
            summary="A commission's totals per contest, its children's, and its stations")
def commission(request, election_id: str, commission_id: str):
    from sailau.publish.files.commission_documents import commission_document

    data = _data(election_id)
    c = data.commissions.get(commission_id)
    if c is None or c.level == Commission.PRECINCT:
        raise NotFound(message=f"no commission {commission_id!r} in {election_id}",
                       code=Code.UNKNOWN_COMMISSION)
    return cached_json(request, commission_document(data, c))


@router.get("/elections/{election_id}/stations/{number}", auth=None,
            summary="A station: every protocol line, version, check, scan and step time")
def station(request, election_id: str, number: int):
    from sailau.publish.files.election_data import ElectionData
    from sailau.publish.files.station_documents import station_document

    s = (Station.objects.select_related("election")
         .filter(election_id=election_id, number=number).first())
    if s is None:
        _data(election_id)  # an unknown election says so
        raise NotFound(message=f"no station number {number} in {election_id}",
                       code=Code.UNKNOWN_STATION)
    return cached_json(request, station_document(ElectionData.for_station(s), s))


@router.get("/elections/{election_id}/search", auth=None,
            summary="Stations by number, address, settlement or commission (kk, ru, Latin), "
                    "50 a page, with the total count")
def search(request, election_id: str, q: str, page: int = 1):
    from sailau.publish.pages import search as engine

    _data(election_id)
    found = engine.search(election_id, q, page)  # a BadQuery is answered 422, naming the field
    return cached_json(request, {
        "count": found.count, "page": found.page, "pages": found.pages,
        "per_page": found.per_page,
        "results": [{"id": s.id, "number": s.number, "settlement": s.settlement,
                     "settlement_ru": s.settlement_ru, "address": s.address,
                     "address_ru": s.address_ru} for s in found.stations]})


@router.get("/elections/{election_id}/nist", auth=None,
            summary="NIST SP 1500-100 v2 results report (precinct level)")
def nist(request, election_id: str):
    from sailau.publish.files import nist as export
    from sailau.publish.storage import mirror

    data = _data(election_id)
    manifest = mirror.published_manifest(election_id)
    import datetime as dt

    # Dated by the latest publication, so the ETag changes only when the data does.
    generated = dt.datetime.fromisoformat(manifest["published_at"]) if manifest else None
    return cached_json(request, export.report(data, generated))


@router.get("/elections/{election_id}/snapshot", auth=None,
            summary="The latest snapshot manifest: file names, SHA-256 and sizes")
def snapshot(request, election_id: str):
    from sailau.publish.storage import mirror

    _data(election_id)
    m = mirror.published_manifest(election_id)
    if m is None:
        raise NotFound(message=f"{election_id} has not been published yet", code=Code.NOT_PUBLISHED)
    return cached_json(request, m)
