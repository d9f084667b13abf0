"""The operator pages, through the Django client: the work list, the entry form with its
findings next to the lines, acknowledged warnings, the second entry, the coordinator's
comparison, the amendment form, refusals, and drafts saved by the page's script (CSRF)."""

import datetime as dt
import json
import re

import pytest
from django.test import Client

from sailau.elections.models import Contest
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Amendment, DataEntry, Protocol
from tests import factories as f
from tests.protocols.conftest import list_contest

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


def paper_of(st, contest):
    figures, choices = f.paper(Contest.objects.get(pk=contest), st)
    return {"figures": figures, "choices": choices}


def warnings(contest, paper):
    form = Catalog().contest(contest).form
    return [f.code for f in form.check(paper["figures"], paper["choices"])
            if f.severity == "warning"]


def test_login_is_required_and_the_login_page_is_translated(few):
    r = Client().get("/en/entry/")
    assert r.status_code == 302 and r["Location"].startswith("/en/entry/login/")
    page = Client().get("/ru/entry/login/").content.decode()
    assert 'autocomplete="current-password"' in page and "<html lang=\"ru\"" in page


def test_password_login_leads_to_the_work_list(few, crew):
    st = crew.stations[-1]  # votes in the list contest and its single-member district's
    op = crew.operator(st, name="typist-a")
    op.set_password("s3cret-pass")
    op.save()
    c = Client()
    r = c.post("/en/entry/login/", {"username": "typist-a", "password": "s3cret-pass"})
    assert r.status_code == 302 and r["Location"] == "/en/entry/"
    page = c.get("/en/entry/").content.decode()
    assert "Type the first entry" in page
    contests = [c for c in Contest.objects.filter(election=few)
                if c.kind != Contest.SINGLE_MEMBER or c.commission_id == st.smd_id]
    assert page.count("<tr class=\"state-") == len(contests) == 2


def test_entry_form_shows_every_line_with_number_label_and_numeric_inputs(few, crew):
    election = few
    st = crew.stations[0]
    contest = list_contest(election)
    form = Catalog().contest(contest).form
    for lang in ("kk", "ru", "en"):
        page = client_for(crew.operator(st)).get(
            f"/{lang}/entry/{st.id}/{contest}/1/").content.decode()
        for line in form.lines:
            assert f'name="figures.{line.key}"' in page
            assert line.label[lang] in page
            assert f'<span class="num">{line.number}</span>' in page
        for key in paper_of(st, contest)["choices"]:
            assert f'name="choices.{key}"' in page
        finalise = {"kk": "Енгізуді аяқтау", "ru": "Завершить ввод", "en": "Finalise entry"}
        assert finalise[lang] in page  # the page's own texts are translated too
    inputs = re.findall(r"<input id=\"[fc]-[^>]*>", page)
    assert inputs and all('inputmode="numeric"' in i for i in inputs)


def test_an_error_is_shown_next_to_its_lines_then_fixed_and_finalised(few, crew):
    election = few
    st = crew.stations[1]
    contest = list_contest(election)
    c = client_for(crew.operator(st))
    paper = paper_of(st, contest)
    wrong = {"figures": dict(paper["figures"], cancelled=paper["figures"]["cancelled"] + 1),
             "choices": paper["choices"]}
    url = f"/en/entry/{st.id}/{contest}/1/"
    r = c.post(url, form_data(wrong, warnings(contest, paper)))
    assert r.status_code == 422
    page = r.content.decode()
    # F101 lights the line "cancelled" (and the others it relates) and is written once, with
    # its plain explanation, under the last of them ("lost").
    assert '<div class="line flagged" data-line="cancelled"' in page
    block = page[page.index('data-line="lost"'):]
    block = block[:block.index('<div class="line')]
    assert 'data-code="F101"' in block and page.count('data-code="F101"') == 1
    explanation = Catalog().contest(contest).form.relation("F101").explanation["en"]
    assert explanation in block
    assert not DataEntry.objects.filter(state="first_entry_finalised").exists()
    r = c.post(url, form_data(paper, warnings(contest, paper)))
    assert r.status_code == 302 and "/done/" in r["Location"]
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "first_entry_finalised"


