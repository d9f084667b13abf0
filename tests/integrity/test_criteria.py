"""The per-station criteria on hand-made protocols: each lights on the case it names, with its
numbers, and the status follows the rules."""

import datetime as dt

import numpy as np
import pytest

from sailau.analysis import criteria as C
from sailau.analysis import criteria_catalogue as catalogue
from sailau.analysis import stuffing
from sailau.law.forms import candidate_form


def protocol(voters=1000, issued=600, mobile=20, leader=300, other=280, invalid=20, extra_found=0):
    room = issued - mobile
    figures = {"voters_on_list": voters, "ballots_received": voters, "issued_in_room": room,
               "issued_mobile": mobile, "issued_absentee": 0, "cancelled": voters - issued, "lost": 0,
               "found_stationary": room + extra_found, "found_mobile": mobile, "invalid": invalid,
               "mobile_requests": mobile}
    return figures, {"a": leader, "b": other}


def table_of(protocols, district="D1"):
    form = candidate_form("party_list")
    figs = [p[0] for p in protocols]
    chs = [p[1] for p in protocols]
    return C.StationTable([f"S{i}" for i in range(len(protocols))], [district] * len(protocols),
                          ["T1"] * len(protocols), figs, chs, C.check_findings(form, figs, chs))


def clean_protocols(n=30, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        issued = int(rng.integers(560, 640))
        invalid = 11
        leader = int(issued * rng.uniform(0.47, 0.53))
        out.append(protocol(issued=issued, mobile=int(rng.integers(15, 25)), leader=leader,
                            other=issued - invalid - leader, invalid=invalid))
    return out


def by_station(verdicts):
    return {v.station: v for v in verdicts}


def test_texts_and_codes():
    codes = [c.code for c in catalogue.CRITERIA]
    assert len(set(codes)) == len(codes) and len({c.key for c in catalogue.CRITERIA}) == len(codes)
    for c in catalogue.CRITERIA:
        assert c.strength in (catalogue.STRONG, catalogue.WEAK)
        for lang in ("kk", "ru", "en"):
            assert c.name[lang].strip() and len(c.explanation[lang]) > 40
    assert [r["status"] for r in catalogue.RULES] == [C.FLAGGED, C.WATCH, C.CLEAR]


def test_robust_z_within_group_and_fallback():
    values = np.array([0.5] * 5 + [0.52, 0.48, 0.51, 0.49, 0.9, 0.3])
    groups = np.array(["big"] * 10 + ["tiny"])
    z, med, _scale, used = C.robust_z(values, groups, np.array(["T"] * 11), floor=0.0,
                                      min_group=10)
    assert med[0] == pytest.approx(0.5) and used[0] == "big"
    mad = np.median(np.abs(values[:10] - 0.5))
    assert z[9] == pytest.approx((0.9 - 0.5) / (1.4826 * mad))
    assert used[10] == "T"  # one station alone is judged within its territory
    z2, *_ = C.robust_z(np.array([0.5] * 12), np.array(["g"] * 12), floor=0.02)
    assert np.all(z2 == 0)  # zero spread: the floor keeps z finite


def test_clean_stations_are_clear():
    verdicts = C.evaluate(table_of(clean_protocols()), "a")
    assert all(v.status == C.CLEAR and v.rule == "R3" for v in verdicts)
    assert C.summary(verdicts)["status"] == {"flagged": 0, "watch": 0, "clear": 30}


def test_extra_ballots_found_is_strong():
    ps = clean_protocols()
    f, ch = protocol(issued=600, leader=340, other=280, invalid=20, extra_found=40)
    ps[3] = (f, ch)
    v = by_station(C.evaluate(table_of(ps), "a"))["S3"]
    assert v.status == C.FLAGGED and v.rule == "R1"
    flag = next(x for x in v.flags if x["code"] == "I02")
    assert flag["evidence"]["findings"][0]["code"] == "W201"
    assert flag["evidence"]["votes_in_question"] == 40  # the ballots found beyond those issued
    assert "I01" not in v.codes  # the relation is a warning, not an error, in this form


def test_turnout_100_and_stuffing_signature():
    ps = clean_protocols()
    ps[0] = protocol(voters=800, issued=800, leader=580, other=210, invalid=10)
    ps[1] = protocol(voters=1000, issued=760, leader=520, other=230, invalid=10)
    verdicts = by_station(C.evaluate(table_of(ps), "a"))
    v0 = verdicts["S0"]
    assert {"I04", "I05", "I20"} <= set(v0.codes) and v0.status == C.FLAGGED
    ev = next(x for x in v0.flags if x["code"] == "I04")["evidence"]
    median = next(x for x in v0.flags if x["code"] == "I05")["evidence"]["group_median"]
    # in question: the ballots beyond the district's median turnout
    assert ev == {"voters_on_list": 800, "issued": 800, "turnout": 1.0,
                  "votes_in_question": round((1 - median) * 800)}
    assert 0 < ev["votes_in_question"] < 800
    # Two high stations among 30: too few for the election's own bar (I16), so only to watch.
    sig = next(x for x in verdicts["S1"].flags if x["code"] == "I20")["evidence"]
    assert sig["turnout_z"] > stuffing.Z_BOTH and sig["leader_share_z"] > stuffing.Z_BOTH
    assert sig["leader"] == "a" and sig["bar"] is None and verdicts["S1"].status == C.WATCH


def test_a_low_share_for_one_choice_alone_is_weak():
    ps = clean_protocols()
    ps[5] = protocol(issued=600, leader=500, other=80, invalid=20)  # same turnout, votes moved
    v = by_station(C.evaluate(table_of(ps), "a"))["S5"]
    assert v.codes == ["I06"] and v.status == C.WATCH
    choices = {c["choice"]: c["z"] for c in v.flags[0]["evidence"]["choices"]}
    assert choices["a"] > C.Z_OUTLIER and choices["b"] < -C.Z_OUTLIER


def test_mobile_share_extreme():
    ps = clean_protocols()
    ps[2] = protocol(issued=600, mobile=200, leader=300, other=280, invalid=20)
    v = by_station(C.evaluate(table_of(ps), "a"))["S2"]
    assert "I07" in v.codes
    assert next(x for x in v.flags if x["code"] == "I07")["evidence"]["share"] == pytest.approx(1 / 3, abs=1e-4)


def test_integer_percentages_both_round():
    ps = clean_protocols()
    # turnout 600/1000 = 60.0%, leader 297/(580+20)... counted = 600, leader 270 -> 45.0%
    ps[4] = protocol(voters=1000, issued=600, leader=270, other=310, invalid=20)
    ps[6] = protocol(voters=1000, issued=600, leader=271, other=309, invalid=20)  # 45.17%: not round
    verdicts = by_station(C.evaluate(table_of(ps), "a"))
    ev = next(x for x in verdicts["S4"].flags if x["code"] == "I08")["evidence"]
    assert ev["turnout_pct"] == 60.0 and ev["leader_share_pct"] == 45.0 and 0 < ev["chance"] < 0.05
    assert "I08" not in verdicts["S6"].codes


def test_control_error_from_a_broken_identity():
    ps = clean_protocols()
    f, ch = ps[7]
    f = dict(f, ballots_received=f["ballots_received"] + 5)  # received != issued + cancelled + lost
    ps[7] = (f, ch)
    v = by_station(C.evaluate(table_of(ps), "a"))["S7"]
    assert v.codes == ["I01"] and v.status == C.FLAGGED
    assert v.flags[0]["evidence"]["findings"][0]["code"] == "F101"


def test_hooks_light_up_when_given():
    ps = clean_protocols(n=12)
    t = table_of(ps)
    closed = dt.datetime(2023, 3, 19, 20, 0, tzinfo=dt.UTC)
    official_fig, official_ch = ps[0]
    verdicts = by_station(C.evaluate(
        t, "a",
        observer_copies={"S0": [{"observer": "org1", "figures": official_fig,
                                 "choices": dict(official_ch, a=official_ch["a"] - 40)}],
                         "S1": [{"observer": "org2", "figures": ps[1][0], "choices": ps[1][1]}]},
        scans={"S2": [{"status": "mismatch", "reason": "figures",
                       "mismatches": [{"line": "a", "printed": 1, "definitive": 2}]}],
               "S3": [{"status": "match"}]},
        amendments={"S4": [{"version": 2, "decision_number": "12", "decision_date": "2023-03-21",
                            "reason": "recount"}]},
        step_times={"S5": {"polls_closed": closed, "definitive": closed + dt.timedelta(hours=15)},
                    "S6": {"polls_closed": closed.isoformat(),
                           "definitive": (closed + dt.timedelta(hours=3)).isoformat()}},
        assessments={"S7": [{"stage": "counting", "negative": True}, {"stage": "voting", "negative": False}]},
        incidents={"S8": [{"kind": "observer_obstructed", "summary": "asked to leave"}]},
        model_flags={"S9": 0.83},
    ))
    copy = verdicts["S0"].flags[0]
    assert copy["code"] == "I10" and verdicts["S0"].status == C.FLAGGED
    assert copy["evidence"]["copies"][0]["differences"] == [
        {"part": "choices", "line": "a", "official": official_ch["a"], "copy": official_ch["a"] - 40}]
    assert verdicts["S1"].status == C.CLEAR  # an identical copy
    assert verdicts["S2"].codes == ["I11"] and verdicts["S2"].status == C.FLAGGED
    assert verdicts["S3"].status == C.CLEAR
    assert verdicts["S4"].codes == ["I12"] and verdicts["S4"].status == C.WATCH
    assert verdicts["S5"].codes == ["I13"]
    assert verdicts["S5"].flags[0]["evidence"]["hours_after_close"] == 15.0
    assert verdicts["S6"].status == C.CLEAR
    assert verdicts["S7"].codes == ["I14"] and verdicts["S7"].flags[0]["evidence"]["negative"] == 1
    assert verdicts["S8"].codes == ["I15"] and verdicts["S8"].status == C.WATCH
    assert verdicts["S9"].codes == ["I09"] and verdicts["S9"].flags[0]["evidence"]["fraud_probability"] == 0.83
