"""The operator pages, through the Django client: the work list, the entry form with its
findings next to the lines, acknowledged warnings, the second entry, the coordinator's
comparison, the amendment form, refusals, and drafts saved by the page's script (CSRF)."""

import datetime as dt
import json
import re

import pytest
from django.test import Client

from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Amendment, DataEntry, Protocol

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def form_data(paper, acks=()):
    data = {f"figures.{k}": str(v) for k, v in paper["figures"].items()}
    data.update({f"choices.{k}": str(v) for k, v in paper["choices"].items()})
    if acks:
        data["ack"] = list(acks)
    return data


def paper_of(syn, st, contest):
    p = syn.protocols[(st.id, contest)]
    return {"figures": dict(p["figures"]), "choices": dict(p["choices"])}


def warnings(contest, paper):
    form = Catalog().contest(contest).form
    return [f.code for f in form.check(paper["figures"], paper["choices"])
            if f.severity == "warning"]


def test_login_is_required_and_the_login_page_is_translated(chain_election):
    r = Client().get("/en/entry/")
    assert r.status_code == 302 and r["Location"].startswith("/en/entry/login/")
    page = Client().get("/ru/entry/login/").content.decode()
    assert 'autocomplete="current-password"' in page and "<html lang=\"ru\"" in page


def test_password_login_leads_to_the_work_list(chain_election, people):
    st = people.stations[0]
    op = people.operator(st, name="typist-a")
    op.set_password("s3cret-pass")
    op.save()
    c = Client()
    r = c.post("/en/entry/login/", {"username": "typist-a", "password": "s3cret-pass"})
    assert r.status_code == 302 and r["Location"] == "/en/entry/"
    page = c.get("/en/entry/").content.decode()
    assert "Type the first entry" in page
    syn = chain_election[0]
    contests = [c for (s, c) in syn.protocols if s == st.id]  # list, and its district's
    assert page.count("<tr class=\"state-") == len(contests) >= 1


def test_entry_form_shows_every_line_with_number_label_and_numeric_inputs(chain_election,
                                                                          people):
    syn, election = chain_election
    st = people.stations[0]
    contest = f"{election.id}.list"
    form = Catalog().contest(contest).form
    for lang in ("kk", "ru", "en"):
        page = client_for(people.operator(st)).get(
            f"/{lang}/entry/{st.id}/{contest}/1/").content.decode()
        for line in form.lines:
            assert f'name="figures.{line.key}"' in page
            assert line.label[lang] in page
            assert f'<span class="num">{line.number}</span>' in page
        for key in syn.protocols[(st.id, contest)]["choices"]:
            assert f'name="choices.{key}"' in page
        finalise = {"kk": "Енгізуді аяқтау", "ru": "Завершить ввод", "en": "Finalise entry"}
        assert finalise[lang] in page  # the page's own texts are translated too
    inputs = re.findall(r"<input id=\"[fc]-[^>]*>", page)
    assert inputs and all('inputmode="numeric"' in i for i in inputs)


def test_an_error_is_shown_next_to_its_lines_then_fixed_and_finalised(chain_election, people):
    syn, election = chain_election
    st = people.stations[1]
    contest = f"{election.id}.list"
    c = client_for(people.operator(st))
    paper = paper_of(syn, st, contest)
    wrong = {"figures": dict(paper["figures"], cancelled=paper["figures"]["cancelled"] + 1),
             "choices": paper["choices"]}
    url = f"/en/entry/{st.id}/{contest}/1/"
    r = c.post(url, form_data(wrong, warnings(contest, paper)))
    assert r.status_code == 422
    page = r.content.decode()
    # F101 is shown in the block under the line "cancelled", with its plain explanation.
    block = page[page.index('data-line="cancelled"'):]
    block = block[:block.index('<div class="line')]
    assert 'data-code="F101"' in block
    explanation = Catalog().contest(contest).form.relation("F101").explanation["en"]
    assert explanation in block
    assert not DataEntry.objects.filter(state="first_entry_finalised").exists()
    r = c.post(url, form_data(paper, warnings(contest, paper)))
    assert r.status_code == 302 and "/done/" in r["Location"]
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "first_entry_finalised"


