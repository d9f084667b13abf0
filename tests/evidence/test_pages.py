"""The volunteer pages and the API: join, type, check, send, flood (429), claims, the station
page's sentence, the image beside both figures, statistics and CSV, in kk/ru/en."""

import pytest

from sailau.evidence import dispatch, readings, volunteers
from sailau.evidence.models import Image, Reading
from tests.stored import fetch

pytestmark = pytest.mark.django_db


def _official(task):
    p = task.image.scan.protocol
    return dict(p.figures), dict(p.choices)


def _post_fields(figures, choices):
    return {**{f"f_{k}": v for k, v in figures.items()},
            **{f"c_{k}": v for k, v in choices.items()}}


def _own_limit(monkeypatch, rate: int):
    """A low limit (readings a minute), counted under a name of this test's own."""
    import uuid

    monkeypatch.setattr(volunteers, "RATE", rate)
    monkeypatch.setattr(volunteers, "SCOPE", f"test-{uuid.uuid4().hex}")


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.mark.parametrize("lang,words", [("kk", "Ерікті болу"), ("ru", "Стать волонтёром"),
                                        ("en", "Become a volunteer")])
def test_home_in_each_language(client, papers, user, lang, words):
    client.force_login(user)
    page = client.get(f"/{lang}/evidence/").content.decode()
    assert words in page
    if lang != "en":
        assert "Become a volunteer" not in page and "Images" not in page


def test_the_task_page_sends_one_not_yet_a_volunteer_to_the_button_that_makes_one(client, user):
    client.force_login(user)
    page = client.get("/ru/evidence/task/")
    assert page.status_code == 302 and page["Location"] == "/ru/evidence/"
    assert 'action="/ru/evidence/join/"' in client.get(page["Location"]).content.decode()


