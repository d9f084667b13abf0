import csv
import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth.models import User

from sailau.accounts.models import Role
from sailau.accounts.permissions import deciding_body
from sailau.complaints import models as m
from sailau.complaints import public, services


@pytest.fixture
def filed(base, election):
    c, _ = services.file_complaint(base)
    org, _ = services.file_complaint({**base, "filer_kind": "observer_org",
                                      "filer_name": "Open Watch Org", "topic": "observers_rights",
                                      "text": "Observer expelled."})
    services.decide(org, {"outcome": "upheld", "text": "Observer readmitted.",
                          "decided_on": org.filed_at.date()})
    return c, org


@pytest.mark.parametrize("lang,word", [("kk", "lang=\"kk\""), ("ru", "lang=\"ru\""), ("en", "Register")])
def test_register_in_three_languages_hides_private_names(client, filed, lang, word):
    r = client.get(f"/{lang}/complaints/")
    html = r.content.decode()
    assert r.status_code == 200 and word in html
    assert filed[0].receipt in html and "Open Watch Org" in html
    assert "Private Person Qwerty" not in html and "+7 701" not in html


def test_filters_and_search(client, filed):
    c, org = filed
    html = client.get("/en/complaints/?topic=observers_rights").content.decode()
    assert org.receipt in html and c.receipt not in html
    html = client.get("/en/complaints/?outcome=pending").content.decode()
    assert c.receipt in html and org.receipt not in html
    # a private filer's name is not searchable
    assert c.receipt not in client.get("/en/complaints/?q=Qwerty").content.decode()


