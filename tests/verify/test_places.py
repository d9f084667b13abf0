"""Where each station lies and the names of stations and commissions are in the log (`stations`
leaves of version 2): `sailau verify` holds the station files, the commission files and
election.json to them, naming the file and the field. Each forgery is built as the operator
could: the database edited and the record published again, or a published file rewritten with
its hash in the manifest. An honest record at 0 %, part and 100 % passes."""

import json

import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Commission, Station
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened, read_manifest
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(small_synthetic, tmp_path, monkeypatch):
    """The small election, loaded with no protocol routed yet."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    return load(small_synthetic, route=False)


def _publish(election):
    snapshots.publish(election.id)
    return snapshots.election_dir(election.id)


def test_an_honest_record_passes_at_none_part_and_all_reported(election, small_synthetic,
                                                               capsys):
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    commissions = Commission.objects.filter(election=election).exclude(
        level=Commission.PRECINCT).count()
    for only in (set(), set(stations[:5]), set(stations[5:])):
        if only:
            route(small_synthetic, only=only)
        code, _text, report = _run(capsys, _publish(election), "--json")
        assert code == 0, _failures(report)[:5]
        # every station file, every commission file and every contest of election.json held
        assert report["held"]["places"] == len(stations) + commissions + len(
            election.contests.all()), report["held"]
        assert not any("version 1" in n for n in report["notes"])


def test_a_station_moved_to_another_district_in_the_database_is_named(election, capsys):
    station = Station.objects.filter(election=election).order_by("number").first()
    other = Commission.objects.filter(election=election, level=Commission.DISTRICT).exclude(
        pk=station.district_id).order_by("id").first()
    was = station.district_id
    Station.objects.filter(pk=station.pk).update(
        district=other, addresses={**station.addresses, "ru": "ул. Подложная, 1"})
    code, _text, report = _run(capsys, _publish(election), "--json")
    assert code == 1
    assert (f"places: stations/{station.number}.json: district: {other.id!r}, the log states "
            f"{was!r}; address.ru: 'ул. Подложная, 1', the log states "
            f"{station.addresses.get("ru", "") or station.addresses["kk"]!r}") in _failures(report), \
        _failures(report)


def test_a_renamed_commission_in_the_database_is_named(election, capsys):
    district = Commission.objects.filter(election=election, level=Commission.DISTRICT) \
        .order_by("id").first()
    was = district.name("ru")
    Commission.objects.filter(pk=district.pk).update(
        names={**district.names, "ru": "Подложная комиссия"})
    code, _text, report = _run(capsys, _publish(election), "--json")
    assert code == 1
    failures = _failures(report)
    assert (f"places: commissions/{district.id}.json: name.ru: 'Подложная комиссия', the log "
            f"states {was!r}") in failures, failures
    # its parent's file lists it among its children with the same forged name
    assert any(f.startswith(f"places: commissions/{district.parent_id}.json: children[")
               and "name.ru: 'Подложная комиссия'" in f for f in failures), failures


def test_forged_files_are_named_by_file_and_field(election, tmp_path, capsys):
    published = _publish(election)
    forged = _copy(published, tmp_path, "forged-places")
    m = read_manifest(forged)
    name = next(n for n in sorted(m["files"]) if n.startswith("stations/"))
    doc = json.loads(opened(_object(forged, name)))
    doc["smd"], doc["settlement"]["kk"] = "kz.forged.smd", "Жалған ауыл"
    doc["territory"] = "kz.forged.tec"
    _rewrite(forged, name, json.dumps(doc).encode())
    cname = next(n for n in sorted(m["files"]) if n.startswith("commissions/")
                 and json.loads(opened(_object(forged, n))).get("level") == "territorial")
    cdoc = json.loads(opened(_object(forged, cname)))
    cdoc["number"], cdoc["parent"] = 99, "kz.forged"
    _rewrite(forged, cname, json.dumps(cdoc).encode())
    ename = "election.json"
    edoc = json.loads(opened(_object(forged, ename)))
    contest = edoc["contests"][0]
    contest["level"] = "district" if contest["level"] != "district" else "cec"
    _rewrite(forged, ename, json.dumps(edoc).encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    failures = _failures(report)
    assert any(f.startswith(f"places: {name}: ")
               and "smd: 'kz.forged.smd', the log states " in f
               and "settlement.kk: 'Жалған ауыл', the log states " in f
               and "territory: 'kz.forged.tec', the log states " in f
               for f in failures), failures
    assert any(f.startswith(f"places: {cname}: number: 99, the log states ")
               and "parent: 'kz.forged', the log states " in f for f in failures), failures
    assert any(f.startswith(f"places: election.json ({contest['id']}, level): "
                            f"{contest['level']!r}, the log states ") for f in failures), failures


def test_a_log_published_before_is_read_with_a_note(election, capsys):
    """A log whose `stations` leaves are of version 1 (written before they stated where
    stations lie) still verifies, and says that the places are the files' word."""
    import dataclasses

    from sailau.verify import logleaves, places
    from sailau.verify.report import Report

    report = Report("x")
    old = logleaves.Leaves(stations={"s": {"id": "s", "commission": "s", "registered": 1,
                                           "contests": []}})
    places.check(old, {}, {"s": {"id": "s", "district": "anything"}}, report)
    assert report.passed and any("version 1" in str(n) for n in report.notes)
    # a version-2 statement of the same station holds the file to it
    new = dataclasses.replace(old, stations={"s": {**old.stations["s"], "number": 1,
                                                   "district": "d1"}})
    places.check(new, {}, {"s": {"id": "s", "number": 1, "district": "anything"}}, report)
    assert not report.passed
