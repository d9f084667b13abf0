import re

import pytest
from django.utils.html import escape

from sailau.law import get_ruleset
from sailau.protocols.models import Tally


@pytest.mark.django_db
@pytest.mark.parametrize("lang,word", [("kk", "Мандаттар"), ("ru", "Мандаты"), ("en", "Seats")])
def test_election_page_in_three_languages(client, small_election, lang, word):
    r = client.get(f"/{lang}/e/{small_election.id}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html
    assert word in html
    assert small_election.name(lang) in html


@pytest.mark.django_db
def test_seats_on_the_page_are_the_rule_sets(client, small_election):
    contest = small_election.contests.get(kind="party_list")
    tally = Tally.objects.get(contest=contest, commission=contest.commission)
    votes = {k: v for k, v in tally.choices.items() if k != "against_all"}
    order = list(small_election.parties.order_by("registration_order")
                 .values_list("id", flat=True))
    keys = {c.party_id: c.key for c in contest.choices.exclude(party=None)}
    outcome = get_ruleset(contest.ruleset).outcome({
        "votes": votes, "against_all": tally.choices["against_all"], "seats": contest.seats,
        "registration_order": [keys[p] for p in order]})
    html = client.get(f"/en/e/{small_election.id}/").content.decode()
    for choice in contest.choices.exclude(party=None):
        row = re.search(re.escape(escape(choice.name("en"))) + r".*?</tr>", html, re.S).group(0)
        seats = re.findall(r'<td class="n">([^<]*)</td>', row)[-1]
        assert int(seats) == outcome["seats"].get(choice.key, 0)
    assert sum(outcome["seats"].values()) == contest.seats


@pytest.mark.django_db
def test_national_totals_are_the_sum_of_the_stations(small_election):
    from sailau.protocols.models import Protocol

    contest = small_election.contests.get(kind="party_list")
    national = Tally.objects.get(contest=contest, commission=contest.commission)
    total = {}
    for p in Protocol.objects.filter(contest=contest, current=True):
        for k, v in p.choices.items():
            total[k] = total.get(k, 0) + v
    assert national.choices == total
    assert national.stations_reported == national.stations_expected == \
        small_election.stations.count()
    # Every territory's totals add up to the national ones too.
    territories = Tally.objects.filter(contest=contest, commission__level="territorial")
    assert sum(t.choices["amanat"] for t in territories) == national.choices["amanat"]


@pytest.mark.django_db
def test_unknown_election_is_404(client):
    assert client.get("/kk/e/no.such.election/").status_code == 404


@pytest.mark.django_db
def test_home_lists_elections_and_redirects_to_kazakh(client, small_election):
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == "/kk/"
    assert small_election.id in client.get("/kk/").content.decode()
