"""Every synthetic station's protocol figures, consistent with the control relations (turnout
by region, lower in the big cities and abroad; the vote tilted by region around the 2023
shares), then the falsifications injected on purpose and recorded as ground truth.

Pure Python + numpy (no Django), called by `synthetic.build`."""

from __future__ import annotations

import numpy as np

from sailau.demo import turnout_day
from sailau.demo.geography import REGIONS
from sailau.demo.mazhilis2023 import (
    AGAINST_ALL_SHARE,
    ELECTION_ID,
    LINE_KEYS,
    LIST_KEYS,
    NATIONAL_TURNOUT,
    PARTIES,
)


def protocols(syn, rng) -> None:
    """Every station's protocol figures for the list contest and its single-member district,
    consistent with the control relations, then the injected falsifications."""
    st = syn.stations
    n = len(st)
    region_of = np.array([int(s["territory"].rsplit(".", 1)[1]) - 1 for s in st])
    urban = np.array([s["urban"] for s in st])
    kind = np.array([s["kind"] for s in st])
    registered = np.array([s["registered"] for s in st], dtype=np.int64)

    # Turnout: a regional level, lower in the big cities and abroad, plus station noise.
    region_turnout = np.clip(rng.normal(NATIONAL_TURNOUT + 0.12, 0.08, len(REGIONS)), 0.3, 0.85)
    for ri, r in enumerate(REGIONS):
        if r.city:
            region_turnout[ri] = rng.uniform(0.28, 0.42)
    mean_t = region_turnout[region_of] - 0.06 * urban + 0.08 * (kind == "special")
    mean_t = np.where(kind == "abroad", 0.25, mean_t)
    turnout = np.clip(rng.beta(20 * mean_t, 20 * (1 - mean_t)), 0.05, 0.97)

    added = rng.binomial(registered, 0.004)  # same-day additions
    voters = registered + added
    issued = rng.binomial(voters, turnout)
    mobile_share = np.where(urban, 0.01, 0.04) * (kind != "abroad")
    issued_mobile = rng.binomial(issued, mobile_share)
    issued_absentee = rng.binomial(issued - issued_mobile, 0.006)
    issued_room = issued - issued_mobile - issued_absentee
    mobile_requests = issued_mobile + rng.binomial(issued_mobile + 1, 0.1)
    received = voters + 0
    lost = (rng.random(n) < 0.002).astype(np.int64)
    lost = np.minimum(lost, received - issued)
    cancelled = received - issued - lost
    taken_away = rng.binomial(issued_room + issued_absentee, 0.002)  # voters who left with it
    found_stat = issued_room + issued_absentee - taken_away
    found_mobile = issued_mobile.copy()
    found = found_stat + found_mobile
    invalid = rng.binomial(found, rng.uniform(0.005, 0.025, n))
    valid = found - invalid

    shares = np.array([p[6] for p in PARTIES] + [AGAINST_ALL_SHARE])
    shares /= shares.sum()
    # Regional tilt of the vote, then station noise around it.
    region_tilt = rng.dirichlet(shares * 300, len(REGIONS))
    station_mean = region_tilt[region_of]
    alpha = station_mean * 150
    list_shares = np.array([rng.dirichlet(a) for a in alpha])
    list_votes = np.array([rng.multinomial(v, p) for v, p in zip(valid, list_shares)])

    lines = np.stack([voters, received, issued_room, issued_mobile, issued_absentee, cancelled,
                      lost, found_stat, found_mobile, invalid, mobile_requests], axis=1)
    list_id = f"{ELECTION_ID}.list"
    inject(syn, rng, lines, list_votes, kind, region_of)
    issued_total = lines[:, [LINE_KEYS.index(k) for k in
                             ("issued_in_room", "issued_mobile", "issued_absentee")]].sum(axis=1)
    turnout_day.reports(syn, issued_total)

    smd_choices: dict[str, list[str]] = {}
    for c in syn.choices:
        if c["contest"] != list_id:
            smd_choices.setdefault(c["contest"], []).append(c["key"])
    for i, s in enumerate(st):
        syn.protocols[(s["id"], list_id)] = {
            "figures": dict(zip(LINE_KEYS, map(int, lines[i]))),
            "choices": dict(zip(LIST_KEYS, map(int, list_votes[i]))),
        }
        if s["smd"]:
            keys = smd_choices[s["smd"]]
            fig = dict(zip(LINE_KEYS, map(int, lines[i])))
            found_i = fig["found_stationary"] + fig["found_mobile"]
            fig["invalid"] = int(rng.binomial(found_i, 0.02))
            weights = np.linspace(3, 1, len(keys) - 1) ** 2
            p = np.append(weights / weights.sum() * 0.95, 0.05)
            votes = rng.multinomial(found_i - fig["invalid"], rng.dirichlet(p * 60))
            syn.protocols[(s["id"], s["smd"])] = {"figures": fig,
                                                   "choices": dict(zip(keys, map(int, votes)))}


