"""`sailau verify` on a live night, as the follower publishes it: a batch leaves the tables of the
whole country marked stale (noted, not held), every other table is recomputed and holds; once
the national lane has rewritten them, every table is recomputed and holds."""

import json

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.publish import publisher, snapshots

pytestmark = pytest.mark.django_db


def _verify(capsys, folder) -> tuple[int, dict]:
    code = main(["verify", str(folder), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_live_night_passes_with_its_stale_tables_noted(small_synthetic, snapshot_dir, capsys):
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    m = publisher.publish_changes(election.id, defer_national=True)
    stale = [n for n, e in m["files"].items() if e.get("stale")]
    assert any("/stations." in n for n in stale)
    folder = snapshots.election_dir(election.id)
    code, report = _verify(capsys, folder)
    assert code == 0, report["failures"]
    assert any(n["check"] == "derived" and "marked stale" in n["message"]
               for n in report["notes"]), report["notes"]
    held_while_stale = report["held"]["derived"]
    assert held_while_stale > 0
    m = publisher.rewrite_national(election.id)
    m = snapshots.latest_manifest(election.id)
    assert not any(e.get("stale") for e in m["files"].values())
    code, report = _verify(capsys, folder)
    assert code == 0, report["failures"]
    assert report["held"]["derived"] > held_while_stale


def test_a_stale_station_table_may_lag_but_never_invent(small_synthetic, snapshot_dir, capsys,
                                                        tmp_path):
    """The operator forges a row of a station table while it is marked stale: its version is
    in the log, its votes are not."""
    import csv
    import io
    import shutil

    from tests.snapshotfiles import opened, read_manifest, relink_chain, write_manifest
    from tests.verify.test_verify import _object, _rewrite

    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    publisher.publish_changes(election.id, defer_national=True)
    publisher.rewrite_national(election.id)
    route(small_synthetic, only=set(stations[3:6]))
    m = publisher.publish_changes(election.id, defer_national=True)
    name = next(n for n, e in m["files"].items() if e.get("stale") and n.endswith(
        "list/stations.csv"))
    forged = tmp_path / "forged"
    shutil.copytree(snapshots.election_dir(election.id), forged)
    rows = list(csv.reader(io.StringIO(opened(_object(forged, name)).decode())))
    assert len(rows) > 1, "the stale table shows the first batch"
    rows[1][-1] = str(int(rows[1][-1]) + 50)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(forged, name, buf.getvalue().encode())
    mf = read_manifest(forged)  # the forger keeps the mark, as if the table were still stale
    mf["files"][name]["stale"] = True
    relink_chain(forged, mf, write_manifest(forged, mf))
    code, report = _verify(capsys, forged)
    assert code == 1
    assert any(f["subject"] == f"{name} (station {rows[1][0]})" and "stale, and its choices "
               "differ from leaf" in f["message"] for f in report["failures"]), report["failures"]
