"""A whole election day on the observer's phone, offline at 390 px: counts of voters through the
day, a tabulation-stage checklist at the commission above the station, an incident with a photo,
the certified copy's photo and figures; the phone is reloaded offline (everything still waits),
then comes back online and every report is stored exactly once, photos with the hash taken on
the phone and their capture time. A report sent again with its uuid stores nothing new."""

import hashlib
import io
import json
import os
import time

import pytest

from tests.browser import NEEDS_CHROMIUM, PHONE
from tests.observation.test_offline_app import open_form

pytestmark = NEEDS_CHROMIUM
HOSTILE = '<img src=x onerror="document.title=1">{{ x }}\'"&'


@pytest.fixture
def day(transactional_db, small_synthetic, tmp_path, settings):
    """An accredited organisation's observer with a password, deployed to the first station;
    the official figures of the first contest the station votes in (to type as the copy's);
    a photo on disk taken two hours ago. Made before Playwright starts (its event loop makes
    the ORM refuse to run in this thread)."""
    import datetime as dt

    from django.contrib.auth.models import User
    from PIL import Image

    from sailau.accounts.models import Role
    from sailau.demo.load import load
    from sailau.elections import areas
    from sailau.elections.models import Commission
    from sailau.observation import services

    settings.MEDIA_ROOT = tmp_path / "media"
    election = load(small_synthetic, route=False)
    admin = User.objects.create_user("cec-admin")
    Role.objects.create(user=admin, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    manager = User.objects.create_user("manager")
    acc = services.apply(manager, election.id, "citizen", "Тест " + HOSTILE,
                         observers=[("party_proxy", "Айгүл " + HOSTILE)])
    services.decide(admin, acc.pk, "granted", "7/2023", dt.date(2023, 3, 1))
    User.objects.create_user("obs1", password="offline-1")
    obs = services.register_observer(manager, acc.organisation_id, "party_proxy", "Айгүл",
                                     "obs1")
    services.answer_invitation(User.objects.get(username="obs1"), obs.invitations.get().pk,
                               accept=True)
    station = election.stations.order_by("number").first()
    services.deploy(manager, obs.pk, station.number)
    contest = next(c for c in election.contests.select_related("commission").order_by("id")
                   if areas.contains(c.commission, station))
    paper = small_synthetic.protocols[(station.id, contest.id)]
    photo = tmp_path / "copy.png"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, "PNG")
    photo.write_bytes(buf.getvalue())
    taken = time.time() - 2 * 3600
    os.utime(photo, (taken, taken))
    return {"station": station, "contest": contest, "figures": paper["figures"],
            "choices": paper["choices"], "photo": photo, "taken": taken,
            "sha256": hashlib.sha256(buf.getvalue()).hexdigest()}


def _waiting(page, n: int) -> None:
    page.wait_for_function(f"() => document.getElementById('queue').dataset.count === '{n}'",
                           timeout=120_000)