def test_downloads_without_private_data(client, filed):
    body = client.get("/en/complaints/complaints.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2 and "Qwerty" not in body and "+7 701" not in body
    data = json.loads(client.get("/en/complaints/complaints.json").content)
    assert {r["receipt"] for r in data["complaints"]} == {c.receipt for c in filed}
    assert "Qwerty" not in json.dumps(data)
    assert next(r for r in data["complaints"] if r["topic"] == "observers_rights")["decision"]["outcome"] == "upheld"


def test_case_and_statistics_pages(client, filed):
    _c, org = filed
    r = client.get(f"/ru/complaints/c/{org.receipt}/")
    assert r.status_code == 200 and "Observer readmitted." in r.content.decode()
    assert client.get("/en/complaints/c/nope/").status_code == 404
    html = client.get("/en/complaints/statistics/").content.decode()
    assert "Violations of observers" in html and "Repeated complaints" in html


def test_filing_online_requires_login_and_shows_receipt(client, election, base):
    r = client.get("/en/complaints/file/")
    assert r.status_code == 302 and "/complaints/login/" in r["Location"]
    User.objects.create_user("voter1", password="pw-123456")
    assert client.login(username="voter1", password="pw-123456")
    post = {k: v for k, v in base.items() if k != "filed_at"}
    r = client.post("/en/complaints/file/", post)
    assert r.status_code == 302 and "?filed=1" in r["Location"]
    c = m.Complaint.objects.get()
    html = client.get(r["Location"]).content.decode()
    assert c.receipt in html and c.due_date.strftime("%d.%m.%Y") in html
    r2 = client.post("/en/complaints/file/", post)
    assert "?duplicate=1" in r2["Location"] and m.Complaint.objects.count() == 1
    r3 = client.post("/en/complaints/file/", {**post, "station": "99999"})
    assert r3.status_code == 200 and "99999" in r3.content.decode()
    assert m.Complaint.objects.count() == 1


def test_staff_view_needs_permission_and_decides(client, filed):
    c, _ = filed
    u = User.objects.create_user("clerk", password="pw-123456")
    client.login(username="clerk", password="pw-123456")
    assert client.get("/en/complaints/staff/").status_code == 403
    commission_id, body = deciding_body(c)
    Role.objects.create(user=u, kind=Role.DECIDER, commission_id=commission_id, body=body,
                        election=c.election)
    html = client.get("/en/complaints/staff/").content.decode()
    assert c.receipt in html and "Private Person Qwerty" in html  # staff see the filer
    client.post(f"/en/complaints/staff/{c.receipt}/", {"action": "assign"})
    c.refresh_from_db()
    assert c.assigned_to == u and c.status == m.ASSIGNED
    r = client.post(f"/en/complaints/staff/{c.receipt}/", {
        "action": "decide", "outcome": "not_considered", "text": "x", "decided_on": "2099-01-01",
        "effect": "none", "not_considered_reason": ""})
    assert r.status_code == 200 and not m.Decision.objects.filter(complaint=c).exists()
    r = client.post(f"/en/complaints/staff/{c.receipt}/", {
        "action": "decide", "outcome": "partly_upheld", "text": "Partly.",
        "decided_on": c.due_date.isoformat(), "effect": "none"})
    assert r.status_code == 302 and c.__class__.objects.get(pk=c.pk).decision.outcome == "partly_upheld"


def test_names_of_the_election_are_shown_in_the_pages_language(client, base, election):
    """A complaint filed in Kazakh against the station's commission, another commission and a
    party reads their Russian names on the Russian pages (they were shown as filed: Kazakh on a
    Russian page); a name that is none of the election's is shown as written."""
    st = election.stations.order_by("number").first()
    own = st.commission
    other = election.commissions.exclude(pk=own.pk).exclude(names__ru="").order_by("id").first()
    party = election.parties.exclude(names__ru="").order_by("id").first()
    assert own.names["ru"] and own.names["ru"] != own.names["kk"] and other.names["ru"] != other.names["kk"]
    filings = [({**base, "against_name": own.names["kk"]}, own),
               ({**base, "against_name": other.names["kk"], "station": None, "topic": "registration",
                 "text": "Registration refused."}, other),
               ({**base, "against_kind": "party", "against_name": party.names["kk"],
                 "text": "Campaign material without imprint."}, party)]
    made = []
    for data, named in filings:
        c, _ = services.file_complaint(data)
        made.append((c, named))
    services.file_complaint({**base, "against_kind": "other",
                             "against_name": "Әкім Қуанышев", "text": "Other."})
    html = client.get("/ru/complaints/").content.decode()
    for c, named in made:
        assert named.names["ru"] in html and named.names["kk"] not in html, named.names["kk"]
        case = client.get(f"/ru/complaints/c/{c.receipt}/").content.decode()
        assert named.names["ru"] in case and named.names["kk"] not in case
    assert "Әкім Қуанышев" in html
    kk = client.get("/kk/complaints/").content.decode()
    assert all(named.names["kk"] in kk for _, named in made)


def test_kazakh_in_latin_script_shows_names_in_latin_letters(client, base, election):
    """On /kk-latn/ the register, a case and the deciding body's pages show the filer, whom the
    complaint is against, the commission and the place in Latin letters, names as filed too
    (transliterated as candidates' are); only the complaint's and decision's own words
    (blockquotes) and the language switch keep their Cyrillic."""
    from sailau.languages import NAMES, from_cyrillic
    from tests.web.visible_text import CYRILLIC, visible_text

    org, _ = services.file_complaint({**base, "filer_kind": "observer_org",
                                      "filer_name": "Ашық сайлау бақылаушылары",
                                      "against_kind": "official",
                                      "against_name": "Асхат Жұмабеков", "topic": "counting"})
    own, _ = services.file_complaint({**base, "against_name": org.station.commission.names["kk"],
                                      "filer_name": "Мадина Серікқызы", "text": "Басқа шағым."})
    services.decide(org, {"outcome": "upheld", "text": "Бақылаушы қайта жіберілді.",
                          "decided_on": org.filed_at.date()})
    u = User.objects.create_user("kk-latn-decider")
    commission_id, body = deciding_body(own)
    Role.objects.create(user=u, kind=Role.DECIDER, commission_id=commission_id, body=body,
                        election=own.election)
    client.force_login(u)
    pages = ["complaints/", f"complaints/c/{org.receipt}/", f"complaints/c/{own.receipt}/",
             "complaints/staff/", f"complaints/staff/{own.receipt}/"]
    shown = ""
    for path in pages:
        r = client.get(f"/kk-latn/{path}")
        assert r.status_code == 200, path
        html = re.sub(r"<blockquote.*?</blockquote>", "", r.content.decode(), flags=re.DOTALL)
        words = set(CYRILLIC.findall(visible_text(html))) - set(NAMES.values())
        assert words == set(), (path, sorted(words))
        shown += visible_text(html)
    for name in ("Ашық сайлау бақылаушылары", "Асхат Жұмабеков", "Мадина Серікқызы",
                 own.station.commission.names["kk"], own.station.settlements["kk"]):
        assert from_cyrillic(name) in shown, name


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_complaints_station_names_its_town_once(client, base, election, lang):
    """A town's station has the town as its settlement and an address that begins with it: the
    complaint shows "№10001, Астана, ул. ..." and the repeated complaints' table the same, never
    "Астана, Астана"."""
    c, _ = services.file_complaint(base)
    st = c.station
    town, address = (st.settlements.get("ru", ""), st.addresses.get("ru", "")) if lang == "ru" else (st.settlements["kk"], st.addresses["kk"])
    assert address.startswith(town)  # the case at hand: the demo's stations are all so
    html = client.get(f"/{lang}/complaints/c/{c.receipt}/").content.decode()
    assert f"№{st.number}, {address}<" in html and f"{town}, {town}" not in html
    assert f"{st.settlements["kk"]}, {st.settlements["kk"]}" not in " ".join(
        r["place"] for r in public.repeated(min_elections=1))


def test_staff_search_finds_a_districts_complaints_by_its_name_in_any_language(client, base,
                                                                               election):
    """The staff list searched for a district's or region's name finds the complaints about
    its stations, whichever language, script and case the name is typed in; not the others."""
    from sailau.elections.models import Commission
    from sailau.languages import from_cyrillic

    district = (Commission.objects.filter(election=election, level=Commission.DISTRICT,
                                          names__ru__startswith="Избирательная комиссия: район")
                .order_by("id").first())
    here = election.stations.filter(district=district).order_by("number").first()
    away = election.stations.exclude(territory=here.territory).order_by("number").first()
    mine, _ = services.file_complaint({**base, "station": str(here.number),
                                       "text": "Бюллетени не показывали."})
    other, _ = services.file_complaint({**base, "station": str(away.number), "text": "Away."})
    u = User.objects.create_user("cec-admin")
    Role.objects.create(user=u, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    client.force_login(u)
    place = district.addresses["kk"]  # "Сарытөбе ауданы"
    region = here.territory.names["ru"].split(": ")[-1]  # "Восточно-Казахстанская область"
    for q in (place, place.lower(), place.upper(), district.addresses.get("ru", "").lower(),
              district.addresses.get("en", ""), from_cyrillic(place), from_cyrillic(place).lower(),
              place.split()[0], region, region.lower(), here.territory.names["en"].split(" territorial")[0]):
        for lang in ("en", "kk"):
            html = client.get(f"/{lang}/complaints/staff/", {"q": q}).content.decode()
            assert mine.receipt in html and other.receipt not in html, (lang, q)
    assert mine.receipt not in client.get("/en/complaints/staff/", {"q": "Zzyzx"}).content.decode()
    # the complaint's own words, in another case than written (SQLite folds ASCII letters only)
    html = client.get("/en/complaints/staff/", {"q": "бюллетени НЕ"}).content.decode()
    assert mine.receipt in html and other.receipt not in html


def test_a_complaint_about_a_protocol_names_it_by_contest_and_version(client, base, election):
    """The case page names the protocol a complaint is about as a person reads it (contest,
    version), not by the database's number for it."""
    from sailau.protocols.models import Protocol

    st = election.stations.order_by("number").first()
    p = Protocol.objects.filter(station=st, current=True).select_related("contest").first()
    c, _ = services.file_complaint({**base, "protocol": str(p.pk)})
    html = client.get(f"/ru/complaints/c/{c.receipt}/").content.decode()
    shown = re.sub(r"\s+", " ", html.split("<dt>Протокол</dt>", 1)[1].split("</dd>", 1)[0])
    assert p.contest.name("ru") in shown.replace("&quot;", '"') and f"версия {p.version}" in shown
    assert f"#{p.pk}" not in html


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_complaints_repeated_across_two_elections_are_named_on_the_statistics_page(
        client, base, election, lang):
    """A complaint about the same station's commission in a presidential election's two rounds
    (two elections on one server): the statistics page lists it, its topic and both elections
    by name in the page's language (it failed with a server error, and named them by their
    ids)."""
    from django.utils import translation

    from sailau.elections.models import Election
    from tests.web.visible_text import foreign_words, visible_text

    other = Election.objects.create(
        id=f"{election.id}.round2", kind=election.kind, date=election.date + dt.timedelta(days=14),
        names={"kk": "Екінші тур", "ru": "Второй тур", "en": "Second round"})
    services.file_complaint({**base, "station": "", "against_name": "ТИК"})
    services.file_complaint({**base, "election": other.id, "station": "", "against_name": "ТИК",
                             "filed_at": base["filed_at"] + dt.timedelta(days=14)})
    r = client.get(f"/{lang}/complaints/statistics/")
    assert r.status_code == 200
    html = r.content.decode()
    row = re.search(r'<h2 id="repeated">.*?</table>', html, re.DOTALL).group(0)
    text = visible_text(row)
    assert other.name(lang) in text and election.name(lang) in text
    with translation.override(lang):
        assert str(dict(m.TOPICS)["counting"]) in text
    assert other.id not in text and foreign_words(row) == []


@pytest.mark.parametrize("lang,required", [("kk", "Міндетті өріс."), ("ru", "Обязательное поле.")])
def test_a_filing_with_empty_fields_says_each_is_required_once(client, election, base, lang,
                                                               required):
    """The form sent with the name, the target and the text empty: each field says it is
    required once (the form's own check and the service's said it twice, in the same words)."""
    client.force_login(User.objects.create_user("voter2"))
    post = {k: v for k, v in base.items() if k != "filed_at"}
    r = client.post(f"/{lang}/complaints/file/",
                    {**post, "filer_name": "", "against_name": "", "text": "", "action": "file"})
    assert r.status_code == 200 and not m.Complaint.objects.exists()
    lists = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', r.content.decode(), re.DOTALL)
    assert len(lists) == 3
    for errors in lists:
        assert errors.count(required) == 1, errors


@pytest.mark.parametrize("lang", ["ru", "kk-latn", "kk"])
def test_a_repeated_complaints_place_is_in_the_page_s_language(client, base, election, lang):
    """Complaints about one station's place in two elections are grouped by its Kazakh spelling
    and the statistics page names the place in its own language: a Russian page wrote the
    Kazakh address, a Latin one the Cyrillic."""
    from sailau.elections.models import Election
    from tests import factories as f
    from tests.web.visible_text import CYRILLIC, KAZAKH, visible_text

    st = election.stations.order_by("number").first()
    other = Election.objects.create(
        id=f"{election.id}.round2", kind=election.kind, date=election.date + dt.timedelta(days=14),
        names={"kk": "Екінші тур", "ru": "Второй тур", "en": "Second round"})
    there = f.StationFactory(election=other, settlements=dict(st.settlements),
                             addresses=dict(st.addresses))
    services.file_complaint(base)
    services.file_complaint({**base, "election": other.id, "station": str(there.number),
                             "filed_at": base["filed_at"] + dt.timedelta(days=14)})
    html = client.get(f"/{lang}/complaints/statistics/").content.decode()
    row = visible_text(re.search(r'<h2 id="repeated">.*?</table>', html, re.DOTALL).group(0))
    assert st.located(lang) in row
    if lang == "ru":
        assert st.located("kk") != st.located("ru") and not KAZAKH.search(row), row
    if lang == "kk-latn":
        assert not CYRILLIC.search(row), row