def _with_warning(syn, people, contest):
    """A station and a paper protocol raising a warning and no error (mobile ballots issued
    beyond the requests recorded: W203)."""
    form = Catalog().contest(contest).form
    for st in people.stations:
        paper = paper_of(syn, st, contest)
        f = paper["figures"]
        if f.get("issued_mobile", 0) > 0 and "mobile_requests" in f:
            f["mobile_requests"] = f["issued_mobile"] - 1
            found = form.check(f, paper["choices"])
            if found and all(x.severity == "warning" for x in found):
                return st, paper, [x.code for x in found]
    pytest.fail("no station to make a warning at")


def test_warnings_need_the_checkbox_and_the_acknowledgement_is_recorded(chain_election,
                                                                         people):
    syn, election = chain_election
    contest = f"{election.id}.list"
    st, paper, codes = _with_warning(syn, people, contest)
    c = client_for(people.operator(st))
    url = f"/en/entry/{st.id}/{contest}/1/"
    r = c.post(url, form_data(paper))
    page = r.content.decode()
    assert r.status_code == 422 and "warnings must be acknowledged" in page
    for code in codes:
        assert f'name="ack" value="{code}"' in page
    r = c.post(url, form_data(paper, codes))
    assert r.status_code == 302
    row = DataEntry.objects.get(station=st, contest_id=contest)
    assert sorted(row.first["acknowledged"]) == sorted(codes)


def test_second_entry_by_another_user_makes_it_definitive_not_by_the_same(chain_election,
                                                                          people):
    syn, election = chain_election
    st = people.stations[2]
    contest = f"{election.id}.list"
    paper = paper_of(syn, st, contest)
    acks = warnings(contest, paper)
    a, b = client_for(people.operator(st)), client_for(people.operator(st))
    assert a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, acks)).status_code == 302
    r = a.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, acks))
    assert r.status_code == 422 and "different user" in r.content.decode()
    page = b.get(f"/en/entry/{st.id}/{contest}/2/").content.decode()
    # The second typist does not see the first entry's figures.
    assert f'value="{paper["figures"]["voters_on_list"]}"' not in page
    r = b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, acks))
    assert r.status_code == 302
    assert "definitive" in b.get(r["Location"]).content.decode()
    assert Protocol.objects.get(station=st, contest_id=contest).version == 1


def test_coordinator_sees_differences_side_by_side_and_accepts_one(chain_election, people):
    syn, election = chain_election
    st = people.stations[3]
    contest = f"{election.id}.list"
    paper = paper_of(syn, st, contest)
    acks = warnings(contest, paper)
    key = min(paper["choices"])
    slip = {"figures": paper["figures"], "choices": dict(paper["choices"])}
    # A slip between two choices keeps every total right: only the comparison catches it.
    other = sorted(paper["choices"])[1]
    if slip["choices"][key] == 0:
        key, other = other, key
    slip["choices"][key] -= 1
    slip["choices"][other] += 1
    a, b = client_for(people.operator(st)), client_for(people.operator(st))
    a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, acks))
    b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(slip, warnings(contest, slip)))
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "entries_different"
    coord = client_for(people.coordinator(st.territory_id))
    assert "Compare and resolve" in coord.get(f"/en/entry/?station={st.number}").content.decode()
    page = coord.get(f"/en/entry/{st.id}/{contest}/resolve/").content.decode()
    rows = re.findall(r'<tr class="differs">.*?</tr>', page, re.DOTALL)
    assert len(rows) == 2 and "2 lines differ" in page
    assert any(str(paper["choices"][key]) in r and str(slip["choices"][key]) in r for r in rows)
    # The typist cannot resolve; the coordinator accepts the first entry.
    assert a.get(f"/en/entry/{st.id}/{contest}/resolve/").status_code == 403
    r = coord.post(f"/en/entry/{st.id}/{contest}/resolve/", {"action": "accept_first"})
    assert r.status_code == 302
    p = Protocol.objects.get(station=st, contest_id=contest)
    assert p.choices == paper["choices"] and p.source == "resolution"


