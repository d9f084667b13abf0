"""The observer's phone form as an offline web app: its manifest and service worker (scope: the
form only), a reload without a network opens the form with the reports still waiting, and back
online they are sent once: a report whose answer was lost on the way is sent again with the same
uuid and stored once."""

import json

import pytest
from django.test import Client

from tests.browser import NEEDS_CHROMIUM, PHONE


@pytest.fixture
def observer(transactional_db, small_synthetic):
    """An accredited organisation's observer with a password, deployed to the first station.
    Made before Playwright starts (its event loop makes the ORM refuse to run in this thread)."""
    import datetime as dt

    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.demo.load import load
    from sailau.elections.models import Commission
    from sailau.observation import services

    election = load(small_synthetic, route=False)
    admin = User.objects.create_user("cec-admin")
    Role.objects.create(user=admin, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    manager = User.objects.create_user("manager")
    acc = services.apply(manager, election.id, "citizen", "Тест қоры", name_en="Test foundation")
    services.decide(admin, acc.pk, "granted", "7/2023", dt.date(2023, 3, 1))
    user = User.objects.create_user("obs1", password="offline-1")
    obs = services.register_observer(manager, acc.organisation_id, "citizen", "Айгүл Тестова",
                                     "obs1")
    services.answer_invitation(user, obs.invitations.get().pk, accept=True)
    services.deploy(manager, obs.pk, election.stations.order_by("number").first().number)
    return user


def open_form(browser, base: str, lang: str):
    """A phone-sized context signed in as obs1 on the form, its service worker in control."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/{lang}/observation/login/?next=/{lang}/observation/form/")
    page.fill("#id_username", "obs1")
    page.fill("#id_password", "offline-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/observation/form/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return context, page


def test_manifest_and_worker_are_served_for_the_form_only(observer):
    c = Client()
    c.force_login(observer)
    html = c.get("/kk/observation/form/").content.decode()
    assert 'rel="manifest" href="/kk/observation/form/manifest.webmanifest"' in html
    r = c.get("/kk/observation/form/manifest.webmanifest")
    doc = json.loads(r.content)
    assert r["Content-Type"] == "application/manifest+json"
    assert doc["start_url"] == doc["scope"] == "/kk/observation/form/"
    assert doc["name"] == "Sailau: байқаушының телефон формасы" and doc["display"] == "standalone"
    assert {i["sizes"] for i in doc["icons"]} == {"192x192", "512x512"}
    for icon in doc["icons"]:
        assert c.get(icon["src"]).status_code == 200
    w = c.get("/ru/observation/form/worker.js")
    assert w["Content-Type"].startswith("text/javascript") and w["Cache-Control"] == "no-cache"
    shell = json.loads(w.content.decode().split("\n", 1)[0].removeprefix("self.SHELL = ")
                       .removesuffix(";"))
    assert shell["page"] == "/ru/observation/form/" and shell["cache"].startswith(
        "sailau-observer-ru-")
    assert "/static/observation/form.js" in shell["assets"]


@NEEDS_CHROMIUM[0]
@NEEDS_CHROMIUM[1]
def test_form_reloads_offline_and_syncs_once_when_back(live_server, observer, browser,
                                                       monkeypatch):
    lang = "ru"
    context, page = open_form(browser, live_server.url, lang)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/{lang}/observation/form/"

    context.set_offline(True)
    page.reload()  # no network: the worker's copy of the form
    assert page.locator("#incident").is_visible()
    page.fill("#incident textarea[name=description]", "Ballot box not sealed")
    page.click("#incident button[type=submit]")
    page.wait_for_selector("#queue li:has-text('№')")
    page.reload()  # still offline: the report is still waiting (drawn from IndexedDB)
    page.wait_for_function("() => document.getElementById('queue').dataset.count === '1'")
    assert page.locator("#queue li").count() == 1
    assert "№" in page.locator("#queue li").inner_text()
    assert page.locator("link[rel=stylesheet][href$='form.css']").count() == 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")

    # Back online: the form sends at once; the answer is lost on the way (the server stored
    # it), so the report stays queued and is sent again with its uuid.
    sent, lost = [], []

    def lose_the_answer(route):
        sent.append(json.loads(route.request.post_data)["uuid"])
        route.fetch()
        route.abort()
        lost.append(True)

    page.route("**/api/observation/incidents", lose_the_answer)
    with page.expect_request("**/api/observation/incidents"):
        context.set_offline(False)
    page.wait_for_function("() => document.getElementById('status').textContent.length > 0")
    # The status shows as the request leaves; the handler may still be fetching. Unrouting
    # then lets the request through and the handler's abort fails ("already handled").
    for _ in range(1200):
        if lost:
            break
        page.wait_for_timeout(50)
    assert lost, "the lost answer's handler never finished"
    page.unroute("**/api/observation/incidents")
    assert page.locator("#queue li").count() == 1
    with page.expect_response("**/api/observation/incidents") as answer:
        page.click("#sync")
    assert answer.value.status == 200  # the stored report, not a second one
    page.wait_for_selector("#queue li:not(:has-text('№'))")
    assert len(sent) == 1
    context.close()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's loop
    from sailau.observation.models import Incident

    stored = list(Incident.objects.values_list("uuid", flat=True))
    assert [str(u) for u in stored] == sent


@NEEDS_CHROMIUM[0]
@NEEDS_CHROMIUM[1]
def test_after_signing_out_the_kept_form_is_forgotten(live_server, observer, browser):
    """A phone passed on after sign-out must not open the previous observer's form (their
    name, their session's token) from the worker's cache when there is no network."""
    from playwright.sync_api import Error

    form = f"{live_server.url}/ru/observation/form/"
    context, page = open_form(browser, live_server.url, "ru")
    page.reload()  # the worker has a kept copy of the form now
    assert page.locator("#incident").is_visible()

    context.clear_cookies()  # signed out: the session is gone
    page.goto(form)
    assert "/login/" in page.url  # sent to sign in, through the worker
    context.set_offline(True)
    with pytest.raises(Error):
        page.goto(form)  # nothing kept to open offline
    assert page.locator("#incident").count() == 0
    context.close()
