"""A person on the ballot has one name per page language everywhere: the candidates' lists, the
nomination's page, the refusals and the finance pages write the ballot's spelling in the page's
language (the choice's names, which the results pages write), not the name as filed (Kazakh) on
a Russian page. A party list's member, whom no choice names, keeps the name filed, in the page's
script."""

import re
from html import unescape

import pytest

from sailau.candidates import services
from sailau.elections.models import Candidate, Choice
from sailau.finance import services as finance
from tests.candidates.conftest import appeal, csv_of, decision, party_list, person

FILED = "Омарова Айгүл"
BALLOT = {"kk": FILED, "ru": "Омарова Айгуль", "en": "Aigul Omarova"}
SHOWN = {**BALLOT, "kk-latn": "Omarova Aigül"}


@pytest.fixture
def on_ballot(election):
    smd = f"{election.id}.smd.1"
    choice = Choice.objects.create(contest_id=smd, key="c1", names=BALLOT, order=1)
    Candidate.objects.filter(id=f"{smd}.c1").update(choice=choice)
    services.import_batch(election, csv_of(
        party_list("L", "amanat", "71"),
        person("p1", "list", "amanat", "party", "Бірінші Адам", position="1", deposit=""),
        person("a", name=FILED), decision("a", "registered"),
        decision("a", "deregistered", "tax_declaration", "2023-03-01"),
        appeal("a", "court", date="2023-03-02")), "n.csv", "t")
    finance.import_report(election, "recipient,recipient_kind,direction,source_kind,donor,"
                          f"amount_kzt,date\n{FILED},candidate,income,own,,2000000,2023-02-20\n",
                          "r.csv", "t")
    return election


def _text(client, path: str) -> str:
    html = client.get(path).content.decode()
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["ru", "en", "kk-latn", "kk"])
def test_a_candidate_reads_as_the_ballot_spells_them_on_every_page(client, on_ballot, lang):
    e = on_ballot.id
    cid = f"{e}.smd.1.c1"
    pages = {"contest": f"/{lang}/e/{e}/candidates/contest/{e}.smd.1/",
             "nomination": f"/{lang}/e/{e}/candidates/n/a/",
             "refusals": f"/{lang}/e/{e}/candidates/refusals/",
             "finance": f"/{lang}/e/{e}/finance/",
             "fund": f"/{lang}/e/{e}/finance/candidate/{cid}/"}
    for name, path in pages.items():
        text = _text(client, path)
        assert SHOWN[lang] in text, (name, lang)
        if lang != "kk":
            assert FILED not in text, (name, lang)
    # the same spelling the results pages read from the choice
    assert Choice.objects.get(contest_id=f"{e}.smd.1", key="c1").name(lang) == SHOWN[lang]


def test_a_list_member_no_choice_names_keeps_the_name_filed_in_the_page_s_script(client,
                                                                                 on_ballot):
    e = on_ballot.id
    assert "Бірінші Адам" in _text(client, f"/ru/e/{e}/candidates/contest/{e}.list/")
    assert "Bırınşı Adam" in _text(client, f"/kk-latn/e/{e}/candidates/n/L/")
