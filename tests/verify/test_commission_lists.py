"""`sailau verify` holds each district's and single-member district's file to the station files
below it: its `station_runs` are the stations whose files name it, its `reported_runs` those
with a definitive protocol in each contest (runs of numbers), its totals their sums. An honest
publication passes with nothing, one, part and every station reported and after an amendment;
each forgery of the lists or the totals is named (commission, station, contest), against the
log and without it; malformed lists are named, never a traceback."""

import json
import shutil

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Commission, Station
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.verify.runs import from_runs, to_runs
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


def _numbers(doc: dict) -> list[int]:
    return from_runs(doc["station_runs"], 10**6)


def _reported(doc: dict) -> dict[str, list[int]]:
    return {c: from_runs(runs, 10**6) for c, runs in doc["reported_runs"].items()}


def _relist(doc: dict, numbers: list[int], reported: dict[str, list[int]]) -> dict:
    """`doc` listing `numbers` and `reported`, written as runs."""
    return {**doc, "station_runs": to_runs(sorted(numbers)),
            "reported_runs": {c: to_runs(sorted(ns)) for c, ns in reported.items() if ns}}


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
        listed = sum(len(_numbers(d)) for d in files.values())
        claimed = {n for d in files.values() for ns in _reported(d).values() for n in ns}
        assert listed >= len(ids)  # a station is in its district and its SMD
        assert len(claimed) == {"none": 0, "one": 1, "part": 50, "all": len(ids)}[stage]
        for code, report in _both(capsys, folder, tmp_path, stage):
            assert code == 0, (stage, report["failures"][:3])
            assert report["held"]["stations"] == commissions


@pytest.fixture(scope="module")
def _part_reported(django_db_setup, django_db_blocker, small_synthetic, tmp_path_factory):
    """The small election with 40 of its 120 stations reported, published once for the module:
    each test reads the folder and forges copies of it, and the verifier reads files only. The
    database is left as it was (the build rolled back), the folder stays for the module."""
    from django.db import transaction

    with pytest.MonkeyPatch.context() as mp, django_db_blocker.unblock():
        mp.setenv("SAILAU_DATA_DIR", str(tmp_path_factory.mktemp("part") / "data"))
        with transaction.atomic():
            election = load(small_synthetic, route=False)
            ids = list(Station.objects.filter(election=election).order_by("number")
                       .values_list("id", flat=True))
            route(small_synthetic, only=set(ids[::3]))  # spread: districts part reported
            snapshots.publish(election.id)
            folder = snapshots.election_dir(election.id)
            transaction.set_rollback(True)
    for name, doc in sorted(_listing_files(folder).items()):
        done = {n for ns in _reported(doc).values() for n in ns}
        waiting = sorted(set(_numbers(doc)) - done)
        if done and waiting:
            return folder, name, doc, waiting[0]
    raise AssertionError("no commission with stations both reported and not")


@pytest.fixture
def part_reported(_part_reported):
    """The published folder, the file of a single-member district with stations both reported
    and not (a district of the small election has one station) and its document (a copy of the
    test's own), and the number of one station not reported."""
    folder, name, doc, waiting = _part_reported
    return folder, name, json.loads(json.dumps(doc)), waiting


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
    numbers = [n for n in _numbers(doc) if n != waiting]  # not reported: totals unchanged
    forged = _forge(tmp_path, folder, name, _relist(doc, numbers, _reported(doc)), "dropped")
    _named(_both(capsys, forged, tmp_path, "dropped"), "stations",
           f"{name} (station {waiting})", "its list of stations does not")


def test_a_station_added_to_a_list_or_to_another_commissions_is_named(part_reported, tmp_path,
                                                                      capsys):
    folder, name, doc, _waiting = part_reported
    other = max(n for d in _listing_files(folder).values() for n in _numbers(d))
    assert other not in _numbers(doc)
    forged = _forge(tmp_path, folder, name,
                    _relist(doc, [*_numbers(doc), other], _reported(doc)), "added")
    _named(_both(capsys, forged, tmp_path, "added"), "stations", f"{name} (station {other})",
           f"no station file numbered {other} names this commission")


def test_a_station_claimed_reported_without_a_protocol_is_named(part_reported, tmp_path,
                                                                capsys):
    folder, name, doc, waiting = part_reported
    reported = _reported(doc)
    contest = min(reported)
    reported[contest].append(waiting)
    forged = _forge(tmp_path, folder, name, _relist(doc, _numbers(doc), reported), "claimed")
    _named(_both(capsys, forged, tmp_path, "claimed"), "stations",
           f"{name} (station {waiting}, {contest})", "has no definitive protocol")


def test_a_reported_station_left_out_is_named(part_reported, tmp_path, capsys):
    folder, name, doc, _waiting = part_reported
    reported = _reported(doc)
    contest = min(reported)
    gone = reported[contest].pop(0)
    forged = _forge(tmp_path, folder, name, _relist(doc, _numbers(doc), reported), "left-out")
    _named(_both(capsys, forged, tmp_path, "left-out"), "stations",
           f"{name} (station {gone}, {contest})", "those reported does not name it")


def test_a_district_is_held_to_its_stations_too(part_reported, tmp_path, capsys):
    folder, *_ = part_reported
    name, doc = next((n, d) for n, d in sorted(_listing_files(folder).items())
                     if d["level"] == "district" and d["station_runs"])
    numbers = _numbers(doc)
    gone = numbers.pop()
    reported = {c: [n for n in ns if n != gone] for c, ns in _reported(doc).items()}
    forged = _forge(tmp_path, folder, name, _relist(doc, numbers, reported), "district")
    _named(_both(capsys, forged, tmp_path, "district"), "stations", f"{name} (station {gone})",
           "its list of stations does not")


