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
@pytest.mark.parametrize("lang,heading,not_said", [
    ("kk", "Бір мандатты округтер", "Мәслихаттың бір мандатты округтері"),
    ("ru", "Одномандатные округа", "Одномандатные округа маслихата"),
    ("en", "Single-member districts", "Single-member districts of the maslikhat")])
def test_the_national_page_heads_the_mazhilis_districts_as_its_own(client, small_election, lang,
                                                                   heading, not_said):
    """The national page lists the Mazhilis's single-member districts: not the maslikhat's,
    which a region's page lists under that heading."""
    html = client.get(f"/{lang}/e/{small_election.id}/").content.decode()
    assert f'<h2 id="smd">{heading}</h2>' in html and not_said not in html


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
        row = re.search(re.escape(escape(choice.name("en"))) + r".*?</tr>", html, re.DOTALL).group(0)
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


@pytest.mark.django_db
def test_referendum_contest_page_shows_validity_and_adoption(client, small_election):
    """A referendum's outcome is computed per region (territorial commission) by its rule set."""
    from sailau.elections import electorate
    from sailau.elections.models import Choice, Commission, Contest

    cec = Commission.objects.get(election=small_election, level="cec")
    ref = Contest.objects.create(id=f"{small_election.id}.ref", election=small_election,
                                 kind="referendum", ruleset="kz-referendum-2022", seats=0,
                                 commission=cec, names={"kk": "Референдум", "en": "Referendum"})
    for i, key in enumerate(["yes", "no"]):
        Choice.objects.create(contest=ref, key=key, order=i, names={"kk": key, "en": key})
    electorate.fill(small_election.id)
    territories = list(Commission.objects.filter(election=small_election, level="territorial"))
    for t in territories:
        Tally.objects.create(contest=ref, commission=t, stations_reported=1, stations_expected=1,
                             figures={"voters_on_list": 100, "invalid": 2, "both_marked": 1},
                             choices={"yes": 50, "no": 10})
    Tally.objects.create(contest=ref, commission=cec, stations_reported=len(territories),
                         stations_expected=len(territories),
                         figures={"voters_on_list": 100 * len(territories)},
                         choices={"yes": 50 * len(territories), "no": 10 * len(territories)})
    r = client.get(f"/en/e/{small_election.id}/")
    assert r.status_code == 200
    from sailau.protocols import tabulation

    result = tabulation.outcome(Tally.objects.get(contest=ref, commission=cec)).result
    assert result.valid is True  # 63 of 100 took part
    assert result.adopted is True
    assert result.turnout == "63/100"
