"""Stored XSS: script payloads written into every free-text field a page shows (station address
and settlement, commission, party and organisation names, candidate and observer names,
complaint and decision texts, incident descriptions), then every page that shows them opened in
Chromium. No payload may run: each sets `window.__xss` or opens a dialog if it does.

Two layers are tested at once: templates escape (json_script, autoescape) and the
Content-Security-Policy forbids inline script, so one slip in a template still cannot run."""

import datetime as dt
from pathlib import Path

import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM

PAYLOADS = [
    "</script><script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=\"window.__xss=2;alert(2)\">",
    "\"><svg onload=\"window.__xss=3;alert(3)\">",
    "'><script>window.__xss=4</script>",
]


def _p(i: int) -> str:
    return f"x{i} " + PAYLOADS[i % len(PAYLOADS)]


@pytest.fixture
def site(transactional_db, small_synthetic, tmp_path, monkeypatch, settings):
    """The election with payloads in its free-text fields, and a signed-in observer's session,
    all before Playwright starts (its event loop makes the ORM refuse to run here)."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from sailau.accounts.models import Role
    from sailau.complaints import services as complaints
    from sailau.demo.load import load
    from sailau.elections.models import Candidate, Commission, Party, Station
    from sailau.observation import reports
    from sailau.observation import services as observation

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    e = load(small_synthetic)
    st = e.stations.order_by("number").first()
    Station.objects.filter(pk=st.pk).update(addresses={"kk": _p(0), "ru": _p(1)}, settlements={"kk": _p(2), "ru": _p(3)})
    district = st.district
    Commission.objects.filter(pk__in=[st.commission_id, st.district_id, st.territory_id]).update(
        names={"kk": _p(0), "ru": _p(1), "en": _p(2)}, addresses={"kk": _p(3)})
    Party.objects.filter(election=e).update(names={"kk": _p(1), "ru": _p(2), "en": _p(3)},
                                            short=_p(0)[:40])
    Candidate.objects.filter(contest__election=e).update(full_name=_p(2))
    cec = Commission.objects.get(election=e, level="cec")
    admin = User.objects.create_user("cec-admin")
    Role.objects.create(user=admin, kind=Role.ADMIN, commission=cec)
    manager = User.objects.create_user("manager")
    acc = observation.apply(manager, e.id, "citizen", _p(0), name_ru=_p(1), name_en=_p(2))
    observation.decide(admin, acc.pk, "granted", "7/2023", e.date - dt.timedelta(days=10))
    observer = User.objects.create_user("obs1")
    obs = observation.register_observer(manager, acc.organisation_id, "citizen", _p(3), "obs1")
    observation.answer_invitation(observer, obs.invitations.get().pk, accept=True)
    observation.deploy(manager, obs.pk, st.number)
    at = timezone.make_aware(dt.datetime.combine(e.date, dt.time(11)))
    reports.report_incident(observer, "6d1c1f7e-3f52-4b84-9d5e-2f7a1c1e0b01", st.number,
                            "other", at, _p(1))
    filed_at = timezone.make_aware(dt.datetime.combine(e.date + dt.timedelta(days=1),
                                                       dt.time(10)))
    c, _ = complaints.file_complaint({
        "election": e.id, "filer_kind": "candidate", "filer_name": _p(0),
        "against_kind": "commission", "against_name": _p(1), "topic": "counting",
        "text": _p(2), "body": "commission", "station": str(st.number), "filed_at": filed_at})
    complaints.decide(c, {"outcome": "rejected", "text": _p(3), "number": _p(0)[:60],
                          "decided_on": (e.date + dt.timedelta(days=2)).isoformat()})
    client = Client()
    client.force_login(observer)
    pages = [f"e/{e.id}/", f"e/{e.id}/s/{st.number}/", f"e/{e.id}/c/{district.id}/",
             f"e/{e.id}/c/{st.territory_id}/", f"e/{e.id}/search/?q=x0",
             f"e/{e.id}/search/?q={PAYLOADS[1]}", "complaints/", f"complaints/c/{c.receipt}/",
             "observation/organisations/", "observation/statistics/", "observation/form/"]
    return {"pages": pages, "session": client.cookies["sessionid"].value}


def test_no_payload_runs_on_any_page(live_server, site, browser):
    ctx = browser.new_context()
    host = live_server.url.split("//")[1].split(":")[0]
    ctx.add_cookies([{"name": "sessionid", "value": site["session"], "domain": host,
                      "path": "/"}])
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ran = []
    for lang in ("kk", "en"):
        for path in site["pages"]:
            r = page.goto(f"{live_server.url}/{lang}/{path}")
            assert r.status == 200, (lang, path, r.status)
            assert "x" in page.content()
            page.wait_for_timeout(50)
            if page.evaluate("window.__xss"):
                ran.append((lang, path, page.evaluate("window.__xss")))
    assert not ran and not dialogs, (ran, dialogs)
    # The observer's form really shows the station (its boot data arrived intact).
    page.goto(f"{live_server.url}/en/observation/form/")
    assert "x0 </script>" in page.locator("select[name=station]").first.inner_text()
    ctx.close()


def test_pages_break_no_policy(live_server, site, browser):
    """Every script and style the pages need is a file of this site: opening them logs no
    Content-Security-Policy violation apart from the payloads'."""
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    for path in ["", "complaints/", "complaints/file/", "observation/", "entry/",
                 "voters/"]:
        page.goto(f"{live_server.url}/en/{path}")
    r = page.goto(f"{live_server.url}/api/docs")
    assert r.status == 200
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert not violations, violations
    assert page.goto(f"{live_server.url}/api/").url.endswith("/api/docs")


def test_no_template_styles_an_element_inline():
    """The policy's style-src has no 'unsafe-inline': a `style="…"` attribute is dropped by the
    browser (an image sized that way ran 836 px wide on a 390 px phone), so sizes live in
    site.css. Read from the templates, so a page no test renders is held too."""
    root = Path(__file__).resolve().parents[2] / "sailau"
    found = [f"{p.relative_to(root)}:{n}" for p in root.rglob("templates/**/*.html")
             for n, line in enumerate(p.read_text().splitlines(), 1) if " style=\"" in line]
    assert not found, found


def test_no_template_turns_escaping_off():
    """Every value a template prints is escaped by Django; `|safe`, `{% autoescape off %}` or
    `mark_safe` in a template would let a string through as markup, and the day one of them is
    fed a value someone typed it is a script on every visitor's page. Markup belongs in the
    template itself; data for scripts goes through `json_script`."""
    root = Path(__file__).resolve().parents[2] / "sailau"
    found = [f"{p.relative_to(root)}:{n}" for p in root.rglob("templates/**/*.html")
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if "|safe" in line or "autoescape off" in line or "mark_safe" in line]
    assert not found, found
