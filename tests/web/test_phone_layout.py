"""Every public page type at 390 px (and 1366 px) in Kazakh and Russian, against a demo night in
progress (60 % reported): no sideways scrolling, no table whose heading row and body rows show a
different number of columns, no word cut between two lines. The measures are in
layout_checks.js, shared with scripts/screenshots."""

from pathlib import Path

import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM
CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()


@pytest.fixture
def night(transactional_db, tmp_path, monkeypatch):
    """A demo night in progress: the addresses of one page of every public type. Made before
    Playwright starts (its event loop makes the ORM refuse to run in this thread)."""
    from sailau.cli.demo import build
    from sailau.observation.models import ObserverCopy

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = build(seed=11, stations=120, reported=60, say=lambda *a, **k: None)
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
    return pages


def test_pages_fit_a_phone_in_kazakh_and_russian(live_server, night, browser):
    faults = []
    for width in (390, 1366):
        page = browser.new_page(viewport={"width": width, "height": 844})
        for lang in ("kk", "ru"):
            for name, path in night.items():
                r = page.goto(f"{live_server.url}/{lang}/{path}")
                assert r.status == 200, (lang, name, r.status)
                found = page.evaluate(CHECKS)
                if found["overflow"] > 1:
                    faults.append((width, lang, name, "scrolls sideways", found["widest"]))
                if found["tables"]:
                    faults.append((width, lang, name, "columns differ", found["tables"]))
                if found["broken"]:
                    faults.append((width, lang, name, "words cut", found["broken"][:5]))
        page.close()
    assert not faults, "\n".join(map(str, faults))
