"""A second `sailau demo` on a data directory where the demo was built and served goes on from
where the first run stopped: the night does not replay the stations already entered, a station
a visitor entered is no longer offered to visitors, and the first lines say so."""

import json

import pytest

from sailau.cli.demo import _going_on
from sailau.demo import night_plan
from sailau.demo.chain import route
from sailau.demo.load import load


@pytest.fixture
def unreported(db, small_synthetic, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    return load(small_synthetic, route=False)


def test_what_an_earlier_run_entered_is_not_played_again(unreported, small_synthetic):
    stations = sorted(unreported.stations.all(), key=lambda s: s.number)
    night_done, night_open, visitor_done, visitor_open = stations[:4]
    # the first run's night reached one of its two stations; a visitor entered one of theirs
    route(small_synthetic, only={night_done.id, visitor_done.id}, say=lambda *a, **k: None)
    plan = {"election": unreported.id, "seed": 7,
            "stations": [{"station": night_done.id}, {"station": night_open.id}],
            "reserved": [visitor_done.number, visitor_open.number]}
    left = night_plan.left(plan)
    assert [s["station"] for s in left["stations"]] == [night_open.id]
    assert left["reserved"] == [visitor_open.number]
    night_plan.write(left)
    assert json.loads(night_plan.plan_path().read_text())["stations"] == left["stations"]
    assert night_plan.plan_path().stat().st_mode & 0o077 == 0  # bearer tokens


def test_a_second_start_says_what_it_does():
    going = _going_on(10, {"stations": [{}] * 4, "reserved": [53]})
    assert "6 arrived in an earlier run and 4 are still to come" in going
    assert "1 station is still open for visitors" in going
    over = _going_on(10, {"stations": [], "reserved": []})
    assert "its night is over: all 10 stations" in over
    assert "every station left for visitors has been entered" in over
    assert "{" not in going + over
