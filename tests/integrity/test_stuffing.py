"""Ballot stuffing on small synthetic elections with known injections: the fingerprint's bar
taken from the election's own figures (I16/I20), the observer's count of voters (I19), an
observer's report at the count lowering the bar, and the ranked list."""

import datetime as dt

import numpy as np
import pytest

from sailau.analysis import criteria as C
from sailau.analysis import stuffing
from sailau.analysis.scoring import precision_recall
from tests.integrity.test_criteria import by_station, protocol, table_of


def election(n=400, stuffed=40, sunk=0, seed=1, extra=0.22):
    """`n` stations in 20 districts of a territory; the first `stuffed` get `extra` of their
    list added for the leader (covered by issued ballots), the next `sunk` lose as much on
    both turnout and the leader's share (what the mirror of stuffing looks like)."""
    rng = np.random.default_rng(seed)
    ps = []
    for i in range(n):
        voters = int(rng.integers(800, 1200))
        issued = int(voters * np.clip(rng.normal(0.6, 0.05), 0.3, 0.9))
        invalid = 10
        leader = int((issued - invalid) * np.clip(rng.normal(0.5, 0.03), 0.3, 0.7))
        other = issued - invalid - leader
        if i < stuffed:
            x = int(extra * voters)
            issued, leader = issued + x, leader + x
        elif i < stuffed + sunk:
            x = int(extra * voters)
            issued, leader = issued - x, max(0, leader - x)
            other = issued - invalid - leader
        ps.append(protocol(voters=voters, issued=issued, mobile=10, leader=leader, other=other,
                           invalid=invalid))
    t = table_of(ps)
    t.district = [f"D{i % 20}" for i in range(n)]
    return t, {f"S{i}" for i in range(stuffed)}


def flagged(verdicts, code="I16"):
    return {v.station for v in verdicts if code in v.codes}


def test_stuffing_flagged_by_the_elections_own_bar():
    t, truth = election()
    verdicts = C.evaluate(t, "a")
    pr = precision_recall(flagged(verdicts), truth)
    assert pr["recall"] >= 0.8 and pr["precision"] >= 0.9, pr
    ev = next(f for v in verdicts for f in v.flags if f["code"] == "I16")["evidence"]
    assert ev["bar"] >= stuffing.Z_BOTH and ev["both_z"] >= ev["bar"] and ev["observers"] == []
    assert all(v.status == C.FLAGGED for v in verdicts if v.station in flagged(verdicts))


def test_as_many_stations_as_far_below_leave_no_bar():
    # The same stuffed stations, but as many stations are as far below on both: the high ones
    # are then what chance gives in this election, and nothing is flagged on figures alone.
    t, truth = election(sunk=40)
    verdicts = C.evaluate(t, "a")
    assert flagged(verdicts) == set()
    watched = flagged(verdicts, "I20")
    assert len(watched & truth) >= 30
    assert all(v.status == C.WATCH for v in verdicts if v.station in watched and len(v.codes) == 1)


def test_an_observers_report_lowers_the_bar():
    t, _ = election(stuffed=0, n=200, seed=3)
    # a station modestly high on both (about 1.5 robust z each: below 1.86), and an observer
    # at its count saw more ballots than voters
    f, ch = protocol(voters=1000, issued=730, mobile=10, leader=403, other=317, invalid=10)
    t.figures[7], t.choices[7] = f, ch
    before = by_station(C.evaluate(t, "a"))["S7"]
    said = {"S7": [{"stage": "counting", "negative": True, "observer": "X1",
                    "answers": {stuffing.CHECKLIST_EXTRA_BALLOTS: "yes"}}]}
    after = by_station(C.evaluate(t, "a", assessments=said))["S7"]
    assert "I16" not in before.codes and "I20" not in before.codes
    assert "I16" in after.codes and after.status == C.FLAGGED
    ev = next(x for x in after.flags if x["code"] == "I16")["evidence"]
    assert stuffing.Z_BOTH_CORROBORATED < ev["both_z"] <= stuffing.Z_BOTH
    assert ev["observers"] == ["checklist:more_ballots_than_voters"]
    # a negative count alone is common (58 of 128) and does not lower the bar
    neg = {"S7": [{"stage": "counting", "negative": True, "answers": {}}]}
    assert "I16" not in by_station(C.evaluate(t, "a", assessments=neg))["S7"].codes


