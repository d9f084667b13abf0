"""The integrity report on the small synthetic election: criteria against the injected
falsifications, the cache, the pages in three languages, the CSV and the station snippet."""

import csv
import io

import pytest
from django.template import Context, Template

from sailau.analysis import criteria, criteria_catalogue
from sailau.integrity import demo_scoring, service, table


@pytest.fixture
def report(small_election, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    contest = table.principal_contest(small_election.id)
    return contest, service.get(contest)


def test_station_table_matches_protocols(report, small_synthetic):
    contest, data = report
    assert contest.kind == "party_list"
    assert data["stations_reported"] == data["stations_expected"] == 120 and data["missing_count"] == 0
    totals = data["forensics"]["totals"]
    paper = [p for (sid, cid), p in small_synthetic.protocols.items() if cid == contest.id]
    assert totals["registered"] == sum(p["figures"]["voters_on_list"] for p in paper)
    assert totals["stations"] == 120
    assert set(data["forensics"]) >= {"integer_percentages", "second_digit", "klimek", "excess_votes"}


def test_injected_falsifications_are_found(report, small_synthetic):
    _, data = report
    scored = demo_scoring.score(data["stations"], {"stations": small_synthetic.truth})
    flagged = scored["rows"]["status: flagged"]
    assert scored["true"]["turnout_100"] >= 1
    assert flagged["turnout_100"]["recall"] == 1.0
    assert flagged["all"]["precision"] >= 0.8
    assert flagged["ballot_stuffing"]["recall"] >= 0.25
    # every station with more ballots in the box than issued is flagged
    for v in data["stations"].values():
        if any(f["code"] == "I02" for f in v["flags"]):
            assert v["status"] == criteria.FLAGGED
    assert "| status: flagged |" in demo_scoring.markdown(scored)


def test_cache_is_reused_then_recomputed_when_a_protocol_changes(report):
    from sailau.protocols.models import Protocol

    contest, data = report
    assert service.get(contest)["computed_at"] == data["computed_at"]
    assert service.get(contest) is service.get(contest)  # read once per file version
    old = Protocol.objects.filter(contest=contest, current=True).order_by("id").first()
    figures = dict(old.figures)
    extra = figures["cancelled"]  # every unused ballot issued and found, for the first choice
    figures.update(issued_in_room=figures["issued_in_room"] + extra, cancelled=0,
                   found_stationary=figures["found_stationary"] + extra)
    choices = dict(old.choices)
    first = next(iter(choices))
    choices[first] += extra
    old.current = False
    old.save(update_fields=["current"])
    Protocol.objects.create(station=old.station, contest=contest, version=old.version + 1,
                            figures=figures, choices=choices, source="amendment")
    fresh = service.get(contest)
    assert fresh["key"] != data["key"]
    assert fresh["stations"][old.station_id]["status"] == criteria.FLAGGED


@pytest.mark.parametrize("lang,word", [("kk", "Дауыс беру адалдығы"), ("ru", "Проверка"), ("en", "Integrity report")])
def test_page_in_each_language(report, client, lang, word):
    contest, data = report
    r = client.get(f"/{lang}/e/{contest.election_id}/integrity/")
    assert r.status_code == 200
    html = r.content.decode()
    assert word in html
    some = next(sid for sid, v in data["stations"].items() if v["status"] == criteria.FLAGGED)
    assert some in html
    name = criteria_catalogue.BY_CODE["I04"].name[lang]
    assert name in html
    img = client.get(f"/{lang}/e/{contest.election_id}/integrity/plots/fingerprint.png")
    assert img.status_code == 200 and b"".join(img.streaming_content)[:4] == b"\x89PNG"
    assert client.get(f"/{lang}/e/{contest.election_id}/integrity/plots/secret.key").status_code == 404


def test_flagged_csv(report, client):
    contest, data = report
    r = client.get(f"/en/e/{contest.election_id}/integrity/flagged.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert {row["station_id"] for row in rows} == set(data["stations"])
    statuses = [row["status"] for row in rows]
    assert statuses == sorted(statuses, key=lambda s: s != "flagged")  # flagged first
    assert all(row["codes"] for row in rows)


def test_unknown_election_is_404(db, client):
    assert client.get("/en/e/nope/integrity/").status_code == 404


def test_election_page_links_to_the_report(report, client):
    contest, _ = report
    page = client.get(f"/en/e/{contest.election_id}/").content.decode()
    assert f'href="/en/e/{contest.election_id}/integrity/"' in page


def test_station_snippet(report, rf):
    from django.utils import translation

    contest, data = report
    sid = next(sid for sid, v in data["stations"].items() if v["status"] == criteria.FLAGGED)
    clear = next(s for s in table.build(contest).table.station_ids if s not in data["stations"])
    tpl = Template("{% load integrity %}{% station_flags sid %}")
    with translation.override("ru"):
        html = tpl.render(Context({"sid": sid}))
        flags = data["stations"][sid]["flags"]
        assert criteria_catalogue.BY_CODE[flags[0]["code"]].name["ru"] in html
        assert "Без отметок" in tpl.render(Context({"sid": clear}))
    assert service.station_flags(clear)["status"] == criteria.CLEAR
    assert service.station_flags("no-such-station") is None


@pytest.mark.django_db
def test_station_flags_never_compute_the_whole_election(small_election):
    from sailau.elections.models import Station

    contest = small_election.contests.get(kind="party_list")
    station = Station.objects.filter(election=small_election).first()
    assert not (service.directory(contest) / "integrity.json").exists()
    assert service.station_flags(station.id) is None  # no report yet: nothing shown, no wait
    assert not (service.directory(contest) / "integrity.json").exists()
