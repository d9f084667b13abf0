"""The figures of a synthetic second round: its election is made from the first round by
`sailau.elections.rounds.create_second_round` (its stations, commissions and the two leaders on
its ballot); here each of its stations' protocols is drawn from the same station's first round
(matched by number), as its voters would vote again two weeks later. Assumed, not from a
source: a turnout a little lower (`TURNOUT_KEPT` of the first round's voters come back), the
leaders keep their voters, and those of the eliminated candidates split between them or stay
home; the falsifications of the first round are injected again at other stations
(`station_figures.inject`), and the day's turnout reports drawn as for any day.

Pure numpy over plain data, given the second round's stations and choices from the database."""

from __future__ import annotations

import numpy as np

from sailau.demo import national_contest, station_figures, turnout_day
from sailau.demo.mazhilis2023 import LINE_KEYS
from sailau.demo.regions2019 import REGIONS
from sailau.demo.synthetic import Synthetic
from sailau.law import figures

TURNOUT_KEPT = 0.92
# Of an eliminated candidate's voters who come back: to the first leader, to the second, the
# rest spoil their ballot (assumed).
TRANSFER = (0.45, 0.45, 0.10)


def synthetic(election, first: Synthetic, seed: int) -> Synthetic:
    """The second round `election` (from `create_second_round`) as a `Synthetic` the demo's
    chain routes, with every station's protocol and the day's turnout reports."""
    from sailau.elections.models import Contest, Election, Station

    if isinstance(election, str):
        election = Election.objects.get(pk=election)
    eid = election.id
    [contest] = Contest.objects.filter(election_id=eid)
    keys = list(contest.choices.exclude(key="against_all").order_by("order", "key")
                .values_list("key", flat=True))
    against_all = contest.choices.filter(key="against_all").exists()
    stations = [{"id": s.id, "number": s.number, "territory": s.territory_id,
                 "kind": s.kind, "urban": s.urban, "registered": s.registered}
                for s in Station.objects.filter(election_id=eid).order_by("number")]
    syn = Synthetic(seed=seed, election={"id": eid, "kind": election.kind,
                                         "date": election.date.isoformat()},
                    stations=stations,
                    contests=[{"id": contest.id, "kind": contest.kind}])
    before = {s["number"]: first.protocols[(s["id"], national_contest.contest_id(
        first.election["id"]))] for s in first.stations}
    rng = np.random.default_rng([seed, 2])
    n = len(stations)
    lines = np.zeros((n, len(LINE_KEYS)), dtype=np.int64)
    votes = np.zeros((n, len(keys)), dtype=np.int64)
    for i, s in enumerate(stations):
        p = before[s["number"]]
        f = p["figures"]
        on_list = f["voters_on_list"]
        issued_first = figures.issued(f)
        issued = int(rng.binomial(issued_first, TURNOUT_KEPT))
        mobile = int(rng.binomial(issued, f["issued_mobile"] / max(1, issued_first)))
        absentee = int(rng.binomial(issued - mobile, 0.006))
        room = issued - mobile - absentee
        lost = 0
        taken = int(rng.binomial(room + absentee, 0.002))
        found = room + absentee - taken + mobile
        # the leaders' shares of the valid votes the first time, and the others' voters split
        total = max(1, sum(p["choices"].values()))
        lead = np.array([p["choices"].get(k, 0) for k in keys], dtype=float) / total
        rest = max(0.0, 1 - lead.sum())
        mix = np.append(lead + rest * np.array(TRANSFER[:len(keys)]), rest * TRANSFER[-1])
        drawn = rng.multinomial(found, rng.dirichlet(mix / mix.sum() * 400 + 1e-3))
        votes[i] = drawn[:len(keys)]
        lines[i] = [on_list, on_list, room, mobile, absentee, on_list - issued - lost, lost,
                    room + absentee - taken, mobile, drawn[len(keys)],
                    mobile + int(rng.binomial(mobile + 1, 0.1))]
    codes = [r.code for r in REGIONS]
    region_of = np.array([codes.index(s["territory"].rsplit(".", 1)[1]) for s in stations])
    kind = np.array([s["kind"] for s in stations])
    station_figures.inject(syn, rng, lines, votes, kind, region_of, regions=REGIONS, keys=keys)
    turnout_day.reports(syn, lines[:, 2:5].sum(axis=1))
    for i, s in enumerate(stations):
        choices = dict(zip(keys, map(int, votes[i]), strict=True))
        if against_all:
            choices["against_all"] = 0
        syn.protocols[(s["id"], contest.id)] = {
            "figures": dict(zip(LINE_KEYS, map(int, lines[i]), strict=True)),
            "choices": choices}
    return syn