def test_a_changed_total_is_named(part_reported, tmp_path, capsys):
    folder, name, doc, _waiting = part_reported
    part = next(t for t in doc["contests"] if t["choices"])
    key = min(part["choices"])
    part["choices"][key] += 7
    forged = _forge(tmp_path, folder, name, doc, "total")
    _named(_both(capsys, forged, tmp_path, "total"), "totals",
           f"{name} ({doc['id']}, {part['contest']})", f"choices.{key}: published")


MALFORMED = [
    ("station_runs", None, "station_runs is missing"),
    ("station_runs", "1-2", "station_runs is not a list of runs"),
    ("station_runs", [1, 2], "station_runs holds 1, not a run"),
    ("station_runs", [[1, "2"]], "holds [1, '2'], not a run"),
    ("station_runs", [[1, 2, 3]], "holds [1, 2, 3], not a run"),
    ("station_runs", [[5, 1]], "first number is above its last"),
    ("station_runs", [[5, 6], [1, 2]], "runs must ascend with a gap"),
    ("station_runs", [[1, 2], [3, 4]], "runs must ascend with a gap"),  # not maximal
    ("station_runs", [[1, 10**12]], "names more than 120 stations"),  # not expanded
    ("reported_runs", [1], "reported_runs is missing or not a map"),
    ("reported_runs", {"x": [[1, 1]]}, "names a contest none of its stations votes in"),
    ("station_numbers", [1], "and also station_numbers (the layout before runs)"),
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


def test_reported_runs_are_held_within_its_stations_before_they_are_expanded(
        part_reported, tmp_path, capsys):
    """A forged file of a few KB must not make the verifier list millions of numbers: a
    reported run beyond the commission's stations, or a contest none of them votes in, is named
    before anything is expanded; and a malformed run is named in a short message."""
    folder, name, doc, _waiting = part_reported
    numbers, reported = _numbers(doc), _reported(doc)
    contest = min(reported)
    other = max(n for d in _listing_files(folder).values() for n in _numbers(d))
    cases = [
        ({contest: [[numbers[0], numbers[0] + 10**9]]}, f"{name} (station {numbers[0] + 1}, "
         f"{contest})" if numbers[0] + 1 not in numbers else None, "not among its stations"),
        ({contest: to_runs(sorted({*reported[contest], other}))},
         f"{name} (station {other}, {contest})", "not among its stations (station_runs)"),
        ({**{f"forged.{i}": [[1, 10**6]] for i in range(2000)}, contest: to_runs(numbers)},
         None, "names a contest none of its stations votes in"),
        ({contest: [[1, list(range(10**5))]]}, f"{name} ({contest})", "not a run"),
    ]
    for i, (runs, subject, words) in enumerate(cases):
        forged = _forge(tmp_path, folder, name, {**doc, "reported_runs": runs}, f"within-{i}")
        for code, report in _both(capsys, forged, tmp_path, f"within-{i}"):
            assert code == 1
            hits = [f for f in report["failures"] if words in f["message"]]
            assert hits and all(len(f["message"]) < 300 for f in report["failures"]), \
                report["failures"][:3]
            assert subject is None or hits[0]["subject"] == subject, hits[0]


def test_files_from_before_runs_are_read_as_their_lists_or_rows(part_reported, tmp_path,
                                                               capsys):
    """A district's file published before runs listed every number (`station_numbers`,
    `reported`), and before that had a row per station (`stations`: id, number, registered,
    reported contests): each is held to the station files the same way."""
    folder, name, doc, waiting = part_reported
    numbers, reported = _numbers(doc), _reported(doc)
    contest = min(reported)
    bare = {k: v for k, v in doc.items() if k not in ("station_runs", "reported_runs")}
    lists = {**bare, "station_numbers": numbers, "reported": reported}
    rows = {**bare, "stations": [{"id": f"id-{n}", "number": n, "registered": 1000,
                                  "reported": sorted(c for c, ns in reported.items() if n in ns)}
                                 for n in numbers]}
    for label, old in (("lists", lists), ("rows", rows)):
        forged = _forge(tmp_path, folder, name, old, label)
        for code, report in _both(capsys, forged, tmp_path, label):
            assert code == 0, report["failures"][:3]
    lists["reported"] = {**reported, contest: sorted([*reported[contest], waiting])}
    next(r for r in rows["stations"] if r["number"] == waiting)["reported"] = [contest]
    for label, old in (("lists-claimed", lists), ("rows-claimed", rows)):
        forged = _forge(tmp_path, folder, name, old, label)
        _named(_both(capsys, forged, tmp_path, label), "stations",
               f"{name} (station {waiting}, {contest})", "has no definitive protocol")
    lists["station_numbers"] = [numbers[-1], *numbers[:-1]]
    forged = _forge(tmp_path, folder, name, lists, "lists-unordered")
    _named(_both(capsys, forged, tmp_path, "lists-unordered"), "stations", name,
           "station_numbers is not ascending")


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
           f"stations/{_numbers(doc)[0]}.json", f"which has no {name}")
    misnamed = _copy(folder, tmp_path, "misnamed")
    _move(misnamed, f"stations/{waiting}.json", "stations/99999.json")
    _named(_both(capsys, misnamed, tmp_path, "misnamed"), "stations", "stations/99999.json",
           f"its number is {waiting}, its file's name says otherwise")
