"""The PVT sample designed for small shares (`pvt_design`): Neyman allocation fitted on the
past election holds the 95% level for every candidate of the next one, the smallest included,
without widening the large shares' intervals. Russia: the 2012 presidential election's stations
design the sample, 2018's are estimated (400 stratified samples of 1,500 stations, seed 1;
standard error of a coverage near 95%: 1.1 points). The larger run is
benchmarks/bench_pvt_coverage.py --design neyman, its figures in BENCHMARKS.md."""

import numpy as np
import pytest

from sailau.analysis import pvt, pvt_design
from sailau.analysis.pvt_coverage import coverage
from sailau.analysis.sources import load

from .conftest import data_file


def _election(year):
    s = load(data_file("russia", f"{year}.csv.zip"), group_by="region")
    names = list(s.choices)
    votes = np.column_stack([s.choices[k] for k in names])
    counted = np.asarray(s.counted)
    ok = counted > 0
    # the same region is "Город Москва" in 2012 and "город Москва" in 2018
    strata = np.char.lower(np.asarray(s.territories["region"]).astype(str))[ok]
    return names, votes[ok], counted[ok], strata


@pytest.fixture(scope="module")
def designed():
    _, past_votes, past_counted, past_strata = _election(2012)
    names, votes, counted, strata = _election(2018)
    keys, codes = np.unique(strata, return_inverse=True)
    sizes = {k: int(n) for k, n in zip(keys, np.bincount(codes), strict=True)}
    weights = pvt_design.stratum_weights(past_votes, past_counted, past_strata)
    alloc = pvt_design.allocate(sizes, weights, 1500)
    return names, votes, counted, strata, sizes, weights, alloc


def test_allocation_follows_the_past_variance(designed):
    *_, sizes, weights, alloc = designed
    proportional = pvt.allocate(sizes, 1500)
    assert sum(alloc.values()) == 1500 and min(alloc.values()) >= 2
    assert all(alloc[h] <= sizes[h] for h in sizes)
    # more stations where the past election varied more per station, fewer where less
    ratio = {h: alloc[h] / proportional[h] for h in sizes if proportional[h] >= 10}
    a = {h: weights.get(h, np.nan) for h in ratio}
    hi = max((h for h in ratio if np.isfinite(a[h])), key=a.get)
    lo = min((h for h in ratio if np.isfinite(a[h])), key=a.get)
    assert ratio[hi] > 1.2 and ratio[lo] < 0.8, (hi, lo)
    assert pvt_design.allocate(sizes, weights, 1500, mix=0.0) == proportional


def test_every_candidate_covered_at_the_nominal_level(designed):
    names, votes, counted, strata, *_, alloc = designed
    new = coverage(votes, counted, strata, size=1500, draws=400, seed=1, alloc=alloc)
    old = coverage(votes, counted, strata, size=1500, draws=400, seed=1)
    table = {n.split()[0]: (round(float(t), 4), float(c), float(b))
             for n, t, c, b in zip(names, new["truth"], new["cover95"], old["cover95"],
                                   strict=True)}
    smallest = int(np.argmin(new["truth"]))
    worst_before = int(np.argmin(old["cover95"]))
    assert names[worst_before].startswith("Сурайкин") and old["cover95"][worst_before] < 0.94
    assert new["cover95"].min() >= 0.94, table
    assert new["cover95"][worst_before] >= 0.94 and new["cover95"][smallest] >= 0.94, table
    # no wider intervals for any share, the large ones included
    assert np.all(new["width95"] <= old["width95"] * 1.005), (new["width95"], old["width95"])
