"""The accreditation workflow as pages: an organisation applies with its observers, the deciding
commission grants or refuses with reasons (role-checked, each decision an audit record), the
badges of a granted organisation; refusals named in the page's language, nothing half-written."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sailau.audit.models import Record
from sailau.observation import models as m

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert(1)</script>"\'&{{ x }}'


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _application(election, **extra) -> dict:
    return {"election": election.id, "kind": "citizen", "name_kk": "Әділ сайлау " + HOSTILE,
            "name_ru": "", "name_en": "", "territory": "", "contact": HOSTILE,
            "observer_name": ["Айгүл " + HOSTILE, "", "Ержан Бекұлы"],
            "observer_kind": ["citizen", "citizen", "party_proxy"], **extra}


def test_apply_with_observers_then_the_commission_refuses_then_grants(election, admin_user):
    applicant = User.objects.create_user("applicant")
    c = _client(applicant)
    assert c.get("/kk/observation/apply/").status_code == 200
    r = c.post("/ru/observation/apply/", _application(election))
    assert r.status_code == 302 and "/observation/queue/?applied=" in r["Location"]
    org = m.Organisation.objects.get()
    assert sorted(org.observers.values_list("full_name", "kind")) == [
        ("Айгүл " + HOSTILE, "citizen"), ("Ержан Бекұлы", "party_proxy")]
    applied = Record.objects.get(action="observation.applied")
    assert [o["full_name"] for o in applied.payload["observers"]] == ["Айгүл " + HOSTILE,
                                                                      "Ержан Бекұлы"]
    mine = c.get("/en/observation/queue/").content.decode()
    assert "<script>alert(1)" not in mine and "&lt;script&gt;alert(1)" in mine
    assert "after the accreditation is granted" in mine  # no badge before the decision
    badge = org.observers.first().badge
    assert c.get(f"/en/observation/badge/{badge}.pdf").status_code == 403

    # The CEC's administrator sees it in the queue; a refusal without reasons is named.
    staff = _client(admin_user)
    queue = staff.get("/kk/observation/queue/").content.decode()
    acc = org.accreditations.get()
    assert f'action="/kk/observation/queue/{acc.pk}/"' in queue
    r = staff.post(f"/ru/observation/queue/{acc.pk}/", {
        "status": "refused", "decision_number": "12/2023", "decision_date": "2023-03-01",
        "reasons": "  "})
    assert r.status_code == 422 and "reasons: " in r.content.decode()
    assert "12/2023" in r.content.decode()  # what was typed is kept
    acc.refresh_from_db()
    assert acc.status == "pending" and not Record.objects.filter(
        action__startswith="observation.accreditation_").exists()
    r = staff.post(f"/kk/observation/queue/{acc.pk}/", {
        "status": "refused", "decision_number": "12/2023", "decision_date": "2023-03-01",
        "reasons": "Өтініш кеш берілді " + HOSTILE})
    assert r.status_code == 302
    acc.refresh_from_db()
    assert (acc.status, acc.decided_by) == ("refused", "cec-admin")
    assert Record.objects.filter(action="observation.accreditation_refused").count() == 1
    public = Client().get(f"/en/observation/organisations/?election={election.id}").content
    assert "Өтініш кеш берілді &lt;script&gt;".encode() in public

    # A second application, granted: the manager sees the badges, the PDF is issued.
    c.post("/ru/observation/apply/", _application(election, name_kk="Екінші"))
    second = m.Accreditation.objects.get(organisation__names__kk="Екінші")
    r = staff.post(f"/en/observation/queue/{second.pk}/", {
        "status": "granted", "decision_number": "13/2023", "decision_date": "2023-03-02"})
    assert r.status_code == 302
    assert Record.objects.filter(action="observation.accreditation_granted").count() == 1
    badge = second.organisation.observers.first().badge
    assert f"/en/observation/badge/{badge}.pdf" in c.get("/en/observation/queue/").content.decode()
    pdf = c.get(f"/en/observation/badge/{badge}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("lang,word", [("kk", "міндетті"), ("ru", "обязательно"),
                                       ("en", "required")])
def test_a_bad_observer_row_is_named_and_nothing_is_written(election, lang, word):
    c = _client(User.objects.create_user("applicant"))
    r = c.post(f"/{lang}/observation/apply/", _application(
        election, observer_kind=["citizen", "citizen", "astronaut"]))
    assert r.status_code == 422
    html = r.content.decode()
    assert "observers[1].kind" in html and "astronaut" not in html.split("role=\"alert\"")[0]
    assert not m.Organisation.objects.exists() and not m.Observer.objects.exists()
    r = c.post(f"/{lang}/observation/apply/", _application(election, name_kk=" "))
    assert r.status_code == 422 and "name_kk: " + word in r.content.decode()
    assert "Ержан Бекұлы" in r.content.decode()  # the rows typed come back
    assert not m.Organisation.objects.exists()


def test_only_the_deciding_commission_decides(election, admin_user):
    from sailau.accounts.models import Role
    from sailau.elections.models import Commission
    from sailau.observation import services

    t1, t2 = Commission.objects.filter(election=election, level="territorial").order_by(
        "number")[:2]
    acc = services.apply(User.objects.create_user("applicant"), election.id, "citizen",
                         "Өңірлік", territory_id=t1.id)
    outsider = User.objects.create_user("coord2")
    Role.objects.create(user=outsider, kind=Role.COORDINATOR, commission=t2)
    c = _client(outsider)
    assert f"/queue/{acc.pk}/" not in c.get("/en/observation/queue/").content.decode()
    r = c.post(f"/ru/observation/queue/{acc.pk}/", {
        "status": "granted", "decision_number": "1", "decision_date": "2023-03-01"})
    assert r.status_code == 403 and "coord2" in r.content.decode()
    acc.refresh_from_db()
    assert acc.status == "pending"
    r = _client(admin_user).post(f"/en/observation/queue/{acc.pk}/", {
        "status": "granted", "decision_number": "1", "decision_date": "1 March"})
    assert r.status_code == 422 and "decision_date: a date (YYYY-MM-DD)" in r.content.decode()
    # Anonymous: sent to sign in, nothing decided.
    assert Client().post(f"/en/observation/queue/{acc.pk}/", {}).status_code == 302
    acc.refresh_from_db()
    assert acc.status == "pending"


@pytest.mark.parametrize("lang,word", [("kk", "аккредиттелмеген"), ("ru", "не аккредитована"),
                                       ("en", "is not accredited")])
def test_the_phone_app_refuses_an_observer_no_longer_accredited(org_setup, lang, word):
    import datetime as dt
    import json

    from sailau.observation import services

    c = _client(org_setup["user"])
    html = c.get(f"/{lang}/observation/form/").content.decode()
    boot = json.loads(html.split('id="boot" type="application/json">')[1].split("</script>")[0])
    st = boot["stations"][0]
    assert [cid for cid, _ in st["commissions"]] == [org_setup["station"].district_id,
                                                    org_setup["station"].territory_id]
    assert st["contests"] and all(k["lines"] and k["choices"] for k in st["contests"])
    acc = org_setup["organisation"].accreditations.get()
    services.decide(org_setup["admin"], acc.pk, "revoked", "9/2023", dt.date(2023, 3, 5),
                    "Observers campaigned")
    html = c.get(f"/{lang}/observation/form/").content.decode()
    assert word in html and 'id="boot"' not in html and 'rel="manifest"' not in html


def test_the_managers_observers_come_a_page_at_a_time(org_setup, monkeypatch):
    """An organisation of thousands of observers: its manager's page lists them a page at a
    time, in the page's language."""
    from sailau.observation import accreditation_pages, services

    c = _client(org_setup["manager"])
    org = org_setup["organisation"]

    def names(query: str = "") -> tuple[list[str], str]:
        html = c.get(f"/ru/observation/queue/{query}").content.decode()
        return re.findall(r'<tr><th scope="row"><span translate="no">([^<]+)</span></th>', html), html

    monkeypatch.setattr(accreditation_pages, "OBSERVERS_PER_PAGE", 2)
    one, html = names()
    assert one == ["Айгүл Тестова"] and 'class="pages"' not in html
    for n in ("Бауыржан Ахметов", "Гүлнар Омарова", "Дәурен Сейітов"):
        services.register_observer(org_setup["manager"], org.pk, "citizen", n)
    first, html = names()
    assert len(first) == 2 and "страница 1 из 2" in html and 'href="?page=2"' in html
    second, html = names("?page=2")
    assert len(second) == 2 and "страница 2 из 2" in html and 'href="?page=1"' in html
    assert sorted(first + second) == sorted(org.observers.values_list("full_name", flat=True))