def inject(syn, rng, lines, votes, kind, region_of, regions=REGIONS, keys=LIST_KEYS) -> None:
    """Falsify some stations on purpose; the ground truth says where and how. The first
    column of `votes` (its choices' `keys`) gains; `regions` are the territories `region_of`
    indexes (the 20 of 2023 by default)."""
    col = {k: i for i, k in enumerate(LINE_KEYS)}
    n = len(kind)
    home = np.flatnonzero(kind != "abroad")
    truth = syn.truth

    def mark(i, what, paper=None, added=None, covered=None):
        entry = truth.setdefault(syn.stations[i]["id"], {"kinds": []})
        entry["kinds"].append(what)
        if paper is not None:
            entry["paper"] = paper
        if added is not None:  # ballots in the box that no voter signed for
            entry["ballots_added"] = int(added)
        if covered is not None:  # the ballots added were also written in as issued
            entry["covered"] = bool(covered)

    # 1. Ballot stuffing for the leader at ~3% of stations. Most cover it with issued ballots
    #    (paperwork consistent); a third are sloppy and find more ballots than were issued.
    stuffed = rng.choice(home, size=max(1, round(0.03 * n)), replace=False)
    for i in stuffed:
        room = lines[i, col["cancelled"]]
        extra = int(min(room, rng.uniform(0.05, 0.25) * lines[i, col["voters_on_list"]]))
        if extra <= 0:
            continue
        lines[i, col["found_stationary"]] += extra
        covered = rng.random() < 2 / 3
        if covered:
            lines[i, col["issued_in_room"]] += extra
            lines[i, col["cancelled"]] -= extra
        votes[i, 0] += extra
        mark(i, "ballot_stuffing", added=extra, covered=covered)

    # 2. 100% turnout at a handful of stations: every voter on the list "voted", for the leader.
    full = rng.choice(np.setdiff1d(home, stuffed), size=max(1, round(0.0015 * n)), replace=False)
    for i in full:
        extra = int(lines[i, col["voters_on_list"]] - (lines[i, col["issued_in_room"]]
                    + lines[i, col["issued_mobile"]] + lines[i, col["issued_absentee"]]))
        lines[i, col["issued_in_room"]] += extra
        lines[i, col["cancelled"]] -= extra
        lines[i, col["found_stationary"]] += extra
        votes[i, 0] += extra
        mark(i, "turnout_100", added=extra, covered=True)

    # 3. Rewriting between the precinct and the territorial level in one territory: the
    #    signed paper says one thing, the figures entered upstream another (votes moved to
    #    the leader, totals kept so the control relations still hold).
    target_region = int(rng.integers(3, len(regions)))
    syn.election["_rewritten_region"] = regions[target_region].code
    candidates = np.setdiff1d(np.flatnonzero(region_of == target_region),
                              np.concatenate([stuffed, full]))
    rewritten = rng.choice(candidates, size=max(1, int(0.4 * len(candidates))), replace=False)
    for i in rewritten:
        paper = dict(zip(keys, map(int, votes[i])))
        moved = 0
        for j in range(1, votes.shape[1]):
            take = int(votes[i, j] * rng.uniform(0.2, 0.5))
            votes[i, j] -= take
            moved += take
        votes[i, 0] += moved
        if moved:
            mark(i, "rewritten_upstream", paper={"choices": paper})
