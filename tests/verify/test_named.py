"""The election's own name, day and kind, its parties' names, short names and colours, the
candidates' names and nist.json's reporting units are in the log (a `structure` leaf of version
2, the `contests` and `stations` leaves): `sailau verify` holds election.json, choices.csv and
nist.json to them, naming the file and the field. Each forgery is built as the operator could: the
database edited and the record published again, or a published file rewritten with its hash in
the manifest. A log published before (a structure leaf of version 1) still verifies, with a
note."""

import csv
import io
import json

import pytest

from sailau.elections.models import Party
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


def _doc(folder, name) -> dict:
    return json.loads(opened(_object(folder, name)))


def test_an_honest_record_holds_every_name(published, capsys):
    code, text, report = _run(capsys, published, "--json")
    assert code == 0, text
    assert not any("structure leaf is of version 1" in n["message"] for n in report["notes"])
    # election.json's own facts, each contest's and choice's name, nist.json, and the tie-break
    # order of each contest whose kind breaks ties by it
    from sailau.law import kinds

    doc = _doc(published, "election.json")
    ordered = sum(1 for c in doc["contests"]
                  if kinds.REGISTRATION_ORDER in kinds.KINDS[c["kind"]].needs)
    assert ordered
    names = 1 + sum(1 + len(c["choices"]) for c in doc["contests"]) + 1 + ordered
    assert report["held"]["names"] == names, report["held"]


def test_the_election_renamed_and_its_day_moved_in_election_json_are_named(published, tmp_path,
                                                                         capsys):
    forged = _copy(published, tmp_path, "forged-election")
    doc = _doc(forged, "election.json")
    was = doc["name"]["en"]
    doc["name"]["en"], doc["date"], doc["synthetic"] = "A real election", "2023-03-26", False
    _rewrite(forged, "election.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert (f"names: election.json: name.en: 'A real election', the log states {was!r}; date: "
            "'2023-03-26', the log states '2023-03-19'; synthetic: False, the log states True"
            ) in _failures(report), _failures(report)