def _with_warning(st, contest):
    """A paper protocol raising a warning and no error: mobile ballots issued beyond the
    requests recorded (W203); the box holds no more than the requests (one ballot, and so one
    vote, fewer), so the law does not void it."""
    paper = paper_of(st, contest)
    f, mobile = paper["figures"], 10
    f.update(issued_in_room=f["issued_in_room"] - mobile, issued_mobile=mobile,
             found_stationary=f["found_stationary"] - mobile, found_mobile=mobile - 1,
             mobile_requests=mobile - 1)
    paper["choices"][max(paper["choices"], key=paper["choices"].get)] -= 1
    found = Catalog().contest(contest).form.check(f, paper["choices"])
    assert found and all(x.severity == "warning" for x in found), found
    return st, paper, [x.code for x in found]


def test_warnings_need_the_checkbox_and_the_acknowledgement_is_recorded(few, crew):
    election = few
    contest = list_contest(election)
    st, paper, codes = _with_warning(crew.stations[0], contest)
    c = client_for(crew.operator(st))
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


def test_second_entry_by_another_user_makes_it_definitive_not_by_the_same(few, crew):
    election = few
    st = crew.stations[2]
    contest = list_contest(election)
    paper = paper_of(st, contest)
    acks = warnings(contest, paper)
    a, b = client_for(crew.operator(st)), client_for(crew.operator(st))
    assert a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, acks)).status_code == 302
    r = a.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, acks))
    # Refused as the form opens (and so on a post too), before anything is typed again.
    assert r.status_code == 403 and "another operator" in r.content.decode()
    page = b.get(f"/en/entry/{st.id}/{contest}/2/").content.decode()
    # The second typist does not see the first entry's figures.
    assert f'value="{paper["figures"]["voters_on_list"]}"' not in page
    r = b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, acks))
    assert r.status_code == 302
    assert "definitive" in b.get(r["Location"]).content.decode()
    assert Protocol.objects.get(station=st, contest_id=contest).version == 1


def test_coordinator_sees_differences_side_by_side_and_accepts_one(few, crew):
    election = few
    st = crew.stations[3]
    contest = list_contest(election)
    paper = paper_of(st, contest)
    acks = warnings(contest, paper)
    key = min(paper["choices"])
    slip = {"figures": paper["figures"], "choices": dict(paper["choices"])}
    # A slip between two choices keeps every total right: only the comparison catches it.
    other = sorted(paper["choices"])[1]
    if slip["choices"][key] == 0:
        key, other = other, key
    slip["choices"][key] -= 1
    slip["choices"][other] += 1
    a, b = client_for(crew.operator(st)), client_for(crew.operator(st))
    a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, acks))
    b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(slip, warnings(contest, slip)))
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "entries_different"
    coord = client_for(crew.coordinator(st.territory_id))
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


def test_amendment_form_makes_a_new_version_citing_the_decision(few, crew):
    election = few
    st = crew.stations[4]
    contest = list_contest(election)
    paper = paper_of(st, contest)
    acks = warnings(contest, paper)
    client_for(crew.operator(st)).post(f"/en/entry/{st.id}/{contest}/1/",
                                         form_data(paper, acks))
    client_for(crew.operator(st)).post(f"/en/entry/{st.id}/{contest}/2/",
                                         form_data(paper, acks))
    coord = client_for(crew.coordinator(st.territory_id))
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


def test_nobody_types_outside_their_station(few, crew):
    election = few
    st, other = crew.stations[5], crew.stations[6]
    contest = list_contest(election)
    c = client_for(crew.operator(st))
    r = c.get(f"/en/entry/{other.id}/{contest}/1/")
    # Why, without the ids and the login name the English message names (for logs).
    html = r.content.decode()
    assert r.status_code == 403 and "No role of your account allows this page here" in html
    assert "may not" not in html and f"({other.id})" not in html
    r = c.post(f"/en/entry/{other.id}/{contest}/1/",
               form_data(paper_of(other, contest)))
    assert r.status_code == 403 and not DataEntry.objects.exists()
    assert c.get(f"/en/entry/{other.id}/{contest}/amend/").status_code == 403
    assert c.get(f"/en/entry/kz.none/{contest}/1/").status_code == 404
    page = c.get("/en/entry/").content.decode()
    assert f">{other.number}</th>" not in page and f">{st.number}</th>" in page


def test_the_page_script_saves_drafts_through_the_api_with_csrf(few, crew):
    election = few
    st = crew.stations[7]
    contest = list_contest(election)
    c = Client(enforce_csrf_checks=True)
    c.force_login(crew.operator(st))
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