def test_join_type_check_send(client, papers, user):
    client.force_login(user)
    assert client.post("/en/evidence/join/").status_code == 302
    page = client.get("/en/evidence/task/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Type the figures on the image" in html and "amanat" in html
    assert "are read by volunteers, not by machines" in html  # handwriting: people's work
    task = dispatch.current(volunteers.of(user))
    p = task.image.scan.protocol
    assert f'value="{p.figures["voters_on_list"]}"' not in html  # no official figure shown
    assert client.get(f"/en/evidence/task/{task.pk}/image/").status_code == 200
    figures, choices = _official(task)
    choices["amanat"] += 1000  # breaks a control relation: shown, not refused
    checked = client.post("/en/evidence/task/", {"task": task.pk, "action": "check",
                                                 **_post_fields(figures, choices)})
    assert "Broken control relations" in checked.content.decode()
    assert not Reading.objects.exists()
    figures, choices = _official(task)
    sent = client.post("/en/evidence/task/", {"task": task.pk, "action": "send",
                                              **_post_fields(figures, choices)})
    assert sent.status_code == 302
    assert Reading.objects.get().figures == figures


def test_bad_figures_are_named_in_the_page_language(client, papers, user):
    client.force_login(user)
    client.post("/ru/evidence/join/")
    client.get("/ru/evidence/task/")
    task = dispatch.current(volunteers.of(user))
    figures, choices = _official(task)
    figures["invalid"] = "много"
    page = client.post("/ru/evidence/task/", {"task": task.pk, "action": "send",
                                              **_post_fields(figures, choices)})
    assert page.status_code == 422
    assert not Reading.objects.exists()


def test_someone_elses_image_is_not_served(client, papers, user, volunteers):
    task = dispatch.next_task(volunteers[0])
    client.force_login(user)
    assert client.get(f"/en/evidence/task/{task.pk}/image/").status_code == 404


def test_flooding_is_refused_with_429_and_a_clear_message(client, papers, user, monkeypatch):
    from django.core.cache import cache

    _own_limit(monkeypatch, 2)
    client.force_login(user)
    client.post("/kk/evidence/join/")
    codes = []
    for _ in range(3):
        cache.clear()  # as a full cache forgets: the count is in the database
        client.get("/kk/evidence/task/")
        task = dispatch.current(volunteers.of(user))
        codes.append(client.post("/kk/evidence/task/", {"task": task.pk, "action": "unreadable"}))
    assert [r.status_code for r in codes] == [302, 302, 429]
    assert "секундтан кейін қайталаңыз" in codes[-1].content.decode()


def test_the_api_flow_and_its_limit(client, papers, user, monkeypatch):
    from sailau.accounts.models import ApiToken

    _own_limit(monkeypatch, 1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
    assert client.get("/api/evidence/task", **auth).status_code == 403  # not a volunteer yet
    assert client.post("/api/evidence/volunteer", **auth).status_code == 200
    t = client.get("/api/evidence/task", **auth).json()
    assert set(t) >= {"task", "image_url", "lines", "choice_lines", "relations"}
    task = dispatch.current(volunteers.of(user))
    figures, choices = _official(task)
    body = {"task": t["task"], "figures": figures, "choices": choices}
    r = client.post("/api/evidence/readings", body, content_type="application/json", **auth)
    assert r.status_code == 201
    r = client.post("/api/evidence/readings", body, content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE="ru", **auth)
    assert r.status_code == 429 and r.json()["error"] == "rate_limited"
    assert "повторите через" in r.json()["message"]


def test_station_page_says_checked_by_two_volunteers(client, papers, volunteers):
    a, b = volunteers[:2]
    task = dispatch.next_task(a)
    readings.submit(a, task.pk, *_official(task))
    t2 = dispatch.next_task(b)
    readings.submit(b, t2.pk, *_official(t2))
    image = Image.objects.get(pk=task.image_id)
    st = image.station
    page = client.get(f"/en/e/{st.election_id}/s/{st.number}/").content.decode()
    assert "The official figures match what the paper says, checked by 2 volunteers." in page
    kk = client.get(f"/kk/e/{st.election_id}/s/{st.number}/").content.decode()
    assert "Ресми сандар қағаздағымен сәйкес келеді: 2 ерікті тексерді." in kk
    assert "машина емес, еріктілер оқиды" in kk
    assert "are read by volunteers, not by machines" in page
    detail = client.get(f"/en/evidence/image/{image.pk}/")
    assert detail.status_code == 200
    assert fetch(client, f"/en/evidence/image/{image.pk}/file").status == 200
    api = client.get(f"/api/evidence/stations/{st.id}").json()
    assert api[0]["status"] == "match" and api[0]["verified_by"] == 2


def test_mismatch_shows_both_figures_and_counts_in_the_statistics(client, papers, volunteers):
    a, b, c = volunteers[:3]  # two read it alike, the third confirms
    for v in (a, b, c):
        task = dispatch.next_task(v)
        fig, cho = _official(task)
        cho["amanat"] = 7
        readings.submit(v, task.pk, fig, cho)
    image = Image.objects.get(pk=task.image_id)
    page = client.get(f"/en/evidence/image/{image.pk}/").content.decode()
    assert "The official figures differ from what the paper says" in page
    assert "<strong>7</strong>" in page
    # The station page itself shows the image beside both figures of the differing line.
    st = image.station
    station = client.get(f"/ru/e/{st.election_id}/s/{st.number}/").content.decode()
    assert f"/evidence/image/{image.pk}/file" in station
    official = image.protocol.choices["amanat"]
    assert "<strong>7</strong>" in station and f"<strong>{official}</strong>" in station
    eid = image.station.election_id
    stats = client.get(f"/api/evidence/stats?election={eid}").json()
    assert stats[-1]["images"] == 4 and stats[-1]["verified"] == 1
    assert stats[-1]["mismatches"] == 1
    csv = client.get(f"/en/evidence/stats.csv?election={eid}")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[-1].startswith("total,,4,1,0,1")