def test_a_candidates_name_changed_in_choices_csv_is_named(published, tmp_path, capsys):
    forged = _copy(published, tmp_path, "forged-candidate")
    doc = _doc(forged, "election.json")
    contest, choice = next((c, ch) for c in doc["contests"] if c["kind"] == "single_member"
                           for ch in c["choices"] if ch["key"] != "against_all")
    name = f"contests/{contest['id']}/choices.csv"
    rows = list(csv.reader(io.StringIO(opened(_object(forged, name)).decode())))
    n, row = next((n, r) for n, r in enumerate(rows) if r[0] == choice["key"])
    row[rows[0].index("name_ru")] = "Подлогов Иван"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(forged, name, buf.getvalue().encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert (f"derived: {name}: row {n} ({choice['key']}), column name_ru: published 'Подлогов "
            f"Иван', the verified files give {choice['name']['ru']!r}") in _failures(report), \
        _failures(report)


def test_a_name_in_a_language_the_log_does_not_state_is_held_in_kazakh():
    """A candidate whose English name the commission never gave is shown in Kazakh: another
    English name in election.json (and so in choices.csv, written from it) is named."""
    from sailau.verify import named
    from sailau.verify.report import Report

    logged = {"c": {"name": {"kk": "№1 округ"}, "choices": {
        "k": {"name": {"kk": "Ахметова Жанар", "ru": "Ахметова Жанар"}, "party": None}}}}
    honest = {"contests": [{"id": "c", "name": {"kk": "№1 округ", "ru": "№1 округ",
                                                "en": "№1 округ"},
                            "choices": [{"key": "k", "name": {"kk": "Ахметова Жанар",
                                                              "ru": "Ахметова Жанар",
                                                              "en": "Ахметова Жанар"}}]}]}
    report = Report("x")
    named.check_contests(logged, honest, report)
    assert report.passed and report.held["names"] == 2
    honest["contests"][0]["choices"][0]["name"]["en"] = "John Forged"
    named.check_contests(logged, honest, report)
    assert [(f.subject, f.message) for f in report.failures] == [
        ("election.json (c, choice k)",
         "en: 'John Forged', the log's structure says 'Ахметова Жанар'")]


def test_a_party_recoloured_and_renamed_in_the_database_is_named_in_nist_json(
        small_election, published, capsys):
    party = Party.objects.filter(election=small_election).order_by("registration_order").first()
    was = party.color.lstrip("#").lower()
    Party.objects.filter(pk=party.pk).update(color="#FF0000", short="Forged")
    snapshots.publish(small_election.id)
    code, _text, report = _run(capsys, published, "--json")
    assert code == 1
    failures = _failures(report)
    assert (f"names: nist.json (party-{party.id}, Color): 'ff0000', the log states {was!r}"
            in failures), failures
    assert any(f.startswith(f"names: nist.json (party-{party.id}, Abbreviation): kk: 'Forged', "
                            f"the log states {party.short!r}") for f in failures), failures


def test_forged_units_and_names_in_nist_json_are_named(published, tmp_path, capsys):
    forged = _copy(published, tmp_path, "forged-nist")
    doc = _doc(forged, "nist.json")
    place = next(n for n, u in enumerate(doc["GpUnit"]) if u["Type"] == "polling-place")
    unit = doc["GpUnit"][place]
    number = unit["Number"]
    unit["Number"] = "999999"
    ru = next(t for t in unit["Name"]["Text"] if t["Language"] == "ru")
    was, ru["Content"] = ru["Content"], "ул. Подложная, 1"
    party = doc["Party"][0]
    party["Name"]["Text"][0]["Content"] = "Жалған партия"
    _rewrite(forged, "nist.json", json.dumps(doc, ensure_ascii=False).encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    failures = _failures(report)
    who = f"names: nist.json (GpUnit[{place}] {unit['@id']}"
    assert f"{who}, Number): '999999', the log states {number!r}" in failures, failures
    assert (f"{who}, Name): ru: 'ул. Подложная, 1', the log states {was!r}" in failures), \
        failures
    assert any(f.startswith(f"names: nist.json ({party['@id']}, Name): kk: 'Жалған партия'")
               for f in failures), failures


def test_a_log_published_before_is_read_with_a_note():
    """A structure leaf of version 1 (written before it stated the election and its parties):
    the files are the operator's word, and a note says so."""
    from sailau.verify import logleaves, named
    from sailau.verify.report import Report

    report = Report("x")
    old = logleaves.Leaves(origin="sailau.kz/e")
    doc = {"name": {"kk": "anything"}, "date": "2023-03-26", "contests": []}
    named.check(old, {"election.json": doc}, None, report)
    assert report.passed and any("version 1" in n.message for n in report.notes)
    new = logleaves.Leaves(origin="sailau.kz/e", election={
        "name": {"kk": "Сайлау"}, "kind": "mazhilis", "date": "2023-03-19", "synthetic": True,
        "parties": []})
    named.check(new, {"election.json": doc}, None, report)
    assert not report.passed


def test_a_tie_break_order_forged_in_outcome_json_is_named(published, tmp_path, capsys):
    """The order of registration breaks a party list's ties: outcome.json's list, which the
    outcome is decided again with, is held to the log's parties."""
    forged = _copy(published, tmp_path, "forged-order")
    doc = _doc(forged, "election.json")
    contest = next(c for c in doc["contests"] if c["kind"] == "party_list")
    name = f"contests/{contest['id']}/outcome.json"
    outcome = _doc(forged, name)
    was = list(outcome["registration_order"])
    outcome["registration_order"] = was[::-1]
    _rewrite(forged, name, json.dumps(outcome, ensure_ascii=False).encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert (f"names: {name} (registration_order): {was[::-1]!r}, the log's parties give "
            f"{was!r}") in _failures(report), _failures(report)