def test_a_returned_entry_goes_back_to_its_typist_who_types_it_again(few, crew):
    election = few
    st = crew.stations[8]
    contest = list_contest(election)
    paper = paper_of(st, contest)
    slip = {"figures": paper["figures"], "choices": dict(paper["choices"])}
    hi, lo = max(slip["choices"], key=slip["choices"].get), min(slip["choices"])
    slip["choices"][hi] -= 1
    slip["choices"][lo if lo != hi else sorted(slip["choices"])[1]] += 1
    ua, ub = crew.operator(st), crew.operator(st)
    a, b = client_for(ua), client_for(ub)
    a.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, warnings(contest, paper)))
    b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(slip, warnings(contest, slip)))
    coord = client_for(crew.coordinator(st.territory_id))
    r = coord.post(f"/en/entry/{st.id}/{contest}/resolve/", {"action": "return_second"})
    assert r.status_code == 302
    # The second typist finds it on the work list with their draft, the first typist does not.
    assert f"/en/entry/{st.id}/{contest}/2/" in b.get(f"/en/entry/?station={st.number}").content.decode()
    assert f"/en/entry/{st.id}/{contest}/2/" not in a.get(f"/en/entry/?station={st.number}").content.decode()
    r = b.post(f"/en/entry/{st.id}/{contest}/2/", form_data(paper, warnings(contest, paper)))
    assert r.status_code == 302
    assert DataEntry.objects.get(station=st, contest_id=contest).state == "definitive"
    assert Protocol.objects.get(station=st, contest_id=contest).choices == paper["choices"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_empty_or_unreadable_line_says_so_in_the_pages_language(few, crew, lang):
    """An empty form, or one with a word typed for a figure, marks every such line with what is
    wrong with it (the form said "Invalid input" under line 1 alone); the lines typed right say
    nothing."""
    from sailau.protocols.errors import EMPTY_LINE, NOT_A_COUNT, UNREAD_SUMMARY

    st = crew.stations[1]
    contest = list_contest(few)
    c = client_for(crew.operator(st))
    paper = paper_of(st, contest)
    data = form_data(paper)
    typed, empty = "voters_on_list", ["ballots_received", "cancelled", "issued_in_room"]
    for key in empty:
        data[f"figures.{key}"] = ""
    data["figures.lost"] = "abc"
    choice = next(iter(paper["choices"]))
    data[f"choices.{choice}"] = ""
    r = c.post(f"/{lang}/entry/{st.id}/{contest}/1/", data)
    assert r.status_code == 422
    page = r.content.decode()

    def says(field):
        block = page[page.index(f'name="{field}"'):]
        return block[:block.index('<div class="line')] if '<div class="line' in block else block

    for key in empty:
        assert EMPTY_LINE[lang] in says(f"figures.{key}"), key
    assert NOT_A_COUNT[lang] in says("figures.lost")
    assert EMPTY_LINE[lang] in says(f"choices.{choice}")
    assert 'class="finding error"' not in says(f"figures.{typed}")
    assert page.count('aria-invalid="true"') == len(empty) + 2
    alert = page[page.index('id="problem"'):]
    assert UNREAD_SUMMARY[lang].format(n=len(empty) + 2) in alert[:alert.index("</div>")]


def test_far_more_voters_on_the_list_than_registered_is_a_warning_to_acknowledge(few, crew):
    """Line 1 far above the station's register before election day (1,000 at a station of 86
    was accepted silently) is W301: shown beside line 1 and refused until acknowledged."""
    st = crew.stations[1]
    contest = list_contest(few)
    c = client_for(crew.operator(st))
    paper = paper_of(st, contest)
    # past what a station adds on the day (10 %, at least 20), short of the implausible
    paper["figures"]["voters_on_list"] = st.registered + max(20, -(-st.registered // 10)) + 50
    url = f"/ru/entry/{st.id}/{contest}/1/"
    r = c.post(url, form_data(paper, warnings(contest, paper)))
    assert r.status_code == 422
    page = r.content.decode()
    block = page[page.index('data-line="voters_on_list"'):]
    block = block[:block.index('<div class="line', 10)]
    assert 'data-code="W301"' in block and f"({st.registered})" in block
    r = c.post(url, form_data(paper, [*warnings(contest, paper), "W301"]))
    assert r.status_code == 302
    entry = DataEntry.objects.get(station=st, contest_id=contest)
    assert entry.state == "first_entry_finalised"
