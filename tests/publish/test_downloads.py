"""Downloads: the per-station CSV reads back with the analysis reader, per-level totals equal
the tallies, the NIST export validates against the published schema. Each runs with no snapshot
(`snapshot_dir`: a fresh data directory), so the files are made from the database."""

import csv
import hashlib
import io
import json

import pytest

from sailau.languages.latin import from_cyrillic
from sailau.protocols.models import Protocol, Tally

from .conftest import NIST_SCHEMA

pytestmark = pytest.mark.django_db


def test_station_csv_has_every_protocol_and_reads_back(client, small_election, tmp_path,
                                                       snapshot_dir):
    from sailau.analysis.sources import SAILAU_LATER, SAILAU_NAMES, read_sailau
    from sailau.law.forms import LINES

    contest = small_election.contests.get(kind="party_list")
    r = client.get(f"/kk/e/{small_election.id}/download/{contest.id}/stations.csv")
    assert r.status_code == 200
    body = r.content
    assert r["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    header = body.decode().splitlines()[0].split(",")
    # station, region, district, every line of the law's form, then the names, then the choices
    assert header[:3 + len(LINES) + len(SAILAU_NAMES)] == [
        "station_id", "region", "district", *LINES, *SAILAU_NAMES]
    protocols = {p.station_id: p for p in Protocol.objects.filter(contest=contest, current=True)}
    assert len(rows) == len(protocols)
    for row in rows:
        p = protocols[row["station_id"]]
        assert int(row["invalid"]) == p.figures["invalid"]
        assert {k: int(row[k]) for k in p.choices} == p.choices
    path = tmp_path / "s.csv"
    path.write_bytes(body)
    res = read_sailau(path)
    assert sorted(res.station_ids.tolist()) == sorted(protocols)
    assert res.registered.sum() == sum(p.figures["voters_on_list"] for p in protocols.values())
    # A table published before the Latin-script name columns reads the same, choices and all.
    older = [{k: v for k, v in row.items() if k not in SAILAU_LATER} for row in rows]
    path.write_text(",".join(older[0]) + "\n" + "".join(
        ",".join(f'"{v}"' for v in row.values()) + "\n" for row in older))
    old = read_sailau(path)
    assert old.station_ids.tolist() == res.station_ids.tolist()
    assert (old.counted == res.counted).all()
    assert old.choices.keys() == res.choices.keys() and old.choices.keys() >= set(
        protocols[rows[0]["station_id"]].choices)


def test_level_json_equals_the_tallies(client, small_election, snapshot_dir):
    contest = small_election.contests.get(kind="party_list")
    r = client.get(f"/ru/e/{small_election.id}/download/{contest.id}/territorial.json")
    doc = json.loads(r.content)
    tallies = {t.commission_id: t for t in Tally.objects.filter(contest=contest)}
    assert doc["commissions"]
    for row in doc["commissions"]:
        t = tallies[row["commission_id"]]
        assert row["choices"] == t.choices and row["stations_reported"] == t.stations_reported
    assert client.get(f"/ru/e/{small_election.id}/download/{contest.id}/planet.json"
                      ).status_code == 404


def test_station_json_is_the_station_document(client, small_election):
    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    doc = client.get(f"/en/e/{small_election.id}/s/{p.station.number}/station.json").json()
    part = next(c for c in doc["contests"] if c["contest"] == p.contest_id)
    assert part["protocol"]["figures"] == dict(sorted(p.figures.items()))
    assert part["protocol"]["version"] == p.version


def test_nist_export_validates_and_adds_up(client, small_election, snapshot_dir):
    if not NIST_SCHEMA.exists():
        pytest.skip(f"NIST schema not found at {NIST_SCHEMA}")
    import jsonschema

    doc = client.get(f"/en/e/{small_election.id}/download/nist.json").json()
    schema = json.loads(NIST_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(doc)
    # Names in every language offered, Kazakh in Latin script as BCP 47 writes it.
    name = {t["Language"]: t["Content"] for t in doc["Election"][0]["Name"]["Text"]}
    assert list(name) == ["kk", "kk-Latn", "ru", "en"]
    assert name["kk-Latn"] == from_cyrillic(name["kk"]) != name["kk"]
    contest = small_election.contests.get(kind="party_list")
    national = Tally.objects.get(contest=contest, commission=contest.commission)
    nc = next(c for c in doc["Election"][0]["Contest"] if c["@id"] == f"contest-{contest.id}")
    for sel in nc["ContestSelection"]:
        key = sel["@id"].rsplit("-", 1)[1]
        counts = {v["GpUnitId"]: v["Count"] for v in sel["VoteCounts"]}
        assert counts[f"gp-{contest.commission_id}"] == national.choices.get(key, 0)
        stations = sum(c for g, c in counts.items() if ".pec." in g)
        assert stations == national.choices.get(key, 0)


def test_downloads_page_lists_files(client, small_election):
    r = client.get(f"/kk/e/{small_election.id}/download/")
    assert r.status_code == 200
    assert "nist.json" in r.content.decode()


@pytest.mark.parametrize("lang,heading", [("kk", "Файлдарды өзіңіз тексеріңіз"),
                                          ("ru", "Проверьте эти файлы сами"),
                                          ("en", "Check these files yourself")])
def test_downloads_page_says_how_to_check_the_files(client, small_election, lang, heading):
    """A journalist downloading the tables is shown the command that checks them, with the
    snapshot's own address on this server, in the page's language."""
    page = client.get(f"/{lang}/e/{small_election.id}/download/").content.decode()
    assert heading in page
    # "Этому серверу не нужно доверять" reads as a warning not to trust it.
    if lang == "ru":
        assert "Верить этому серверу на слово не обязательно" in page
        assert "не нужно доверять" not in page
    assert f"sailau verify http://testserver/snapshots/{small_election.id}/ --state" in page
