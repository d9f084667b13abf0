"""The demo night in progress that the page-type tests (layout, accessibility, journeys) share."""

import pytest


@pytest.fixture
def night(transactional_db, request):
    """A demo night in progress: the addresses of one page of every public type. Made before
    Playwright starts (its event loop makes the ORM refuse to run in this thread)."""
    from sailau.observation.models import ObserverCopy
    from tests.web.demonight import demo_night

    e = demo_night(request)
    territory = e.commissions.filter(level="territorial").order_by("number").first()
    district = e.commissions.filter(parent=territory).order_by("number").first()
    smd = e.commissions.filter(level="smd").order_by("number").first()
    reported = e.stations.filter(protocols__current=True).order_by("number").first()
    waiting = e.stations.exclude(protocols__current=True).order_by("number").first()
    copy = ObserverCopy.objects.filter(station__election=e).order_by("id").first()
    contest = e.contests.exclude(kind="single_member").order_by("id").first()
    base = f"e/{e.id}/"
    pages = {"home": "", "election": base, "territory": f"{base}c/{territory.id}/",
             "district": f"{base}c/{district.id}/", "smd": f"{base}c/{smd.id}/",
             "station": f"{base}s/{reported.number}/", "waiting": f"{base}s/{waiting.number}/",
             "search": f"{base}search/?q={territory.name('ru').split()[0]}",
             "downloads": f"{base}download/", "integrity": f"{base}integrity/",
             "scans": f"scans/{reported.id}/{contest.id}/",
             "flagged": f"scans/flagged/{e.id}/", "complaints": "complaints/",
             "complaint-stats": "complaints/statistics/", "observation": "observation/",
             "copies": "observation/copies/", "observation-stats": "observation/statistics/",
             "voters": "voters/", "voters-report": "voters/report/", "entry-login": "entry/login/"}
    if copy:
        pages["observed"] = f"{base}s/{copy.station.number}/"
    from sailau.finance.models import Entry

    funded = Entry.objects.filter(election=e, party__isnull=False).order_by("pk").first()
    pages["finance"] = f"{base}finance/"
    if funded:
        pages["fund"] = f"{base}finance/party/{funded.party_id}/"
    pages["volunteers"] = "evidence/"
    from sailau.candidates.models import Nomination
    from sailau.observation.models import PvtSample

    listed = Nomination.objects.filter(election=e, kind="list").order_by("id").first()
    appealed = (Nomination.objects.filter(election=e, decisions__appeals__isnull=False)
                .order_by("id").first())
    pages.update({"candidates": f"{base}candidates/", "refusals": f"{base}candidates/refusals/",
                  "candidates-contest": f"{base}candidates/contest/{listed.contest_id}/",
                  "nomination": f"{base}candidates/n/{appealed.key}/"})
    sample = PvtSample.objects.filter(election=e).order_by("id").first()
    if sample:
        pages["pvt"] = f"observation/pvt/{sample.id}/"
    # The station page shows its recordings too (its camera is at the `reported` station).
    pages["recording"] = f"video/r/{_recordings(reported)}/"
    return pages


def _recordings(station) -> int:
    """A camera at `station` with three recordings of its count (registry rows: the pages read
    no file), uploaded by its precinct commission's operator; the first one's id. The demo's own
    recordings arrive only while it serves (sailau/video/demo.py)."""
    import datetime as dt

    from sailau.video.models import Camera, Recording
    from tests import factories as f

    uploader = f.operator(station).username
    cam = Camera.objects.create(station=station, position="санау үстелінің үстінде, 2,5 м",
                                covers=Camera.TABLE, installed_by="№1 УСК",
                                registered_by=uploader)
    start, ids = dt.datetime(2023, 3, 19, 14, 55, tzinfo=dt.UTC), []
    for i in range(3):
        sha = f"{i:02d}" + "ab" * 31
        ids.append(Recording.objects.create(
            camera=cam, station=station, started_at=start + dt.timedelta(hours=i),
            ended_at=start + dt.timedelta(hours=i + 1), duration_ms=3_600_000,
            format="mov,mp4,m4a,3gp,3g2,mj2", size=48_000_000 + i, sha256=sha,
            object_name=f"{sha[:2]}/{sha}.mp4", uploaded_by=uploader).pk)
    return ids[0]


@pytest.fixture
def staff_night(night):
    """The demo night's accounts (demo-operator, demo-coordinator, demo-observer, demo-citizen,
    password demo-NAME) and the addresses of the pages behind a sign-in: the operator's first
    entry, a coordinator's comparison of two entries that differ, the observer's phone form,
    filing a complaint."""
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.demo.accounts import create_demo_accounts
    from sailau.demo.synthetic import ELECTION_ID
    from sailau.elections.models import Contest, Election
    from sailau.protocols import services
    from sailau.protocols.models import DataEntry, Protocol
    from tests import factories as f

    e = Election.objects.get(pk=ELECTION_ID)
    accounts = {name: scope for name, kind, scope, _ in create_demo_accounts(e)}
    contest = e.contests.exclude(kind="single_member").order_by("id").first()
    busy = set(Protocol.objects.values_list("station_id", flat=True)) | set(
        DataEntry.objects.values_list("station_id", flat=True))
    waiting = e.stations.exclude(pk__in=busy).order_by("number")
    own = waiting.filter(commission_id=accounts["demo-operator"]).first()
    # Two typists disagree on one line at another waiting station of the coordinator's territory.
    other = waiting.filter(territory_id=accounts["demo-coordinator"]).exclude(pk=own.pk).first()
    c = Contest.objects.get(pk=contest.pk)
    figures, choices = f.paper(c, other)
    acks = f.warnings(c, figures, choices)
    typists = []
    for name in ("typist-a", "typist-b"):
        u = User.objects.create_user(name)
        Role.objects.create(user=u, kind="operator", commission_id=other.commission_id)
        typists.append(u)
    services.finalise(typists[0], other.id, c.id, 1, figures, choices, acks)
    slipped = dict(figures, mobile_requests=figures["mobile_requests"] + 10)
    services.finalise(typists[1], other.id, c.id, 2, slipped, choices,
                      f.warnings(c, slipped, choices))
    return {"entry": ("operator", f"entry/{own.id}/{c.id}/1/"),
            "resolve": ("coordinator", f"entry/{other.id}/{c.id}/resolve/"),
            "observer-form": ("observer", "observation/form/"),
            "complaint-file": ("citizen", "complaints/file/"),
            "own_station": own.number, "contest": c.id, "station_id": own.id}
