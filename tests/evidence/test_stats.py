"""Statistics by territory: stations with an observer's copy and with a
verified scan, copies differing, copies NOT posted (the counting checklist), voters counted by
observers against the official turnout; page, CSV and JSON in kk/ru/en."""

import csv
import io
import json

import pytest

from sailau.elections.models import Commission
from sailau.evidence import stats
from sailau.observation import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def observed(small_election, small_synthetic):
    from sailau.observation.demo import generate

    truth = json.loads(json.dumps(small_synthetic.truth))
    generate(small_election, seed=5, share=1.0, truth=truth)  # every station observed
    return small_election, truth


def test_stations_and_voters_by_territory(observed):
    election, truth = observed
    rows = stats.by_territory(election.id, "en")
    total = rows[-1]
    assert total["territory"] == "" and len(rows) > 2
    for key in stats.COLUMNS:  # the total is the sum of the territories
        assert total[key] == sum(r[key] for r in rows[:-1]), key
    copies = m.ObserverCopy.objects.all()
    assert total["with_copy"] == len({c.station_id for c in copies}) > 0
    rewritten = {s for s, t in truth.items() if "rewritten_upstream" in t["kinds"]}
    assert total["copy_differs"] == len(rewritten & {c.station_id for c in copies}) > 0
    not_posted = {s.station_id for s in m.ChecklistSubmission.objects.filter(stage="counting")
                  if s.answers.get("copy_posted") == "no"}
    assert total["copy_not_posted"] == len(not_posted) > 0
    counted = m.VoterCount.objects.filter(moment="departure")
    assert total["voters_counted_at"] == counted.count() > 0
    assert total["voters_observed"] == sum(c.voters for c in counted)
    # The demo's observers counted fewer voters than were officially issued where ballots were
    # stuffed: the official turnout is at least the observers' count.
    assert total["voters_official"] >= total["voters_observed"]
    region = rows[0]
    assert region["name"] and region["territory"]
    assert total["with_verified_scan"] == 0  # no scan typed yet


COMMISSION_WORDS = {"kk": "аумақтық сайлау комиссиясы",
                    "ru": "Территориальная избирательная комиссия",
                    "en": "territorial election commission"}


@pytest.mark.parametrize("lang,words", [("kk", "Бақылаушы көшірмесі бар учаскелер"),
                                        ("ru", "Копия не вывешена"),
                                        ("en", "Voters counted by observers")])
def test_page_csv_and_json(client, observed, lang, words):
    election, _ = observed
    page = client.get(f"/{lang}/evidence/?election={election.id}").content.decode()
    assert words in page
    # A phone shows each territory as a card of labelled figures (no table scrolling in its
    # box), each named by its place, not by its commission's full name.
    table = page[page.index('<table class="results stack">'):].split("</table>")[0]
    assert table.count("data-label=") == len(stats.COLUMNS) * len(stats.by_territory(election.id))
    assert COMMISSION_WORDS[lang] not in table
    region = Commission.objects.filter(election=election, level="territorial").first()
    assert region.place(lang) in table and region.place(lang) != region.name(lang)
    if lang != "en":
        assert "Voters counted by observers" not in page and "copy_not_posted" not in page
    body = client.get(f"/{lang}/evidence/stats.csv?election={election.id}").content.decode()
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == ["territory", "territory_name", *stats.COLUMNS]
    assert table[-1][0] == "total"
    got = client.get(f"/{lang}/evidence/stats.json?election={election.id}")
    assert got["Content-Type"] == "application/json"
    data = got.json()
    assert data["columns"] == list(stats.COLUMNS)
    assert [r[2 + stats.COLUMNS.index("with_copy")] for r in table[1:]] == [
        str(r["with_copy"]) for r in data["rows"]]