def test_a_whole_day_offline_then_synced_once(live_server, day, browser, monkeypatch):
    context, page = open_form(browser, live_server.url, "kk")
    bodies = []
    page.on("request", lambda r: bodies.append((r.url, r.post_data))
            if r.method == "POST" and "/api/observation/counts" in r.url else None)

    context.set_offline(True)
    page.reload()  # no network: the worker's copy of the app
    page.wait_for_selector("#copy #lines input")  # the script has drawn the copy's lines
    _waiting(page, 0)
    # Voters counted at arrival, through the day, at departure.
    for moment, voters in (("arrival", "12"), ("during", "140"), ("departure", "388")):
        page.select_option("#count select[name=moment]", moment)
        page.fill("#count input[name=voters]", voters)
        page.click("#count button[type=submit]")
    _waiting(page, 3)
    # The tabulation stage, at the district commission above the station.
    page.select_option("#checklist select[name=stage]", "tabulation")
    page.wait_for_selector("#checklist .tabulation:not([hidden])")
    page.select_option("#checklist select[name=commission]", day["station"].district_id)
    page.check("#checklist input[name='item:changed_without_decision'][value=yes]")
    page.check("#checklist input[name='item:overall'][value=bad]")
    page.click("#checklist button[type=submit]")
    _waiting(page, 4)
    # An incident with a photo, its text hostile.
    page.select_option("#incident select[name=kind]", "copy_refused")
    page.fill("#incident textarea[name=description]", "Көшірме берілмеді " + HOSTILE)
    page.set_input_files("#incident input[name=photos]", str(day["photo"]))
    page.click("#incident button[type=submit]")
    _waiting(page, 5)
    # The certified copy: its photo and its figures as written on it.
    page.set_input_files("#copy input[name=photo]", str(day["photo"]))
    for key, value in day["figures"].items():
        page.fill(f"#copy input[name='line:{key}']", str(value))
    for key, value in day["choices"].items():
        page.fill(f"#copy input[name='choice:{key}']", str(value))
    page.click("#copy button[type=submit]")
    _waiting(page, 6)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.title() != "1"  # the hostile text stayed text

    page.reload()  # still offline: every report still waits on the phone
    page.wait_for_selector("#copy #lines input")
    _waiting(page, 6)
    assert "2 " not in page.locator("#queue").inner_text()  # one photo each, not two

    context.set_offline(False)
    page.click("#sync")
    _waiting(page, 0)
    assert page.locator("#queue li.refused").count() == 0
    # The same queued count sent again, with its uuid: stored once.
    url, body = bodies[0]
    again = page.evaluate("""([url, body]) => fetch(url, {method: 'POST', credentials:
        'same-origin', headers: {'Content-Type': 'application/json', 'X-CSRFToken':
        document.cookie.match(/csrftoken=([^;]+)/)[1]}, body}).then(r => r.json()
        .then(j => [r.status, j.created]))""", [url, body])
    assert again == [200, False]
    context.close()

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's loop
    from sailau.observation import models as m

    counts = sorted(m.VoterCount.objects.values_list("moment", "voters"))
    assert counts == [("arrival", 12), ("departure", 388), ("during", 140)]
    assert json.loads(body)["uuid"] in {str(u) for u in m.VoterCount.objects.values_list(
        "uuid", flat=True)}
    cl = m.ChecklistSubmission.objects.get()
    assert (cl.stage, cl.commission_id, cl.answers["overall"]) == (
        "tabulation", day["station"].district_id, "bad")
    incident = m.Incident.objects.get()
    assert incident.description == "Көшірме берілмеді " + HOSTILE
    photo = incident.photos.get()
    assert photo.sha256 == day["sha256"]
    assert abs(photo.captured_at.timestamp() - day["taken"]) < 2
    copy = m.ObserverCopy.objects.get()
    assert copy.photo_sha256 == day["sha256"] and copy.figures == day["figures"]
    assert copy.choices == day["choices"]
    assert abs(copy.photo_captured_at.timestamp() - day["taken"]) < 2


def test_on_the_demo_clock_the_forms_times_are_the_nights(live_server, day, browser, monkeypatch,
                                                          demo_clock):
    """The demo's clock is on its election's night: the form prefills its times on that clock
    (the phone's time would be in the server's future and refused)."""
    import datetime as dt

    context, page = open_form(browser, live_server.url, "kk")
    page.select_option("#count select[name=moment]", "arrival")
    page.fill("#count input[name=voters]", "12")
    # The queue's count is 0 before the form queues the count too: wait for the server's answer.
    with page.expect_response(lambda r: "/api/observation/counts" in r.url
                              and r.request.method == "POST", timeout=120_000) as sent:
        page.click("#count button[type=submit]")
    assert sent.value.status in (200, 201)
    _waiting(page, 0)
    assert page.locator("#queue li.refused").count() == 0
    context.close()

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's loop
    from django.utils import timezone

    from sailau.observation import models as m

    count = _stored(m.VoterCount)
    assert demo_clock.closing < count.at < demo_clock.ends + dt.timedelta(minutes=10)
    assert timezone.localtime(count.received_at).date() == dt.date(2023, 3, 20)


def _stored(model, seconds: float = 15.0):
    """The one row of `model`, once the server has written it: the page's queue empties when
    the answer arrives, and on a loaded machine the test's read can come first."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            return model.objects.get()
        except model.DoesNotExist:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
