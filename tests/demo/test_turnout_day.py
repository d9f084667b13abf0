"""The demo's turnout through the day: each station's reports in order and within its
protocol's ballots issued; ballots a commission added show where the ground truth says they
came in; the reports are written with the structure, on the replayed night's day; and the
integrity report's I23 finds the stations that added ballots after 18:00."""

import datetime as dt

import numpy as np
import pytest

from sailau.demo import synthetic, turnout_day
from sailau.law.turnout_hours import HOURS


def issued(fig):
    return fig["issued_in_room"] + fig["issued_mobile"] + fig["issued_absentee"]


@pytest.fixture(scope="module")
def syn():
    return synthetic.build(seed=2024, stations=3000)


def test_the_shape_is_the_countrys_2023_day():
    parts = turnout_day.shape()
    assert len(parts) == len(HOURS) + 1 and abs(parts.sum() - 1) < 1e-12
    assert round(parts[0], 3) == 0.566  # 30.65 of 54.19 by 12:00
    assert round(parts[:4].sum(), 3) == 0.980  # 53.11 by 18:00


def test_every_station_reports_in_order_within_its_protocol(syn):
    list_id = f"{synthetic.ELECTION_ID}.list"
    assert set(syn.turnout) == {s["id"] for s in syn.stations}
    for s in syn.stations:
        day = [syn.turnout[s["id"]][h] for h in HOURS]
        assert day == sorted(day) and day[0] >= 0
        assert day[-1] <= issued(syn.protocols[(s["id"], list_id)]["figures"])


def test_added_ballots_show_where_the_truth_says_they_came_in(syn):
    list_id = f"{synthetic.ELECTION_ID}.list"
    seen = set()
    for sid, entry in syn.truth.items():
        if "ballots_added" not in entry:
            continue
        when, added = entry.get("added_when"), entry["ballots_added"]
        total, day = issued(syn.protocols[(sid, list_id)]["figures"]), syn.turnout[sid]
        if not entry.get("covered"):
            assert when is None
            continue
        seen.add(when)
        if when == "count":  # after the last report
            assert total - day[20] >= added
        elif when == "evening":  # between 18:00 and 20:00
            assert day[20] - day[18] >= added and total - day[18] >= added
    assert seen == {"day", "evening", "count"}


def test_clean_stations_issue_about_two_percent_after_18(syn):
    list_id = f"{synthetic.ELECTION_ID}.list"
    shares = [1 - syn.turnout[s["id"]][18] / issued(syn.protocols[(s["id"], list_id)]["figures"])
              for s in syn.stations if s["id"] not in syn.truth]
    assert 0.01 < float(np.median(shares)) < 0.03


@pytest.mark.django_db(transaction=True)
def test_the_reports_are_written_on_the_replayed_day(small_synthetic):
    from sailau.demo.load import load
    from sailau.turnout.models import TurnoutReport

    closing = dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC)
    load(small_synthetic, route=False, closing=closing)
    rows = TurnoutReport.objects.filter(station__election_id=synthetic.ELECTION_ID)
    assert rows.count() == len(small_synthetic.stations) * len(HOURS)
    first = rows.filter(hour=12).first()
    assert closing - dt.timedelta(hours=8) < first.reported_at < closing - dt.timedelta(hours=7)
    assert first.issued == small_synthetic.turnout[first.station_id][12]
    # a rebuild replaces them
    load(small_synthetic, route=False, closing=closing)
    assert rows.count() == len(small_synthetic.stations) * len(HOURS)


@pytest.mark.django_db(transaction=True)
def test_the_integrity_report_reads_each_stations_evening_report(small_synthetic):
    from sailau.demo.load import load
    from sailau.integrity import service, table

    load(small_synthetic, route=False)
    contest = table.principal_contest(synthetic.ELECTION_ID)
    got = service.station_inputs(contest)["evening_reports"]
    assert len(got) == len(small_synthetic.stations)
    sid = small_synthetic.stations[0]["id"]
    # received within its hour's window (the demo's reports come at 18:05-18:14): no verdict
    assert got[sid] == {"hour": 18, "issued": small_synthetic.turnout[sid][18], "received": None}
