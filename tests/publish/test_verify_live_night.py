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
