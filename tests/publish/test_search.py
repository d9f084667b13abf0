"""Search by number, address, settlement and commission, in Kazakh, Russian and Latin."""

import re
import time

import pytest

from sailau.elections.models import Commission, Station
from sailau.publish import search

pytestmark = pytest.mark.django_db


def test_finds_a_station_by_number_first(small_election):
    s = Station.objects.filter(election=small_election).order_by("number")[5]
    found = search.search(small_election.id, str(s.number))
    assert found[0] == s


def test_kazakh_and_russian_spellings_of_a_settlement_find_the_same_stations(small_election):
    s = Station.objects.filter(election=small_election).exclude(
        settlement=models_f("settlement_ru")).first()
    if s is None:
        pytest.skip("no settlement spelled differently in Kazakh and Russian")
    kk = {x.id for x in search.search(small_election.id, s.settlement)}
    ru = {x.id for x in search.search(small_election.id, s.settlement_ru)}
    assert s.id in kk and s.id in ru


def models_f(name):
    from django.db.models import F

    return F(name)


def test_address_words_in_russian_and_latin(small_election):
    s = Station.objects.filter(election=small_election, settlement="Астана").first()
    if s is None:
        pytest.skip("no station in Astana")
    street = s.address_ru.split(",")[1]  # "ул. Орталык"
    assert s in search.search(small_election.id, street)
    latin = {x.id for x in search.search(small_election.id, "Astana", limit=10_000)}
    cyrillic = {x.id for x in search.search(small_election.id, "Астана", limit=10_000)}
    assert s.id in latin and latin == cyrillic


def test_search_by_commission_name_returns_its_stations(small_election):
    d = Commission.objects.filter(election=small_election, level="district").first()
    found = {x.id for x in search.search(small_election.id, d.name("ru"), limit=10_000)}
    assert set(Station.objects.filter(district=d).values_list("id", flat=True)) <= found


def test_every_word_must_match(small_election):
    assert search.search(small_election.id, "Астана zzzzqqq") == []


BAD = [("x" * 101, "too long"), ("%%% ---", "no letters"), ("a\x00b", "control"),
       (" ".join("abcdefghij"), "too many")]


def test_bad_queries_say_what_is_wrong(small_election):
    from django.utils import translation

    for q, why in BAD:
        with translation.override("en"), pytest.raises(search.BadQuery, match=why):
            search.search(small_election.id, q)
        # shown in the active language (str() of an error is English, for logs and commands)
        with translation.override("ru"), pytest.raises(search.BadQuery) as refused:
            search.search(small_election.id, q)
        assert re.search("[а-я]", refused.value.text()), refused.value.text()


def test_search_page_and_its_400(client, small_election):
    for lang in ("kk", "ru", "en"):
        _search_page(client, small_election, lang)


def _search_page(client, small_election, lang):
    s = Station.objects.filter(election=small_election).first()
    r = client.get(f"/{lang}/e/{small_election.id}/search/", {"q": str(s.number)})
    assert r.status_code == 200
    assert f"/{lang}/e/{small_election.id}/s/{s.number}/" in r.content.decode()
    r = client.get(f"/{lang}/e/{small_election.id}/search/", {"q": "y" * 500})
    assert r.status_code == 400
    assert "100" in r.content.decode()
    # The search page itself, the reason next to the box that holds the query to correct.
    assert 'role="alert"' in r.content.decode() and r.context["error"]
    assert 'aria-describedby="q-error"' in r.content.decode()
    assert client.get(f"/{lang}/e/{small_election.id}/search/", {"q": "€€€"}).status_code == 400


def test_a_query_matching_many_stations_stops_at_the_limit_in_a_few_queries(
        small_election, django_assert_max_num_queries):
    """Speed is in BENCHMARKS.md; here, what keeps it: however many stations a short query
    matches, the database intersects and limits them (no station ids through Python)."""
    search.rebuild(small_election.id)
    everyone = Station.objects.filter(election=small_election).order_by("number")
    first = everyone.first()
    digit = str(first.number)[0]
    from sailau.publish.models import SearchToken

    ids = set(SearchToken.objects.filter(election=small_election, token__startswith=digit)
              .values_list("station_id", flat=True))
    matching = [s for s in everyone if s.id in ids]
    assert len(matching) > 5
    with django_assert_max_num_queries(4) as captured:
        found = search.search(small_election.id, digit, limit=5)
    # The matched stations are narrowed inside the database, never sent back to it as a list.
    assert not [q for q in captured.captured_queries for sid in ids if f"'{sid}'" in q["sql"]]
    assert len(found) == 5
    exact = [s for s in matching if str(s.number) == digit]
    assert found == (exact + [s for s in matching if s not in exact])[:5]
