"""Criterion I23 on small synthetic elections with known injections: ballots issued after the
commission's own 18:00 report, far above its peers', flag the station; ballots added through
the day (every report raised alike) and a few evening voters do not; no bar when as many
stations are as far below; a station without the report is not judged."""

import numpy as np

from sailau.analysis import criteria as C
from sailau.analysis import evening, stuffing
from sailau.analysis.scoring import precision_recall
from tests.integrity.test_criteria import protocol, table_of

LATE, DAY = "late", "day"


def election(n=400, added=30, when=LATE, seed=3, extra=0.15, early=0):
    """`n` stations; the first `added` get `extra` of their list added for the leader, covered
    by issued ballots, `when` LATE (after the 18:00 report) or DAY (in every report alike);
    the next `early` report at 18:00 what they issued by 20:00 as much too little as the
    stuffing adds (what the mirror of a late addition looks like: far fewer ballots after
    18:00 than the peers). Returns (table, the evening reports, the stuffed station ids)."""
    rng = np.random.default_rng(seed)
    ps, reports = [], {}
    for i in range(n):
        voters = int(rng.integers(800, 1200))
        issued = int(voters * np.clip(rng.normal(0.6, 0.08), 0.3, 0.9))
        invalid = 10
        leader = int((issued - invalid) * np.clip(rng.normal(0.5, 0.05), 0.3, 0.7))
        other = issued - invalid - leader
        # about 2 % of the day's ballots after 18:00, varying from station to station
        by_evening = issued - int(rng.binomial(issued, rng.beta(4, 196)))
        if i < added:
            x = int(extra * voters)
            issued, leader = issued + x, leader + x
            if when == DAY:
                by_evening += round(x * by_evening / (issued - x))
        elif i < added + early:
            by_evening = issued  # nobody after 18:00, and the peers' usual share made up
        ps.append(protocol(voters=voters, issued=issued, mobile=10, leader=leader, other=other,
                           invalid=invalid))
        reports[f"S{i}"] = {"hour": 18, "issued": by_evening}
    return table_of(ps), reports, {f"S{i}" for i in range(added)}


def flagged(verdicts, code="I23"):
    return {v.station for v in verdicts if code in v.codes}


def test_ballots_after_the_evening_report_are_flagged():
    t, reports, truth = election()
    verdicts = C.evaluate(t, "a", evening_reports=reports)
    pr = precision_recall(flagged(verdicts), truth)
    assert pr["recall"] >= 0.9 and pr["precision"] >= 0.9, pr
    ev = next(f for v in verdicts for f in v.flags if f["code"] == "I23")["evidence"]
    assert ev["evening_hour"] == 18 and ev["issued"] - ev["issued_by_evening"] == ev["issued_after"]
    assert ev["evening_z"] >= ev["bar"] >= stuffing.JOINT_FLOOR
    assert 0.005 < ev["share_after_median"] < 0.05
    # the estimate of ballots added is near what was added (15 % of a list of 800-1200)
    assert 100 <= ev["after_evening_beyond_median"] <= 200
    assert all(v.status == C.FLAGGED for v in verdicts if "I23" in v.codes)


def test_without_the_reports_the_criterion_is_silent():
    t, _reports, _truth = election()
    assert flagged(C.evaluate(t, "a")) == set()
    assert flagged(C.evaluate(t, "a", evening_reports={})) == set()


def test_ballots_added_through_the_day_are_not_seen_here():
    t, reports, truth = election(when=DAY)
    assert len(flagged(C.evaluate(t, "a", evening_reports=reports)) & truth) <= 2


def test_as_many_stations_as_far_below_leave_no_bar():
    # As many stations with nobody after 18:00 at all (their 18:00 figure was their final) as
    # stations stuffed late: the mirror says the high ones are chance, and nothing is flagged.
    t, reports, _truth = election(added=30, extra=0.02, early=60)
    assert flagged(C.evaluate(t, "a", evening_reports=reports)) == set()


def test_a_station_without_an_evening_report_is_not_judged():
    t, reports, truth = election()
    first = min(truth)
    del reports[first]
    assert first not in flagged(C.evaluate(t, "a", evening_reports=reports))


def test_late_share_counts_a_protocol_below_its_report_as_none_after_it():
    share = evening.late_share(np.array([100, 100, 100]), np.array([98.0, 100.0, 120.0]))
    assert share[0] == (2 + 0.5) / 101 and share[1] == share[2] == 0.5 / 101
    assert np.isnan(evening.late_share(np.array([100]), np.array([np.nan])))[0]


def test_an_evening_report_received_after_its_window_is_flagged():
    """A commission that adds ballots in the evening and gives its 18:00 figure afterwards,
    with them in it, looks like its peers by the figures alone: the time the report was
    received (past its window, `turnout_hours.window`) is what flags it. One received before
    its hour is not a figure as of 18:00 either: not judged, not flagged."""
    t, reports, truth = election()
    hidden = min(truth)
    issued = dict(zip([str(s) for s in t.station_ids],
                      t.column("issued_in_room", "issued_mobile", "issued_absentee")))
    late = {"verdict": "late", "at": "2026-03-15 21:40", "from": "2026-03-15 18:00",
            "until": "2026-03-15 21:00"}
    reports[hidden] = {"hour": 18, "issued": int(issued[hidden]), "received": late}
    assert hidden not in flagged(C.evaluate(t, "a", evening_reports={
        **reports, hidden: {"hour": 18, "issued": int(issued[hidden])}}))  # figures alone
    reports["S399"] = {**reports["S399"], "received": {**late, "verdict": "early",
                                                       "at": "2026-03-15 17:10"}}
    verdicts = C.evaluate(t, "a", evening_reports=reports)
    assert hidden in flagged(verdicts) and "S399" not in flagged(verdicts)
    ev = next(f for v in verdicts if v.station == hidden for f in v.flags
              if f["code"] == "I23")["evidence"]
    assert (ev["evening_received_at"], ev["evening_window_until"]) == ("2026-03-15 21:40",
                                                                       "2026-03-15 21:00")
    assert ev["issued_by_evening"] == ev["issued"] == int(issued[hidden])
