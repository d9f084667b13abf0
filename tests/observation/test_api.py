"""The observation API: idempotent sync by uuid, the errors it answers with, public reads."""

import io
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from sailau.accounts.models import ApiToken
from sailau.observation import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(org_setup):
    def make(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
    return make


def checklist(station, u=None, overall="bad"):
    return {"uuid": str(u or uuid.uuid4()), "station": station, "stage": "counting",
            "answers": {"signatures_counted": "no", "overall": overall},
            "observed_at": timezone.now().isoformat()}


def test_sync_twice_stores_once(org_setup, client_for):
    c = client_for(org_setup["user"])
    body = checklist(org_setup["station"].id)
    r1 = c.post("/api/observation/checklists", body, content_type="application/json")
    r2 = c.post("/api/observation/checklists", body, content_type="application/json")
    assert r1.status_code == 201 and r1.json()["created"] is True
    assert r2.status_code == 200 and r2.json()["created"] is False
    assert r1.json()["id"] == r2.json()["id"]
    assert m.ChecklistSubmission.objects.count() == 1
    r3 = c.post("/api/observation/checklists", {**body, "answers": {"overall": "good"}},
                content_type="application/json")
    assert r3.status_code == 409 and r3.json()["error"] == "uuid_conflict"


def test_errors_are_clear(org_setup, client_for):
    c = client_for(org_setup["user"])
    other = org_setup["station"].election.stations.exclude(pk=org_setup["station"].pk).first()
    r = c.post("/api/observation/checklists", checklist(other.id), content_type="application/json")
    assert r.status_code == 403 and r.json()["error"] == "not_deployed"
    assert str(other.number) in r.json()["message"]
    r = c.post("/api/observation/copies", {"uuid": str(uuid.uuid4()), "station": "nope",
                                           "contest": "x", "figures": {}, "choices": {}},
               content_type="application/json")
    assert r.status_code == 404 and r.json()["field"] == "station"
    anon = Client().post("/api/observation/checklists", checklist(org_setup["station"].id),
                         content_type="application/json")
    assert anon.status_code == 401
    assert not m.ChecklistSubmission.objects.exists()


@pytest.mark.parametrize("lang, words", [
    ("kk", ["учаскесіне", "жіберілмеген"]), ("ru", ["не направлен", "на участок"]),
    ("en", ["is not deployed to station"])])
def test_refusals_read_in_the_requests_language(org_setup, client_for, lang, words):
    """An observer's refusal names the station in the language the phone asks for, not in a
    generic sentence, and with no English left on a kk or ru answer."""
    other = org_setup["station"].election.stations.exclude(pk=org_setup["station"].pk).first()
    r = client_for(org_setup["user"]).post(
        "/api/observation/checklists", checklist(other.id), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=lang)
    body = r.json()
    assert r.status_code == 403 and body["error"] == "not_deployed" and body["field"] == "station"
    assert body["message"].startswith("station: ")
    assert str(other.number) in body["message"] and other.id in body["message"]
    assert all(w in body["message"] for w in words), body["message"]
    if lang != "en":
        assert "deployed" not in body["message"]
    r = client_for(org_setup["user"]).post(
        "/api/observation/counts", {"uuid": str(uuid.uuid4()), "station": org_setup["station"].id,
                                    "moment": "noon", "at": timezone.now().isoformat(),
                                    "voters": 3},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)
    message = r.json()["message"]
    assert r.status_code == 422 and "arrival, during, departure" in message
    assert ("must be one of" in message) == (lang == "en")


def test_incident_photo_upload(org_setup, client_for):
    from PIL import Image

    c = client_for(org_setup["user"])
    u = str(uuid.uuid4())
    r = c.post("/api/observation/incidents", {
        "uuid": u, "station": str(org_setup["station"].number), "kind": "copy_refused",
        "occurred_at": timezone.now().isoformat(), "description": "No copy given"},
        content_type="application/json")
    assert r.status_code == 201
    bad = c.post(f"/api/observation/incidents/{u}/photos",
                 {"photo": io.BytesIO(b"plain text, not a photo")})
    assert bad.status_code == 422 and bad.json()["error"] == "not_an_image"
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "p.jpg"
    ok = c.post(f"/api/observation/incidents/{u}/photos", {"photo": buf})
    assert ok.status_code == 201 and ok.json()["width"] == 4
    assert m.IncidentPhoto.objects.count() == 1


def test_copy_comparison_and_public_reads(org_setup, client_for):
    from sailau.protocols.models import Protocol

    c = client_for(org_setup["user"])
    st = org_setup["station"]
    p = Protocol.objects.get(station=st, contest__kind="party_list", current=True)
    choices = {**p.choices, "amanat": p.choices["amanat"] - 5}
    r = c.post("/api/observation/copies", {"uuid": str(uuid.uuid4()), "station": st.id,
                                           "contest": p.contest_id, "figures": p.figures,
                                           "choices": choices}, content_type="application/json")
    assert r.status_code == 201
    cmp = r.json()["comparison"]
    assert cmp["status"] == "different"
    assert cmp["differences"] == [{"part": "choices", "line": "amanat", "official": p.choices["amanat"],
                                   "copy": choices["amanat"], "by": 5}]
    public = Client()
    listed = public.get(f"/api/observation/copies?election={st.election_id}&status=different").json()
    assert listed["count"] == 1 and listed["copies"][0]["number"] == st.number
    orgs = public.get(f"/api/observation/organisations?election={st.election_id}").json()
    assert orgs["organisations"][0]["accreditations"][0]["decision_number"] == "7/2023"
    badge = public.get(f"/api/observation/badges/{org_setup['observer'].badge}").json()
    assert badge["accredited"] and badge["stations"] == [st.id]
    forms = public.get("/api/observation/forms").json()
    assert set(forms["versions"][forms["current"]]["stages"]) == {"opening", "voting", "counting",
                                                                   "tabulation"}


def test_statistics_and_pvt_endpoints(org_setup, client_for):
    c = client_for(org_setup["user"])
    st = org_setup["station"]
    c.post("/api/observation/checklists", checklist(st.id), content_type="application/json")
    stats = Client().get(f"/api/observation/statistics?election={st.election_id}").json()
    counting = next(s for s in stats["stages"] if s["stage"] == "counting")
    assert (counting["negative"], counting["observed"]) == (1, 1)
    item = next(i for i in counting["items"] if i["key"] == "signatures_counted")
    assert (item["negative"], item["observed"]) == (1, 1)
    contest = st.election.contests.get(kind="party_list")
    r = client_for(org_setup["manager"]).post(
        "/api/observation/pvt/samples", {"contest": contest.id, "size": 30, "seed": 42},
        content_type="application/json")
    assert r.status_code == 201 and r.json()["seed"] == 42 and len(r.json()["stations"]) == 30
    res = Client().get(f"/api/observation/pvt/samples/{r.json()['id']}").json()
    assert res["sample"]["seed"] == 42 and res["estimate"]["reported"] == 0
    denied = client_for(org_setup["user"]).post(
        "/api/observation/pvt/samples", {"contest": contest.id, "size": 30},
        content_type="application/json")
    assert denied.status_code == 403
    # More stations than the contest has: the maths' refusal, in the language asked for.
    stations = contest.commission.election.stations.count()
    for lang, said in (("kk", f"1-ден бар {stations} учаскеге дейін"),
                       ("ru", f"от 1 до {stations} имеющихся участков")):
        big = client_for(org_setup["manager"]).post(
            "/api/observation/pvt/samples", {"contest": contest.id, "size": 10**6},
            content_type="application/json", headers={"Accept-Language": lang})
        assert big.status_code == 422
        assert big.json()["message"] == f"size: {said}" and big.json()["field"] == "size"


@pytest.mark.parametrize("field,extra", [
    ("name_kk", {"name_kk": "Қ" * 301}), ("contact", {"contact": "x" * 301}),
    ("observers[0].full_name", {"observers": [{"kind": "citizen", "full_name": "Ә" * 201}]}),
])
def test_over_long_text_is_422_naming_the_field(org_setup, client_for, field, extra):
    """Longer than its column: refused before the database is asked (PostgreSQL answered 500),
    the limit read from the model's own max_length."""
    from sailau.observation import models as om

    c = client_for(org_setup["user"])
    before = om.Organisation.objects.count()
    body = {"election": org_setup["station"].election_id, "kind": "citizen",
            "name_kk": "Адал сайлау", **extra}
    r = c.post("/api/observation/organisations", body, content_type="application/json")
    assert r.status_code == 422, r.content
    assert (r.json()["error"], r.json()["field"]) == ("too_long", field)
    assert om.Organisation.objects.count() == before


def test_an_over_long_decision_number_is_422_not_a_database_error(org_setup, client_for):
    """A field no service checked (the accreditation's decision number, 60 characters): the
    check every save passes refuses it, and nothing is decided."""
    from django.contrib.auth.models import User

    from sailau.observation import models as om
    from sailau.observation import services

    acc = services.apply(User.objects.create_user("applicant"),
                         org_setup["station"].election_id, "citizen", "Ұзын нөмір қоры")
    r = client_for(org_setup["admin"]).post(
        f"/api/observation/accreditations/{acc.pk}/decision",
        {"status": "granted", "decision_number": "№" * 61, "decision_date": "2023-03-01"},
        content_type="application/json")
    assert r.status_code == 422, r.content
    assert (r.json()["error"], r.json()["field"]) == ("too_long", "decision_number")
    assert om.Accreditation.objects.get(pk=acc.pk).status == om.Accreditation.PENDING


def test_an_organisation_named_by_a_names_mapping(org_setup, client_for):
    """`names` by written language, the way a new language comes in with no new field; the
    fields of the first clients read as their languages of it; Kazakh required, a language not
    written refused, each named by the field the request used."""
    from sailau.observation import models as om

    c = client_for(org_setup["user"])
    body = {"election": org_setup["station"].election_id, "kind": "citizen"}

    def apply(**extra):
        return c.post("/api/observation/organisations", {**body, **extra},
                      content_type="application/json")

    r = apply(names={"kk": "Ашық сайлау", "ru": "Открытые выборы"}, name_en="Open elections")
    assert r.status_code == 201, r.content
    assert om.Organisation.objects.get(pk=r.json()["organisation"]).names == {
        "kk": "Ашық сайлау", "ru": "Открытые выборы", "en": "Open elections"}
    for extra, code, field in (
            ({"names": {"ru": "Только русское"}}, "bad_input", "names.kk"),
            ({"names": {"kk": "Сайлау", "yy": "Yy"}}, "unknown_language", "names"),
            ({"names": {"kk": "Қ" * 301}}, "too_long", "names.kk"),
            ({"names": {"kk": "Сайлау"}, "name_ru": "Р" * 301}, "too_long", "name_ru"),
            # one language in both ways with two texts: neither silently wins
            ({"names": {"kk": "Сайлау", "ru": "Выборы"}, "name_ru": "Другое"}, "bad_input",
             "name_ru")):
        r = apply(**extra)
        assert r.status_code == 422, r.content
        assert (r.json()["error"], r.json()["field"]) == (code, field), r.json()


def test_an_application_where_no_commission_can_accredit_is_refused_clearly(
        org_setup, client_for, settings):
    """An election created before its structure was imported has no commission to accredit an
    organisation: a refusal that says so, in the request's language (it was a 500), and no
    organisation left half-made."""
    from sailau.elections.models import Election
    from sailau.observation import models as om

    Election.objects.create(id="kz.empty.2023-03-19", kind="mazhilis", date="2023-03-19",
                            names={"kk": "Бос"})
    before = om.Organisation.objects.count()
    r = client_for(org_setup["user"]).post(
        "/api/observation/organisations", {"election": "kz.empty.2023-03-19", "kind": "citizen",
                                           "names": {"kk": "Ашық сайлау"}},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 404, r.content
    assert r.json()["field"] == "election"
    assert "нет комиссии" in r.json()["message"], r.json()
    assert om.Organisation.objects.count() == before
