"""A PVT sample designed for small shares: Neyman allocation of the sample stations to strata
by the variance a past election showed there, instead of in proportion to the strata's sizes.

Why: the ratio estimator's variance is Σ_h N_h² (1 - f_h) S²_h / n_h / X² (Cochran 1977, §6.11,
see `pvt`), and for a given total n it is smallest when n_h ∝ N_h S_h (Neyman 1934; Cochran
1977, §5.5). A choice whose votes sit in a few strata has nearly all its variance there; the
proportional sample puts few stations in them, so its estimate rests on a handful of stations
and its interval covers less often than it says (Russia 2018: 0.920 for a 0.68 % candidate).
Several choices are estimated from one sample; the allocation that minimises the sum of their
*relative* variances, Σ_j V(R_j) / R_j², is n_h ∝ N_h sqrt(Σ_j S²_hj / R_j²) (Cochran 1977,
§5A.3, the multi-item compromise), which gives a small share as much say as a large one.
`mix` blends it with proportional allocation (n_h ∝ N_h ((1 - mix) + mix A_h / Ā)), so that
the large shares lose little precision for what the small ones gain.

The S_hj come from a *past* election's stations (never the one being estimated): d = y - R x,
the residual of each station's votes for choice j against its ballots counted at the national
ratio, as in the variance formula. Strata the past election lacks get the median A_h. The
design — its method, the past election it was fitted on, `mix` and the allocation — is
recorded with the sample and its commitment, so that anyone can redraw it."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence

import numpy as np

from sailau.analysis.pvt import PvtInputError, between_one_and
from sailau.languages import texts
from sailau.law import figures

T = texts("analysis.pvt_design")

PROPORTIONAL, NEYMAN = "proportional", "neyman"
MIX = 0.5  # halfway between proportional and Neyman (measured in BENCHMARKS.md)


def stratum_weights(votes: np.ndarray, counted: np.ndarray, strata: Sequence[str]
                    ) -> dict[str, float]:
    """A_h = sqrt(Σ_j S²_hj / R_j²) per stratum of a past election (one row per station)."""
    votes = np.asarray(votes, dtype=float)
    counted = np.asarray(counted, dtype=float)
    keys, codes = np.unique(np.asarray(strata, dtype=str), return_inverse=True)
    r = figures.share_fraction(votes.sum(axis=0), counted.sum(), divide=operator.truediv)
    keep = r > 0
    d = (votes[:, keep] - np.outer(counted, r[keep])) / r[keep]
    out = {}
    for i, h in enumerate(keys):
        rows = d[codes == i]
        s2 = rows.var(axis=0, ddof=1) if len(rows) > 1 else np.zeros(rows.shape[1])
        out[str(h)] = float(np.sqrt(s2.sum()))
    return out


def allocate(sizes: Mapping[str, int], weights: Mapping[str, float], n: int,
             mix: float = MIX, minimum: int = 2) -> dict[str, int]:
    """n_h ∝ N_h ((1 - mix) + mix A_h / Ā) (Ā the size-weighted mean of A_h), at least
    `minimum` and at most N_h per stratum, whole stations by largest remainders."""
    sizes = {h: int(s) for h, s in sizes.items() if s > 0}
    total = sum(sizes.values())
    if not 0 < n <= total:
        raise PvtInputError.at("size", between_one_and(total))
    if not 0 <= mix <= 1:
        raise PvtInputError.at("mix", T("between 0 (proportional) and 1 (Neyman)"))
    known = [weights[h] for h in sizes if h in weights and np.isfinite(weights[h])]
    fill = float(np.median(known)) if known else 1.0
    a = {h: max(float(weights.get(h, fill)), 0.0) for h in sizes}
    mean_a = sum(sizes[h] * a[h] for h in sizes) / total or 1.0
    want = {h: sizes[h] * ((1 - mix) + mix * a[h] / mean_a) for h in sizes}
    alloc = {h: min(sizes[h], minimum) for h in sizes}
    if sum(alloc.values()) > n:
        least = sum(alloc.values())
        raise PvtInputError.at("size", T(
            "at least {least} for {minimum} a stratum").format(least=least, minimum=minimum))
    # Water-filling: strata whose share would pass their size are taken whole, the rest
    # share what is left in proportion to `want`.
    open_ = {h for h in sizes if sizes[h] > alloc[h]}
    left = n - sum(alloc.values())
    while left > 0 and open_:
        weight = sum(want[h] for h in open_) or float(len(open_))
        exact = {h: left * (want[h] or 1.0) / weight for h in open_}
        full = {h for h in open_ if alloc[h] + exact[h] >= sizes[h]}
        if full:
            for h in full:
                left -= sizes[h] - alloc[h]
                alloc[h] = sizes[h]
            open_ -= full
            continue
        floor = {h: int(exact[h]) for h in open_}
        for h in open_:
            alloc[h] += floor[h]
        left -= sum(floor.values())
        for h in sorted(open_, key=lambda h: (-(exact[h] - floor[h]), h))[:left]:
            alloc[h] += 1
        left = 0
    return alloc


def check_design(design: Mapping, size: int) -> dict:
    """A design as committed: {"method": "neyman", "mix": 0..1, "past": label, "allocation":
    {stratum: stations}} summing to `size`. Raises PvtInputError (field "design") otherwise."""
    try:
        method, mix, past = str(design["method"]), float(design["mix"]), str(design["past"])
        allocation = {str(h): int(n) for h, n in dict(design["allocation"]).items()}
    except (KeyError, TypeError, ValueError):
        raise PvtInputError.at("design", T("method, mix, past and allocation")) from None
    if (method != NEYMAN or not 0 <= mix <= 1 or not past.strip() or "\n" in past
            or any(n < 0 or not h.strip() or " " in h or "\n" in h
                   for h, n in allocation.items())
            or sum(allocation.values()) != size):
        raise PvtInputError.at("design", T(
            "method {NEYMAN}, mix in 0..1, a past election, and "
            "stations per stratum summing to {size}").format(NEYMAN=NEYMAN, size=size))
    return {"method": method, "mix": mix, "past": past.strip(), "allocation": allocation}