def test_observer_count_below_the_official_turnout():
    t, _ = election(stuffed=0, n=60, seed=5)
    closed = dt.datetime(2023, 3, 19, 20, 0, tzinfo=dt.UTC)
    counts, times = {}, {}
    for i, f in enumerate(t.figures[:20]):
        issued = f["issued_in_room"] + f["issued_mobile"]
        honest = int(issued * 0.8) if i == 4 else issued - (i % 3)  # S4: 20% added
        counts[f"S{i}"] = [
            {"moment": "arrival", "at": closed - dt.timedelta(hours=12), "voters": 0},
            {"moment": "during", "at": closed - dt.timedelta(hours=2), "voters": honest // 2},
            {"moment": "departure", "at": closed, "voters": honest, "observer": "X4"}]
        times[f"S{i}"] = {"polls_closed": closed}
    verdicts = by_station(C.evaluate(t, "a", observer_counts=counts, step_times=times))
    assert {s for s, v in verdicts.items() if "I19" in v.codes} == {"S4"}
    assert verdicts["S4"].status == C.FLAGGED
    ev = next(x for x in verdicts["S4"].flags if x["code"] == "I19")["evidence"]
    issued = t.figures[4]["issued_in_room"] + t.figures[4]["issued_mobile"]
    assert ev["issued"] == issued and ev["observer_count"] == int(issued * 0.8)
    assert ev["z"] > stuffing.COUNT_Z and ev["observer"] == "X4"
    # Without the counts the station is clear: the signal is the count.
    assert "I19" not in by_station(C.evaluate(t, "a"))["S4"].codes
    # A count taken at noon is not the day's: the station is not judged on it.
    early = {"S4": [dict(counts["S4"][1], moment="departure")]}
    assert "I19" not in by_station(C.evaluate(t, "a", observer_counts={**counts, **early},
                                              step_times=times))["S4"].codes


def test_an_observers_count_that_agrees_outweighs_the_figures():
    t, truth = election()
    alone = by_station(C.evaluate(t, "a"))
    hit = sorted(s for s in truth if alone[s].status == C.FLAGGED
                 and set(alone[s].codes) & {"I16", "I21"} and "I02" not in alone[s].codes)
    agreeing, short = hit[0], hit[1]
    closed = dt.datetime(2023, 3, 19, 20, 0, tzinfo=dt.UTC)

    def issued(sid):
        f = t.figures[int(sid[1:])]
        return f["issued_in_room"] + f["issued_mobile"] + f.get("issued_absentee", 0)

    def count(voters):
        return [{"moment": "departure", "at": closed, "voters": voters, "observer": "X9"}]

    # an honest count at 20 other stations gives the contest's usual difference
    others = [s for s in sorted(alone) if s not in truth][:20]
    counts = {s: count(issued(s) - 1) for s in others}
    counts[agreeing] = count(issued(agreeing) - 2)  # the observer saw as many voters
    counts[short] = count(int(issued(short) * 0.8))  # ... or a fifth fewer
    times = {s: {"polls_closed": closed} for s in counts}
    v = by_station(C.evaluate(t, "a", observer_counts=counts, step_times=times))
    # the figures alone flag it; a closing count that agrees puts it on watch, with the reason
    assert v[agreeing].status == C.WATCH and "I22" in v[agreeing].codes
    assert not set(v[agreeing].codes) & {"I16", "I21"}
    ev = next(x for x in v[agreeing].flags if x["code"] == "I22")["evidence"]
    assert ev["observer_count"] == issued(agreeing) - 2 and ev["issued"] == issued(agreeing)
    assert ev["turnout"] > ev["turnout_median"] and ev["ballots_added_estimate"] > 0
    # a count that falls short is evidence of its own, on top of the figures
    assert v[short].status == C.FLAGGED and {"I19"} <= set(v[short].codes)
    assert set(v[short].codes) & {"I16", "I21"} and "I22" not in v[short].codes
    # the stations without a count are judged as before
    assert all(v[s].codes == alone[s].codes for s in truth - {agreeing, short})


def test_ranked_list_puts_direct_evidence_first_the_most_votes_first():
    strong = lambda code, **ev: {"code": code, "strength": "strong", "evidence": ev}
    weak = lambda code, **ev: {"code": code, "strength": "weak", "evidence": ev}
    stations = {"fingerprint_hi": [strong("I16", both_z=4.0, ballots_added_estimate=400)],
                "fingerprint_lo": [strong("I16", both_z=2.5)],
                "copy_small": [strong("I10", votes_in_question=12)],
                "copy_big": [strong("I10", votes_in_question=300)],
                "count": [strong("I19", votes_in_question=120), weak("I14")],
                "boxes": [strong("I02", votes_in_question=200)],
                "watch": [weak("I20", both_z=3.0)],
                "outweighed": [weak("I22", both_z=5.0)],
                "joint_lo": [strong("I21", joint_z=3.5)], "joint_hi": [strong("I21", joint_z=6.0)]}
    order = sorted(stations, key=lambda s: stuffing.rank_key(stations[s]))
    # what a document or a person contradicts, the most votes first, however far the figures
    # of a fingerprint stand out; then the fingerprints by how far; then the rest
    assert order == ["copy_big", "boxes", "count", "copy_small", "joint_hi", "fingerprint_hi",
                     "joint_lo", "fingerprint_lo", "outweighed", "watch"]


def test_votes_in_question_of_a_copy_a_reading_and_a_scan():
    moved = [{"part": "choices", "line": "a", "official": 182, "copy": 143},
             {"part": "choices", "line": "b", "official": 17, "copy": 37},
             {"part": "choices", "line": "c", "official": 10, "copy": 29}]
    assert stuffing.votes_moved(moved, "official", "copy") == 39  # 39 moved from b and c to a
    lines = [{"part": "figures", "line": "voters_on_list", "official": 242, "copy": 282}]
    assert stuffing.votes_moved(lines, "official", "copy") == 40
    scan = [{"line": "voters_on_list", "kind": "line", "printed": 282, "definitive": 242},
            {"line": "version", "kind": "version", "printed": 1, "definitive": 2}]
    assert stuffing.votes_moved(scan, "definitive", "printed") == 40  # a version is no vote
    assert stuffing.votes_moved([{"line": "shape", "printed": [1, 2], "definitive": [3, 4]}],
                                "definitive", "printed") == 0


def towns_and_villages(n=400, stuffed=30, sunk=0, seed=7, extra=0.15):
    """`n` stations of one territory in 20 districts, half towns (turnout about 0.45) and half
    villages (about 0.75); the first `stuffed` towns get `extra` of their list added for the
    leader, covered by issued ballots; the next `sunk` towns lose as much on both (the mirror).
    Returns the table (kinds known) and the stuffed stations."""
    rng = np.random.default_rng(seed)
    ps, kinds, truth = [], [], set()
    towns = 0
    for i in range(n):
        town = i % 2 == 0
        voters = int(rng.integers(800, 1200))
        level = 0.45 if town else 0.75
        issued = int(voters * np.clip(rng.normal(level, 0.05), 0.2, 0.95))
        invalid = 10
        leader = int((issued - invalid) * np.clip(rng.normal(0.5, 0.03), 0.3, 0.7))
        other = issued - invalid - leader
        x = int(extra * voters)
        if town and towns < stuffed:
            issued, leader = issued + x, leader + x
            truth.add(f"S{i}")
        elif town and towns < stuffed + sunk:
            issued, leader = issued - x, max(0, leader - x)
            other = issued - invalid - leader
        towns += town
        ps.append(protocol(voters=voters, issued=issued, mobile=10, leader=leader, other=other,
                           invalid=invalid))
        kinds.append("city" if town else "village")
    t = table_of(ps)
    t.district = [f"D{i // 2 % 20}" for i in range(n)]  # a town and a village in turn
    t.kind = kinds
    return t, truth


def test_stuffed_towns_among_villages_are_flagged_against_towns():
    # Against the whole district a stuffed town's turnout (0.45 + 0.15) is no higher than a
    # village's: the smaller of the two z-scores (I16) misses it. Against the towns of its
    # territory turnout and share are both up: I21 flags it.
    t, truth = towns_and_villages()
    verdicts = C.evaluate(t, "a")
    pr = precision_recall(flagged(verdicts, "I21"), truth)
    assert pr["recall"] >= 0.8 and pr["precision"] >= 0.9, pr
    assert len(flagged(verdicts, "I16") & truth) < len(truth) / 2
    ev = next(f for v in verdicts for f in v.flags if f["code"] == "I21")["evidence"]
    assert ev["peers"] == "city" and ev["group"] == "T1" and ev["observers"] == []
    assert ev["joint_z"] >= ev["bar"] >= stuffing.JOINT_FLOOR
    assert ev["joint_z"] == pytest.approx((ev["turnout_z"] + ev["leader_share_z"]) / 2 ** 0.5,
                                          abs=0.02)
    assert all(v.status == C.FLAGGED for v in verdicts if "I21" in v.codes)
    # Without the stations' kinds the peers are the whole territory, and the towns' stuffing
    # hides among the villages' turnout.
    t.kind = []
    blind = C.evaluate(t, "a")
    assert len(flagged(blind, "I21") & truth) < len(truth) / 2


def test_as_many_towns_as_far_below_leave_no_joint_bar():
    t, _ = towns_and_villages(sunk=30)
    verdicts = C.evaluate(t, "a")
    assert flagged(verdicts, "I21") == set()


def test_an_observers_report_lowers_the_joint_bar():
    t, _ = towns_and_villages(stuffed=0, n=200, seed=3)
    i = 8  # a town: turnout and share each about 2 robust z above the towns' medians
    t.figures[i], t.choices[i] = protocol(voters=1000, issued=550, mobile=10, leader=326,
                                          other=214, invalid=10)
    before = by_station(C.evaluate(t, "a"))[f"S{i}"]
    said = {f"S{i}": [{"kind": stuffing.INCIDENT_STUFFING, "summary": "a stack of ballots"}]}
    after = by_station(C.evaluate(t, "a", incidents=said))[f"S{i}"]
    assert "I21" not in before.codes
    assert "I21" in after.codes and after.status == C.FLAGGED
    ev = next(x for x in after.flags if x["code"] == "I21")["evidence"]
    assert ev["joint_z"] >= stuffing.JOINT_CORROBORATED and ev["bar"] is None
    assert ev["observers"] == ["incident:ballot_stuffing"]


def test_stuffing_in_high_turnout_villages_is_judged_on_log_odds():
    # Villages voting about 85 %: turnout has a long tail below and none above (it cannot pass
    # 100 %), so on the proportions the stations below the medians outnumber any stuffed ones
    # above and no bar exists. On the log-odds the tails are alike and a third of the stuffed
    # villages (8 % of the list added) are flagged, none clean.
    rng = np.random.default_rng(3)
    ps, truth = [], set()
    for i in range(400):
        voters = int(rng.integers(800, 1200))
        issued = int(voters * min(rng.beta(17, 3), 0.97))
        leader = int((issued - 10) * np.clip(rng.normal(0.5, 0.03), 0.3, 0.7))
        other = issued - 10 - leader
        if i < 30:
            added = min(int(0.08 * voters), voters - issued)
            issued, leader = issued + added, leader + added
            truth.add(f"S{i}")
        ps.append(protocol(voters=voters, issued=issued, mobile=10, leader=leader, other=other,
                           invalid=10))
    t = table_of(ps)
    t.district, t.kind = [f"D{i % 20}" for i in range(400)], ["village"] * 400
    pr = precision_recall(flagged(C.evaluate(t, "a"), "I21"), truth)
    assert pr["recall"] >= 0.3 and pr["precision"] == 1.0, pr
