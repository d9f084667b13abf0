"""The entry form's findings: each control relation lights the lines it relates (the shared
lines when several fail together, so a typo in one party's votes lights the votes, not the
ballots found or the invalid ballots) and its message is written once; the second-entry form
refuses the first entry's typist when it opens; the unit rules of `protocols.highlight`."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from sailau.protocols import highlight
from tests.protocols.conftest import list_contest
from tests.protocols.test_pages import client_for, form_data, paper_of, warnings

pytestmark = pytest.mark.django_db


def _lit(page: str) -> set[str]:
    """The keys of the lines the page marks (class "flagged")."""
    return set(re.findall(r'<div class="line flagged[^"]*" data-line="([^"]+)"', page))


def _post(crew, st, contest, paper):
    c = client_for(crew.operator(st))
    r = c.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, warnings(contest, paper)))
    assert r.status_code == 422
    return r.content.decode()


def test_a_typo_in_one_partys_votes_lights_the_vote_lines_once(few, crew):
    st, contest = crew.stations[1], list_contest(few)
    paper = paper_of(st, contest)
    key = max(paper["choices"], key=paper["choices"].get)
    paper["choices"][key] += 36  # 251 typed for 215
    page = _post(crew, st, contest, paper)
    vote_lines = set(re.findall(r'data-line="([^"]+)" data-choice', page))
    assert set(paper["choices"]) <= vote_lines <= _lit(page)
    assert not _lit(page) & {"found_stationary", "found_mobile"}  # lines 8 and 9 are right
    codes = set(re.findall(r'class="finding error" data-code="(F\d+)"', page))
    assert "F102" in codes
    for code in codes:  # each written once, under the votes
        assert page.count(f'class="finding error" data-code="{code}"') == 1
        assert f'data-code="{code}"' in page[page.index('id="why-choices"'):]


def test_one_relation_alone_lights_all_its_lines_and_is_written_once(few, crew):
    st, contest = crew.stations[2], list_contest(few)
    paper = paper_of(st, contest)
    paper["figures"]["cancelled"] += 1  # breaks F101 only
    page = _post(crew, st, contest, paper)
    assert _lit(page) == {"ballots_received", "issued_in_room", "issued_mobile",
                          "issued_absentee", "cancelled", "lost"}
    assert page.count('data-code="F101"') == 1
    # Every lit line points to the one message, and so does its item in the refusal's banner.
    assert page.count("finding-F101") == 1 + 6 + 1
    assert 'href="#finding-F101"' in page


def test_f102_alone_lights_the_votes_and_the_invalid_ballots(few, crew):
    st, contest = crew.stations[3], list_contest(few)
    paper = paper_of(st, contest)
    paper["figures"]["invalid"] += 5  # found ≠ votes + invalid; valid = votes still holds
    page = _post(crew, st, contest, paper)
    lit = _lit(page)
    assert "invalid" in lit and set(paper["choices"]) <= lit
    assert not lit & {"found_stationary", "found_mobile"}
    assert page.count('class="finding error" data-code="F102"') == 1


@pytest.mark.parametrize("lang", ("kk", "ru", "en"))
def test_the_second_entry_form_refuses_the_first_typist_when_it_opens(few, crew, lang):
    st, contest = crew.stations[4], list_contest(few)
    paper = paper_of(st, contest)
    first = client_for(crew.operator(st))
    r = first.post(f"/en/entry/{st.id}/{contest}/1/", form_data(paper, warnings(contest, paper)))
    assert r.status_code == 302
    r = first.get(f"/{lang}/entry/{st.id}/{contest}/2/")
    assert r.status_code == 403
    page = r.content.decode()
    with translation.override(lang):
        message = _("You typed the first entry of this protocol: the second entry must be "
                    "typed by another operator, from the paper protocol.")
    assert message in page and 'name="figures.' not in page
    other: Client = client_for(crew.operator(st))
    assert other.get(f"/{lang}/entry/{st.id}/{contest}/2/").status_code == 200


def test_place_rules():
    keys = ["a", "b", "c"]
    f1 = {"code": "F101", "severity": "error", "lines": ["a", "b"]}
    f2 = {"code": "F102", "severity": "error", "lines": ["b", "choices"]}
    w = {"code": "W201", "severity": "warning", "lines": ["c"]}
    lit, at = highlight.place([f1, f2, w], keys)
    assert lit == {"b": ["F101", "F102"], "c": ["W201"]}
    assert {k: [f["code"] for f in v] for k, v in at.items()} == {"b": ["F101", "F102"],
                                                                  "c": ["W201"]}
    lit, at = highlight.place([f1, {**f2, "lines": ["c"]}], keys)  # nothing shared: all lines
    assert lit == {"a": ["F101"], "b": ["F101"], "c": ["F102"]}
    lit, at = highlight.place([{"code": "F103", "severity": "error", "lines": ["zzz"]}], keys)
    assert lit == {"choices": ["F103"]} and list(at) == ["choices"]
    f102 = {"code": "F102", "severity": "error", "lines": ["a", "b"], "light": ["choices", "b"]}
    lit, at = highlight.place([f102], keys)  # the votes' side of the relation
    assert lit == {"b": ["F102"], "choices": ["F102"]} and list(at) == ["choices"]
