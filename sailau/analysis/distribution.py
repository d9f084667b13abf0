"""Shape of the turnout and leader-share distributions: skewness, excess kurtosis (Klimek et al.
2012 found kurtosis far above normal in elections with alleged fraud) and Hartigan's dip test of
unimodality (a second mode near 100% is the usual sign of ballot stuffing)."""

from __future__ import annotations

import operator

import numpy as np

from sailau.law import figures


def shape(values: np.ndarray, weights: np.ndarray | None = None) -> dict:
    from scipy.stats import kurtosis, skew

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 4:
        return {"n": len(x)}
    out = {"n": len(x), "mean": round(float(x.mean()), 4), "median": round(float(np.median(x)), 4),
           "skewness": round(float(skew(x)), 3), "kurtosis": round(float(kurtosis(x)), 3)}
    try:
        import diptest

        # the dip test's table-based p-value; the statistic is computed on at most 70k points
        # (a seeded subsample) to bound its O(n log n) cost on national data
        sample = x if len(x) <= 70_000 else np.random.default_rng(0).choice(x, 70_000, replace=False)
        dip, p = diptest.diptest(sample)
        out.update(dip=round(float(dip), 5), dip_p=float(f"{p:.4g}"))
    except ImportError:  # diptest is a declared dependency; without it the rest still works
        out.update(dip=None, dip_p=None)
    return out


def sobyanin_sukhovolsky(registered, ballots, leader, counted) -> dict:
    """Sobyanin & Sukhovolsky's regression across stations of each side's votes as a fraction of
    the registered voters on turnout. In a clean election extra turnout splits like the rest,
    so the leader's slope is about its share; a slope near or above 1 (and the others' near 0 or
    negative) means extra turnout went only to the leader, as with ballot stuffing."""
    registered = np.asarray(registered, dtype=float)
    turnout = figures.of_list(np.asarray(ballots), registered, divide=operator.truediv)
    lead = np.asarray(leader) / registered
    others = (np.asarray(counted) - np.asarray(leader)) / registered
    if len(turnout) < 3 or np.ptp(turnout) == 0:
        return {"n": len(turnout)}
    a = np.polyfit(turnout, lead, 1)
    b = np.polyfit(turnout, others, 1)
    share = float(np.sum(leader) / max(np.sum(counted), 1))
    return {"n": len(turnout), "leader_slope": round(float(a[0]), 4),
            "others_slope": round(float(b[0]), 4), "leader_share": round(share, 4),
            "leader_slope_minus_share": round(float(a[0]) - share, 4)}
