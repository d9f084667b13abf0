"""`sailau verify` on a live night, as the follower publishes it: a batch leaves the tables of the
whole country marked stale, each naming the log size it shows, and recomputed from the log at
that size; every other table is recomputed from the files and holds; once the national lane
has rewritten them, every table is recomputed from the files and holds."""

import json

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.publish.pipeline import batches, national_lane, snapshots

pytestmark = pytest.mark.django_db


def _verify(capsys, folder) -> tuple[int, dict]:
    code = main(["verify", str(folder), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_live_night_passes_with_its_stale_tables_noted(small_synthetic, snapshot_dir, capsys):
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    m = batches.publish_changes(election.id, defer_national=True)
    stale = [n for n, e in m["files"].items() if e.get("stale")]
    assert any("/stations." in n for n in stale)
    # each names the log it shows: the one before this batch's protocols
    assert all(0 <= m["files"][n]["log_size"] < m["log_size"] for n in stale
               if not n.startswith("scans/"))
    folder = snapshots.election_dir(election.id)
    code, report = _verify(capsys, folder)
    assert code == 0, report["failures"]
    assert not any(n["check"] == "derived" and "marked stale" in n["message"]
                   for n in report["notes"]), report["notes"]
    held_while_stale = report["held"]["derived"]
    assert held_while_stale > 0
    m = national_lane.rewrite_national(election.id)
    m = snapshots.latest_manifest(election.id)
    assert not any(e.get("stale") for e in m["files"].values())
    code, report = _verify(capsys, folder)
    assert code == 0, report["failures"]
    assert report["held"]["derived"] == held_while_stale  # the same tables, all held both times


def _forge_stale(capsys, source, forged, name: str, keep_size: bool = True,
                 named: int | None = None) -> dict:
    """The operator's forgery of a table left stale: the last cell of its first row changed,
    its hash rewritten in the manifest, the stale mark kept (with the log size it names, or
    `named`, or none, as a manifest before they named it); the report of `verify`."""
    import csv
    import io
    import shutil

    from tests.snapshotfiles import opened, read_manifest, relink_chain, write_manifest
    from tests.verify.test_verify import _object, _rewrite

    shutil.rmtree(forged, ignore_errors=True)
    shutil.copytree(source, forged)
    size = read_manifest(forged)["files"][name].get("log_size")
    rows = list(csv.reader(io.StringIO(opened(_object(forged, name)).decode())))
    assert len(rows) > 1, "the stale table shows the first batch"
    rows[1][-1] = str(int(rows[1][-1]) + 50)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(forged, name, buf.getvalue().encode())
    mf = read_manifest(forged)  # (its entry rewritten: the hash, the size)
    mf["files"][name]["stale"] = True
    if keep_size:
        mf["files"][name]["log_size"] = size if named is None else named
    else:
        mf["files"][name].pop("log_size", None)
    relink_chain(forged, mf, write_manifest(forged, mf))
    code, report = _verify(capsys, forged)
    assert code == 1
    return {"row": rows[1], "size": size, "failures": report["failures"]}


def _stale_round(small_synthetic):
    """A night's two rounds whose national tables the lane has not caught up with: the first
    three stations rewritten by the lane, the next three only by a batch, their tables stale.
    The election and the second round's manifest."""
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    batches.publish_changes(election.id, defer_national=True)
    national_lane.rewrite_national(election.id)
    route(small_synthetic, only=set(stations[3:6]))
    return election, batches.publish_changes(election.id, defer_national=True)


def test_a_stale_table_may_lag_but_never_invent(small_synthetic, snapshot_dir, capsys,
                                                tmp_path):
    """The operator forges a row of a table while it is marked stale (a station table, a
    table of the territories, a single-member district's one row): the log at the size its entry names gives otherwise. A
    manifest naming no size (before sailau-snapshot/4): a station table's rows are still held
    to the log's versions."""
    election, m = _stale_round(small_synthetic)
    source = snapshots.election_dir(election.id)
    code, report = _verify(capsys, source)
    assert code == 0, report["failures"]
    for suffix in ("list/stations.csv", "/territorial.csv", "/smd.csv"):
        name = next(n for n, e in m["files"].items() if e.get("stale") and n.endswith(suffix))
        got = _forge_stale(capsys, source, tmp_path / "forged", name)
        assert 0 < got["size"] < m["log_size"]
        assert any(f["subject"] == name and f"stale, shown at the log's size {got['size']}; "
                   f"the log's first {got['size']} leaves give otherwise" in f["message"]
                   for f in got["failures"]), got["failures"]
    name = next(n for n, e in m["files"].items() if e.get("stale") and n.endswith(
        "list/stations.csv"))
    got = _forge_stale(capsys, source, tmp_path / "forged", name, keep_size=False)
    assert any(f["subject"] == f"{name} (station {got['row'][0]})" and "stale, and its "
               "choices differ from leaf" in f["message"] for f in got["failures"]), \
        got["failures"]
    # a size the log does not have: named as such
    got = _forge_stale(capsys, source, tmp_path / "forged", name, named=10**9)
    assert any(f["subject"] == name and "which the log" in f["message"]
               for f in got["failures"]), got["failures"]


def test_a_stale_table_beyond_the_witnessed_log_fails_as_the_files_do(
        small_synthetic, snapshot_dir, capsys, monkeypatch):
    """A table left stale at a log size the witnesses have not cosigned yet shows figures only
    the log key signed: it fails as the files' figures do, and is accepted, with a note, only
    with --allow-unwitnessed. The witnesses' lag is set on the log as read (the largest checkpoint
    they cosigned, as `log/checkpoint.witnessed` would give it)."""
    from sailau.verify import logcheck

    election, m = _stale_round(small_synthetic)
    name = next(n for n, e in m["files"].items() if e.get("stale")
                and n.endswith("list/stations.csv"))
    size = m["files"][name]["log_size"]
    folder = snapshots.election_dir(election.id)
    real = logcheck.open_log

    def witnessed_up_to(witnessed: int):
        def open_log(*args, **kwargs):
            opened = real(*args, **kwargs)
            opened.witnessed_size = witnessed
            return opened
        monkeypatch.setattr(logcheck, "open_log", open_log)

    witnessed_up_to(size)  # the stale tables' log cosigned (the newest batch not yet)
    code, report = _verify(capsys, folder)
    assert not any(f["check"] == "derived" for f in report["failures"]), report["failures"]
    witnessed_up_to(size - 1)
    code, report = _verify(capsys, folder)
    assert code == 1
    assert any(f["subject"] == name and f"stale, shown at the log's size {size}: " in f["message"]
               and "rest on leaves no witness has cosigned yet" in f["message"]
               for f in report["failures"]), report["failures"]
    code = main(["verify", str(folder), "--json", "--allow-unwitnessed"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["failures"]
    assert any(n["check"] == "derived" and "--allow-unwitnessed" in n["message"]
               for n in report["notes"]), report["notes"]
