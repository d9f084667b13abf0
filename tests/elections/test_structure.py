import csv
import json

import pytest

from sailau.elections import structure
from sailau.elections.models import Commission, Election, Station
from sailau.protocols.models import Protocol


@pytest.mark.django_db
def test_json_round_trip_keeps_every_row(small_structure, tmp_path):
    before = structure.export(small_structure)
    path = tmp_path / "structure.json"
    structure.export_path(small_structure, path)
    small_structure.delete()
    structure.import_path(path)
    after = structure.export(Election.objects.get(id=before["election"]["id"]))
    for table in structure.TABLES:
        key = lambda r: json.dumps(r, sort_keys=True, default=str)
        assert sorted(map(key, after[table])) == sorted(map(key, before[table])), table


@pytest.mark.django_db
def test_what_is_stored_is_the_document_written(small_synthetic):
    """Each row of the validated document is stored as it was given, every column (the
    commissions, stations and members go in by the bulk writer, column by column): what
    `export` reads back is the document, not only what an earlier import stored."""
    doc = structure.validate(small_synthetic.structure())
    after = structure.export(structure.write(doc))

    def rows(table, d):  # (an optional text left out is stored empty)
        texts = {f.name for f in structure.TABLES[table] if f.parse is structure._str}
        return sorted(json.dumps([("" if r[f.name] is None and f.name in texts else r[f.name])
                                  for f in structure.TABLES[table]], default=str)
                      for r in d[table])

    for table in ("commissions", "stations", "members"):
        assert rows(table, after) == rows(table, doc), table
    assert {s["urban"] for s in doc["stations"]} == {True, False}  # both kinds are checked


@pytest.mark.django_db
def test_csv_round_trip(small_structure, tmp_path):
    structure.export_path(small_structure, tmp_path / "csv")
    n = small_structure.stations.count()
    structure.import_path(tmp_path / "csv", replace=True)
    assert Station.objects.filter(election_id=small_structure.id).count() == n


@pytest.mark.django_db
def test_structure_with_results_cannot_be_replaced(small_election, tmp_path):
    structure.export_path(small_election, tmp_path / "s.json")
    with pytest.raises(structure.StructureError, match="has results"):
        structure.import_path(tmp_path / "s.json", replace=True)
    assert Protocol.objects.filter(station__election=small_election).exists()


@pytest.mark.django_db
def test_csv_errors_name_file_row_and_field(small_election, tmp_path):
    folder = tmp_path / "csv"
    structure.export_path(small_election, folder)
    with (folder / "stations.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[2]["registered"] = "-5"  # data row 3 = line 4 of the file
    rows[4]["district"] = "no-such-district"
    with (folder / "stations.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(structure.StructureError) as exc:
        structure.import_path(folder, replace=True)
    errors = exc.value.errors
    assert "stations.csv:row 4: field 'registered': must not be negative, got -5" in errors
    assert any(e.startswith("stations.csv:row 6: field 'district': unknown") for e in errors)
    # Nothing was replaced: the election is still there, whole.
    assert small_election.stations.count() == Station.objects.filter(
        election_id=small_election.id).count() > 0


@pytest.mark.django_db
def test_existing_election_is_not_overwritten_without_replace(small_election, tmp_path):
    path = tmp_path / "s.json"
    structure.export_path(small_election, path)
    with pytest.raises(structure.StructureError, match="exists already"):
        structure.import_path(path)


def test_bad_json_documents_are_reported(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not json")
    with pytest.raises(structure.StructureError, match="not a valid UTF-8 JSON"):
        structure.read(bad)
    doc = {"format": structure.FORMAT,
           "election": {"id": "x", "kind": "mazhilis", "date": "2023-13-01", "name_kk": "X"},
           "commissions": [{"id": "c", "level": "precinct", "number": 1, "name_kk": "C"}],
           "stations": [{"id": "s"}]}
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    errors = exc.value.errors
    assert any("election: field 'date'" in e for e in errors)
    assert "stations[0]: field 'commission' is required" in errors
    assert "stations[0]: field 'registered' is required" in errors


def test_references_are_checked(small_synthetic):
    doc = json.loads(json.dumps(small_synthetic.structure()))
    doc["stations"][0]["district"] = doc["stations"][0]["territory"]
    doc["stations"][1]["number"] = doc["stations"][2]["number"]
    doc["candidates"][0]["choice"] = "nobody"
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    text = "\n".join(exc.value.errors)
    assert "stations[0]: field 'district'" in text and "expected district" in text
    assert "stations[2]: duplicate number" in text
    assert "candidates[0]: field 'choice': no choice 'nobody'" in text


def test_contest_on_a_level_that_cannot_be_tabulated_is_refused(small_synthetic):
    # Every level above the precincts holds contests (maslikhats: tests/elections/
    # test_maslikhat_structure.py); a precinct is one station, no area to hold an election in.
    doc = json.loads(json.dumps(small_synthetic.structure()))
    precinct = next(c["id"] for c in doc["commissions"] if c["level"] == "precinct")
    doc["contests"][0]["commission"] = precinct
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    assert any("contests[0]: field 'commission': a contest on a precinct" in e
               for e in exc.value.errors)


@pytest.mark.parametrize("name,place", [
    ("Территориальная избирательная комиссия: Абайская область", "Абайская область"),
    ("Абай облысы аумақтық сайлау комиссиясы", "Абай облысы"),
    ("Abai region territorial election commission", "Abai region"),
    ("Алматинская областная территориальная избирательная комиссия",  # no place to cut out
     "Алматинская областная территориальная избирательная комиссия"),
    ("Центральная избирательная комиссия", "Центральная избирательная комиссия"),
])
def test_a_territorial_commission_named_by_its_place(name, place):
    assert Commission(names={"kk": name, "ru": name, "en": name}).place("ru") == place


def test_a_territorial_commission_named_by_its_place_in_latin_script():
    c = Commission(names={"kk": "Абай облысы аумақтық сайлау комиссиясы", "ru": "", "en": ""})
    assert c.place("kk-latn") == "Abai oblysy"


@pytest.mark.django_db
def test_commission_addresses_in_the_three_languages(small_structure, tmp_path):
    """A district's subtitle on its page is its address in the page's language: the demo gives
    each its Russian and English form, and the CSV import and export keep them (a Russian page
    showed 'Жезқазған қаласы')."""
    import re

    districts = Commission.objects.filter(election=small_structure, level="district")
    assert districts
    for c in districts:
        assert c.addresses["kk"] and c.addresses.get("ru", "") and c.addresses.get("en", ""), c.id
        assert not re.search("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]", c.where("ru")), c.where("ru")
        assert re.fullmatch(r"[A-Za-z0-9 ,.\-]+", c.where("en")), c.where("en")
        assert c.where("kk") == c.addresses["kk"]
    structure.export_path(small_structure, tmp_path / "csv")
    structure.import_path(tmp_path / "csv", replace=True)
    again = Commission.objects.get(pk=districts[0].pk)
    assert (again.addresses.get("ru", ""), again.addresses.get("en", "")) == (districts[0].addresses.get("ru", ""),
                                                     districts[0].addresses.get("en", ""))
