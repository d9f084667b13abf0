"""How often a PVT design's intervals hold the true share: draw many stratified samples from a
complete election (every station's votes known), estimate each with `pvt.estimate`, and count
the intervals that contain the share of the whole election. Used by the test and the benchmark
of the intervals (on Russia 2018), and by anyone who wants to check a design on past results."""

from __future__ import annotations

import operator

import numpy as np

from sailau.analysis import pvt
from sailau.law import figures


def coverage(votes: np.ndarray, counted: np.ndarray, strata, size: int, draws: int,
             seed: int = 0, alloc: dict[str, int] | None = None) -> dict:
    """Share of `draws` stratified samples of `size` stations (proportional allocation, as
    `pvt.draw`) whose 95% and 99% intervals contain each choice's true share, and their mean
    width; `normal95`/`normal99`: the same for the textbook r ± z·se from the same samples, as
    the baseline. Samples are drawn with numpy directly (the same allocation, much faster than
    `pvt.draw`'s sorting of ids for every draw)."""
    votes, counted = np.asarray(votes, dtype=float), np.asarray(counted, dtype=float)
    keys, codes = np.unique(np.asarray(strata, dtype=str), return_inverse=True)
    population = {k: int(n) for k, n in zip(keys, np.bincount(codes), strict=True)}
    if alloc is None:
        alloc = pvt.allocate(population, size)
    elif sum(alloc.values()) != size:
        raise ValueError(f"the allocation holds {sum(alloc.values())} stations, not {size}")
    members = [np.flatnonzero(codes == i) for i in range(len(keys))]
    truth = figures.share_fraction(votes.sum(axis=0), counted.sum(), divide=operator.truediv)
    names = [str(j) for j in range(votes.shape[1])]
    rng = np.random.default_rng(seed)
    hit95, hit99, width, normal95, normal99, normal_width = (np.zeros(len(names))
                                                             for _ in range(6))
    for _ in range(draws):
        rows = np.concatenate([rng.choice(members[i], alloc.get(k, 0), replace=False)
                               for i, k in enumerate(keys)])
        est = pvt.estimate(votes[rows], counted[rows], names, keys[codes[rows]], population)
        low95 = np.array([est.shares[k].low95 for k in names])
        high95 = np.array([est.shares[k].high95 for k in names])
        low99 = np.array([est.shares[k].low99 for k in names])
        high99 = np.array([est.shares[k].high99 for k in names])
        hit95 += (low95 <= truth) & (truth <= high95)
        hit99 += (low99 <= truth) & (truth <= high99)
        width += high95 - low95
        r = np.array([est.shares[k].estimate for k in names])
        se = np.array([est.shares[k].se for k in names])
        normal95 += np.abs(r - truth) <= pvt.Z95 * se
        normal99 += np.abs(r - truth) <= pvt.Z99 * se
        normal_width += 2 * pvt.Z95 * se
    return {"truth": truth, "cover95": hit95 / draws, "cover99": hit99 / draws,
            "width95": width / draws, "normal95": normal95 / draws,
            "normal99": normal99 / draws, "normal_width95": normal_width / draws}
