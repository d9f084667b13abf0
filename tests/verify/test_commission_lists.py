"""`sailau verify` holds each district's and single-member district's file to the station files
below it: its `station_numbers` are the stations whose files name it, its `reported` those with
a definitive protocol in each contest, its totals their sums. An honest publication passes with
nothing, one, part and every station reported and after an amendment; each forgery of the lists
or the totals is named (commission, station, contest), against the log and without it;
malformed lists are named, never a traceback."""

import json
import shutil

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Commission, Station
from sailau.protocols.models import Protocol
from sailau.publish import snapshots
from tests import factories
from tests.snapshotfiles import opened, read_manifest, relink_chain, write_manifest
from tests.verify.test_verify import _copy, _object, _rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the election is loaded: its commissions' signing keys live there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def _verify(capsys, folder) -> tuple[int, dict]:
    code = main(["verify", str(folder), "--json"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, json.loads(out.out)


def _both(capsys, folder, tmp_path, name: str) -> list[tuple[int, dict]]:
    """The report against the log, then as for an election published before it (no log/)."""
    first = _verify(capsys, folder)
    bare = _copy(folder, tmp_path, f"{name}-nolog")
    shutil.rmtree(bare / "log")
    return [first, _verify(capsys, bare)]


def _doc(folder, name: str) -> dict:
    return json.loads(opened(_object(folder, name)))


def _listing_files(folder) -> dict[str, dict]:
    return {n: _doc(folder, n) for n in read_manifest(folder)["files"]
            if n.startswith("commissions/") and _doc(folder, n)["level"] in ("district", "smd")}


def test_honest_publications_pass_from_nothing_to_everything_reported(
        data_dir, small_synthetic, tmp_path, capsys):
    election = load(small_synthetic, route=False)
    eid, folder = election.id, snapshots.election_dir(election.id)
    ids = list(Station.objects.filter(election=election).order_by("number")
               .values_list("id", flat=True))
    commissions = Commission.objects.filter(election=election).exclude(
        level=Commission.PRECINCT).count()
    for stage, batch in (("none", []), ("one", ids[:1]), ("part", ids[1:50]),
                         ("all", ids[50:])):
        if batch:
            route(small_synthetic, only=set(batch))
        if stage == "all":  # and a recount's amendment: version 2 is current
            factories.amend(Protocol.objects.current().filter(station_id=ids[0]).first())
            assert Protocol.objects.current().filter(version=2).exists()
        snapshots.publish(eid)
        files = _listing_files(folder)
        listed = sum(len(d["station_numbers"]) for d in files.values())
        claimed = {n for d in files.values() for ns in d["reported"].values() for n in ns}
        assert listed >= len(ids)  # a station is in its district and its SMD
        assert len(claimed) == {"none": 0, "one": 1, "part": 50, "all": len(ids)}[stage]
        for code, report in _both(capsys, folder, tmp_path, stage):
            assert code == 0, (stage, report["failures"][:3])
            assert report["held"]["stations"] == commissions


@pytest.fixture
def part_reported(data_dir, small_synthetic):
    """The small election with 40 of its 120 stations reported, published; the file of a
    single-member district with stations both reported and not (a district of the small
    election has one station), and the number of one not reported."""
    election = load(small_synthetic, route=False)
    ids = list(Station.objects.filter(election=election).order_by("number")
               .values_list("id", flat=True))
    route(small_synthetic, only=set(ids[::3]))  # spread: districts part reported
    snapshots.publish(election.id)
    folder = snapshots.election_dir(election.id)
    for name, doc in sorted(_listing_files(folder).items()):
        done = {n for ns in doc["reported"].values() for n in ns}
        waiting = sorted(set(doc["station_numbers"]) - done)
        if done and waiting:
            return folder, name, doc, waiting[0]
    raise AssertionError("no commission with stations both reported and not")


def _forge(tmp_path, folder, name: str, doc: dict, label: str):
    forged = _copy(folder, tmp_path, label)
    _rewrite(forged, name, snapshots._dumps(doc))
    return forged


def _named(results, check: str, subject: str, words: str) -> None:
    for code, report in results:
        assert code == 1, report["failures"][:3]
        assert any(f["check"] == check and f["subject"] == subject and words in f["message"]
                   for f in report["failures"]), report["failures"][:5]


def test_a_station_dropped_from_a_list_is_named(part_reported, tmp_path, capsys):
    folder, name, doc, waiting = part_reported
    doc["station_numbers"].remove(waiting)  # not reported: the totals do not change
    forged = _forge(tmp_path, folder, name, doc, "dropped")
    _named(_both(capsys, forged, tmp_path, "dropped"), "stations",
           f"{name} (station {waiting})", "station_numbers does not list it")


def test_a_station_added_to_a_list_or_to_another_commissions_is_named(part_reported, tmp_path,
                                                                      capsys):
    folder, name, doc, _waiting = part_reported
    other = max(n for d in _listing_files(folder).values() for n in d["station_numbers"])
    assert other not in doc["station_numbers"]
    doc["station_numbers"] = sorted([*doc["station_numbers"], other])
    forged = _forge(tmp_path, folder, name, doc, "added")
    _named(_both(capsys, forged, tmp_path, "added"), "stations", f"{name} (station {other})",
           f"no station file numbered {other} names this commission")


def test_a_station_claimed_reported_without_a_protocol_is_named(part_reported, tmp_path,
                                                                capsys):
    folder, name, doc, waiting = part_reported
    contest = min(doc["reported"])
    doc["reported"][contest] = sorted([*doc["reported"][contest], waiting])
    forged = _forge(tmp_path, folder, name, doc, "claimed")
    _named(_both(capsys, forged, tmp_path, "claimed"), "stations",
           f"{name} (station {waiting}, {contest})", "has no definitive protocol")


def test_a_reported_station_left_out_is_named(part_reported, tmp_path, capsys):
    folder, name, doc, _waiting = part_reported
    contest = min(doc["reported"])
    gone = doc["reported"][contest].pop(0)
    if not doc["reported"][contest]:
        del doc["reported"][contest]
    forged = _forge(tmp_path, folder, name, doc, "left-out")
    _named(_both(capsys, forged, tmp_path, "left-out"), "stations",
           f"{name} (station {gone}, {contest})", "reported does not list it")


def test_a_district_is_held_to_its_stations_too(part_reported, tmp_path, capsys):
    folder, *_ = part_reported
    name, doc = next((n, d) for n, d in sorted(_listing_files(folder).items())
                     if d["level"] == "district" and d["station_numbers"])
    gone = doc["station_numbers"].pop()
    for ns in doc["reported"].values():
        if gone in ns:
            ns.remove(gone)
    forged = _forge(tmp_path, folder, name, doc, "district")
    _named(_both(capsys, forged, tmp_path, "district"), "stations", f"{name} (station {gone})",
           "station_numbers does not list it")


def test_a_changed_total_is_named(part_reported, tmp_path, capsys):
    folder, name, doc, _waiting = part_reported
    part = next(t for t in doc["contests"] if t["choices"])
    key = min(part["choices"])
    part["choices"][key] += 7
    forged = _forge(tmp_path, folder, name, doc, "total")
    _named(_both(capsys, forged, tmp_path, "total"), "totals",
           f"{name} ({doc['id']}, {part['contest']})", f"choices.{key}: published")


MALFORMED = [
    ("station_numbers", None, "station_numbers is missing or not a list"),
    ("station_numbers", "1,2", "station_numbers is missing or not a list"),
    ("station_numbers", [1, "2"], "holds '2', not a station's number"),
    ("station_numbers", [2, 1], "not ascending"),
    ("reported", [1], "reported is missing or not a map"),
    ("reported", {"x": "1"}, "reported is not a list of station numbers"),
    ("contests", "x", "contests is not a list"),
    ("contests", ["x"], "contests[0] is not an object"),
    ("id", ["x"], "its id is ['x']"),
    (None, None, "not a JSON object"),  # the whole file: [1, 2]
]


def test_malformed_lists_are_named_never_a_traceback(part_reported, tmp_path, capsys):
    folder, name, doc, _waiting = part_reported
    for i, (field, value, words) in enumerate(MALFORMED):
        bad = dict(doc)
        if field is None:
            bad = [1, 2]
        elif value is None:
            del bad[field]
        else:
            bad[field] = value
        forged = _forge(tmp_path, folder, name, bad, f"malformed-{i}")
        for code, report in _both(capsys, forged, tmp_path, f"malformed-{i}"):
            assert code == 1, field
            assert any(f["subject"].startswith(name) and words in f["message"]
                       for f in report["failures"]), (field, report["failures"][:5])


def test_a_file_from_before_the_lists_is_read_as_its_rows(part_reported, tmp_path, capsys):
    """A district's file published before `station_numbers` had a row per station (`stations`:
    id, number, registered, reported contests): it is held to the station files the same way."""
    folder, name, doc, waiting = part_reported
    old = {k: v for k, v in doc.items() if k not in ("station_numbers", "reported")}
    old["stations"] = [{"id": f"id-{n}", "number": n, "registered": 1000,
                        "reported": sorted(c for c, ns in doc["reported"].items() if n in ns)}
                       for n in doc["station_numbers"]]
    forged = _forge(tmp_path, folder, name, old, "rows")
    for code, report in _both(capsys, forged, tmp_path, "rows"):
        assert code == 0, report["failures"][:3]
    row = next(r for r in old["stations"] if r["number"] == waiting)
    row["reported"] = [min(doc["reported"])]
    forged = _forge(tmp_path, folder, name, old, "rows-claimed")
    _named(_both(capsys, forged, tmp_path, "rows-claimed"), "stations",
           f"{name} (station {waiting}, {min(doc['reported'])})", "has no definitive protocol")


def _move(folder, name: str, to: str | None) -> None:
    """The manifest names file `name` as `to` (None: not at all), its chain's last link
    rewritten to the new manifest (as `_rewrite` does)."""
    m = read_manifest(folder)
    entry = m["files"].pop(name)
    if to is not None:
        m["files"][to] = entry
    relink_chain(folder, m, write_manifest(folder, m))


def test_a_missing_commission_file_or_a_misnamed_station_file_is_named(part_reported, tmp_path,
                                                                        capsys):
    folder, name, doc, waiting = part_reported
    gone = _copy(folder, tmp_path, "gone")
    _move(gone, name, None)
    _named(_both(capsys, gone, tmp_path, "gone"), "stations",
           f"stations/{doc['station_numbers'][0]}.json", f"which has no {name}")
    misnamed = _copy(folder, tmp_path, "misnamed")
    _move(misnamed, f"stations/{waiting}.json", "stations/99999.json")
    _named(_both(capsys, misnamed, tmp_path, "misnamed"), "stations", "stations/99999.json",
           f"its number is {waiting}, its file's name says otherwise")