def test_amendment_form_makes_a_new_version_citing_the_decision(chain_election, people):
    syn, election = chain_election
    st = people.stations[4]
    contest = f"{election.id}.list"
    paper = paper_of(syn, st, contest)
    acks = warnings(contest, paper)
    client_for(people.operator(st)).post(f"/en/entry/{st.id}/{contest}/1/",
                                         form_data(paper, acks))
    client_for(people.operator(st)).post(f"/en/entry/{st.id}/{contest}/2/",
                                         form_data(paper, acks))
    coord = client_for(people.coordinator(st.territory_id))
    url = f"/en/entry/{st.id}/{contest}/amend/"
    page = coord.get(url).content.decode()
    assert f'value="{paper["figures"]["voters_on_list"]}"' in page  # starts from the current
    new = {"figures": paper["figures"], "choices": dict(paper["choices"])}
    a, b = sorted(k for k, v in new["choices"].items() if v > 0)[:2]
    new["choices"][a] -= 1
    new["choices"][b] += 1
    day = election.date + dt.timedelta(days=1)
    r = coord.post(url, {**form_data(new, warnings(contest, new)), "decision_number": "",
                         "decision_date": day.isoformat(), "reason": "recount"})
    assert r.status_code == 422 and "decision_number" in r.content.decode()
    r = coord.post(url, {**form_data(new, warnings(contest, new)), "decision_number": "17/3",
                         "decision_date": day.isoformat(), "reason": "recount"})
    assert r.status_code == 302
    am = Amendment.objects.get()
    assert am.decision_number == "17/3" and am.protocol.version == 2
    assert am.protocol.choices == new["choices"]
    assert "17/3" in coord.get(url).content.decode()  # the versions list shows the decision


def test_nobody_types_outside_their_station(chain_election, people):
    syn, election = chain_election
    st, other = people.stations[5], people.stations[6]
    contest = f"{election.id}.list"
    c = client_for(people.operator(st))
    r = c.get(f"/en/entry/{other.id}/{contest}/1/")
    assert r.status_code == 403 and "no role covering it" in r.content.decode()
    r = c.post(f"/en/entry/{other.id}/{contest}/1/",
               form_data(paper_of(syn, other, contest)))
    assert r.status_code == 403 and not DataEntry.objects.exists()
    assert c.get(f"/en/entry/{other.id}/{contest}/amend/").status_code == 403
    assert c.get(f"/en/entry/kz.none/{contest}/1/").status_code == 404
    page = c.get("/en/entry/").content.decode()
    assert f"<td>{other.number}</td>" not in page and f"<td>{st.number}</td>" in page


def test_the_page_script_saves_drafts_through_the_api_with_csrf(chain_election, people):
    _, election = chain_election
    st = people.stations[7]
    contest = f"{election.id}.list"
    c = Client(enforce_csrf_checks=True)
    c.force_login(people.operator(st))
    page = c.get(f"/en/entry/{st.id}/{contest}/1/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = re.search(r'data-draft-url="([^"]+)"', page).group(1)
    body = json.dumps({"figures": {"voters_on_list": "12"}, "choices": {}})
    assert c.put(url, body, content_type="application/json").status_code in (401, 403)
    r = c.put(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert r.status_code == 200 and r.json()["state"] == "first_entry_in_progress"
    # Reopened (a closed tab): the draft is back in the form.
    page = c.get(f"/en/entry/{st.id}/{contest}/1/").content.decode()
    assert re.search(r'name="figures.voters_on_list" value="12"', page)


def test_a_returned_entry_goes_back_to_its_typist_who_types_it_again(chain_election, people):
    syn, election = chain_election
    st = people.stations[8]
    contest = f"{election.id}.list"
    paper = paper_of(syn, st, contest)
    slip = {"figures": paper["figures"], "choices": dict(paper["choices"])}
    hi, lo = max(slip["choices"], key=slip["choices"].get), min(slip["choices"])
    slip["choices"][hi] -= 1
    slip["choices"][lo if lo != hi else sorted(slip["choices"])[1]] += 1
    ua, ub = people.operator(st), people.operator(st)
    a, b = client_for(ua), client_for(ub)
    a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, warnings(contest, paper)))
    b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(slip, warnings(contest, slip)))
    coord = client_for(people.coordinator(st.territory_id))
    r = coord.post(f"/en/entry/{st.id}/{contest}/resolve/", {"action": "return_second"})
    assert r.status_code == 302
    # The second typist finds it on the work list with their draft, the first typist does not.
    assert f"/en/entry/{st.id}/{contest}/2/" in b.get(f"/en/entry/?station={st.number}").content.decode()
    assert f"/en/entry/{st.id}/{contest}/2/" not in a.get(f"/en/entry/?station={st.number}").content.decode()
    r = b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, warnings(contest, paper)))
    assert r.status_code == 302
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "definitive"
    assert Protocol.objects.get(station=st, contest_id=contest).choices == paper["choices"]
