"""What the official figures alone can show of the demo's ballot stuffing, at any size: the
demo's figures drawn by `sailau.demo.synthetic.build` (no database, no observers, no scans),
the integrity criteria evaluated on its list contest with the rule set's control relations,
then scored against the ground truth.

Per seed: the stations flagged on the figures alone (rule R1: I02 more ballots than issued,
I04 turnout 100 %, I16 the fingerprint above the election's own bar) and I16 alone; then the
ceiling of two fingerprint statistics, the most stuffed stations any bar on them could flag
while at most one flag in ten is a clean station, the bar chosen knowing the truth (a bound,
not a method): `both_z`, the smaller of the turnout's and the leader's share's robust z-scores
(what I16 and I20 rank by), and the mean of the leader's votes per voter on the list and the
leader's share as robust z-scores (an alternative: stuffing raises the first by exactly the
share of the list added). Stations injected another way are neither found nor false.

    .venv/bin/python benchmarks/bench_fingerprint.py --stations 10223 --seeds 2023,2024,2025
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sailau.analysis import criteria, stuffing
from sailau.demo import synthetic
from sailau.law import get_ruleset

PRECISION = 0.9


def table_of(syn) -> criteria.StationTable:
    contest = next(c for c in syn.contests if c["kind"] == "party_list")
    st = [s for s in syn.stations if (s["id"], contest["id"]) in syn.protocols]
    papers = [syn.protocols[(s["id"], contest["id"])] for s in st]
    t = criteria.StationTable([s["id"] for s in st], [s["district"] for s in st],
                              [s["territory"] for s in st], [p["figures"] for p in papers],
                              [p["choices"] for p in papers],
                              kind=[stuffing.peer_kind(s["kind"], s["urban"]) for s in st])
    form = get_ruleset(contest["ruleset"]).form(contest["kind"])
    t.findings = criteria.check_findings(form, t.figures, t.choices)
    return t


def statistics(t: criteria.StationTable, leader: str) -> dict[str, np.ndarray]:
    district, territory = np.asarray(t.district, dtype=str), np.asarray(t.territory, dtype=str)
    voters = t.column("voters_on_list")
    issued = t.column("issued_in_room", "issued_mobile", "issued_absentee")
    votes = {k: t.votes(k) for k in t.choice_keys()}
    counted = sum(votes.values()) + t.column("invalid", "both_marked")
    z = lambda x: criteria.robust_z(x, district, territory, criteria.SHARE_SCALE_FLOOR)[0]
    tz = criteria.robust_z(issued / voters, district, territory, criteria.TURNOUT_SCALE_FLOOR)[0]
    sz = z(votes[leader] / counted)
    lz = z(votes[leader] / voters)
    return {"both_z": np.minimum(tz, sz), "mean of per-list and share z": (lz + sz) / 2}


def ceiling(stat: np.ndarray, stuffed: np.ndarray, clean: np.ndarray) -> int:
    """The most stuffed stations above any bar with at most 1 - PRECISION of the flags clean."""
    order = np.argsort(-np.where(np.isfinite(stat), stat, -np.inf))
    found, false = np.cumsum(stuffed[order]), np.cumsum(clean[order])
    ok = np.flatnonzero(false <= (1 - PRECISION) * (found + false))
    return int(found[ok].max()) if len(ok) else 0


def one(seed: int, stations: int) -> dict:
    t0 = time.perf_counter()
    syn = synthetic.build(seed=seed, stations=stations)
    t = table_of(syn)
    leader = criteria.leader_of(t)
    verdicts = criteria.evaluate(t, leader)
    kinds = [set((syn.truth.get(s) or {}).get("kinds", ())) for s in t.station_ids]
    stuffed = np.array(["ballot_stuffing" in k for k in kinds])
    clean = np.array([not k for k in kinds])
    flagged = np.array([v.status == criteria.FLAGGED for v in verdicts])
    i16 = np.array(["I16" in v.codes for v in verdicts])
    i21 = np.array(["I21" in v.codes for v in verdicts])
    before = np.array([any(f["strength"] == "strong" and f["code"] != "I21" for f in v.flags)
                       for v in verdicts])  # R1 as it was before I21
    out = {"seed": seed, "stuffed": int(stuffed.sum()),
           "R1": (int((flagged & stuffed).sum()), int((flagged & clean).sum())),
           "R1 without I21": (int((before & stuffed).sum()), int((before & clean).sum())),
           "I16": (int((i16 & stuffed).sum()), int((i16 & clean).sum())),
           "I21": (int((i21 & stuffed).sum()), int((i21 & clean).sum()))}
    for name, stat in statistics(t, leader).items():
        out[name] = ceiling(stat, stuffed, clean)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10223)
    ap.add_argument("--seeds", default="2023,2024,2025")
    a = ap.parse_args()
    runs = [one(int(s), a.stations) for s in a.seeds.split(",") if s.strip()]
    names = [k for k in runs[0] if k not in ("seed", "stuffed", "R1", "R1 without I21", "I16", "I21",
                                          "seconds")]
    print(f"{a.stations:,} stations; flagged right / flagged clean; ceilings at precision "
          f"{PRECISION} (bar chosen knowing the truth)\n")
    print("| seed | stuffed | R1 on the figures | R1 without I21 | I16 | I21 | " + " | ".join(
        f"ceiling: {n}" for n in names) + " | seconds |")
    print("|---" * (7 + len(names)) + "|")
    for r in runs + [{"seed": "sum", "stuffed": sum(r["stuffed"] for r in runs),
                      "R1": tuple(map(sum, zip(*(r["R1"] for r in runs)))),
                      "R1 without I21": tuple(map(sum, zip(*(r["R1 without I21"] for r in runs)))),
                      "I16": tuple(map(sum, zip(*(r["I16"] for r in runs)))),
                      "I21": tuple(map(sum, zip(*(r["I21"] for r in runs)))),
                      **{n: sum(r[n] for r in runs) for n in names},
                      "seconds": round(sum(r["seconds"] for r in runs), 1)}]:
        print(f"| {r['seed']} | {r['stuffed']} | {r['R1'][0]} / {r['R1'][1]} | "
              f"{r['R1 without I21'][0]} / {r['R1 without I21'][1]} | "
              f"{r['I16'][0]} / {r['I16'][1]} | {r['I21'][0]} / {r['I21'][1]} | " + " | ".join(str(r[n]) for n in names)
              + f" | {r['seconds']} |")


if __name__ == "__main__":
    main()
