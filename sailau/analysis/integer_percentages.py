"""The integer-percentage test of Kobak, Shpilkin & Pshenichnikov, "Integer percentages as
electoral falsification fingerprints", Annals of Applied Statistics 10(1), 2016.

Per station: turnout = ballots / registered, leader share = leader / (valid + invalid). Stations
are kept when valid + invalid > 0, registered >= 100, turnout <= 0.99 and share <= 0.99. A
percentage 100*k/n is "integer" when it lies within 0.05 of an integer; the statistic is the
number of kept stations whose turnout or share is integer. Its null distribution comes from
resampling every station binomially (ballots ~ Bin(registered, turnout), leader ~ Bin(counted,
share)) and recounting, 1,000 times.

Which percentages count as integer follows the published computation, not exact arithmetic:
the percentage is a float64 computed as `100 * k / n`, the count multiplied by 100 first and then
divided, and "integer" is |p - round(p)| <= 0.05 decided on that double. That is what the
authors' code does (github.com/dkobak/elections, significance2018/elections2018.ipynb:
`p1 = 100 * leader[ind]/received[ind]`, `p2 = 100 * given[ind]/voters[ind]`, integer when
`np.abs(p - np.round(p)) <= binwidth/2` with binwidth 0.1), and it reproduces their published
figures exactly (2011 and 2018: D. Kobak, S. Shpilkin, M. Pshenichnikov, "Integer percentages
as electoral falsification fingerprints", Annals of Applied Statistics 10(1), 2016, and its 2018
update; tests/analysis/test_forensics_integer.py). Order matters only on the boundary, where 100k/n is exactly
j ± 0.05: `100 * k` is an exact integer and one division rounds it once, whereas the share
first (`k / n * 100`) rounds twice and lands a few ulps elsewhere. E.g. 1519 ballots of 2000
voters: 100 * 1519 / 2000 is 75.95, integer; 1519 / 2000 * 100 is 75.94999999999999, not. On the
Russian station-level results those authors publish, the share-first order leaves out one station in each of 2007,
2008, 2012, 2016. The kept-station filter is compared in integers: k/n <= 0.99 in float64
gives the same answer for any n below 10^15.

Speed: a station's resampled indicator is a Bernoulli variable whose probability is a sum of
binomial probabilities over the windows of k that give an integer percentage; we compute it
exactly (`integer_probability`) and then draw the 1,000 resamples of the statistic as sums of
independent Bernoulli draws. That is the same null distribution as drawing the binomial counts
themselves (the statistic only depends on the indicators, which are independent across stations
and between turnout and share), at a fraction of the cost; `method="binomial"` draws the counts
directly and is kept to check this (tests/analysis/test_forensics_integer.py).
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, xlog1py, xlogy

MIN_REGISTERED = 100
MAX_FRACTION = (99, 100)  # turnout and share <= 0.99, compared as integers


def is_integer_percentage(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    """True where the percentage k/n is within 0.05 of an integer (n > 0), decided as the
    published analysis decides it: float64 `100 * k / n`, multiplied before it is divided
    (see the module's note; the order changes the verdict on the 0.05 boundary)."""
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    percent = 100 * k / np.maximum(n, 1)  # exact int64 product, one float64 division
    return (np.abs(percent - np.round(percent)) <= 0.05) & (n > 0)


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every integer in [lo[i], hi[i]] for all i, flattened: (owner index, value)."""
    width = np.maximum(hi - lo + 1, 0)
    owner = np.repeat(np.arange(len(lo)), width)
    offset = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
    return owner, lo[owner] + offset


def integer_probability(n: np.ndarray, p: np.ndarray, span: float = 7.0) -> np.ndarray:
    """P(100*X/n is an integer percentage) for X ~ Bin(n, p), per station.

    Sums the binomial probabilities of the k in the windows [n(20j-1)/2000, n(20j+1)/2000] for
    every integer percentage j within `span` standard deviations of the mean (the mass beyond
    is below 1e-11 per station). A window's two ends are the boundary cases: they count only
    when `is_integer_percentage` (the published float64 rule) says so."""
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=float)
    sd_pct = 100 * np.sqrt(p * (1 - p) / np.maximum(n, 1))
    lo_j = np.clip(np.floor(100 * p - span * sd_pct) - 1, 0, 100).astype(np.int64)
    hi_j = np.clip(np.ceil(100 * p + span * sd_pct) + 1, 0, 100).astype(np.int64)
    station, j = _expand(lo_j, hi_j)
    nn = n[station]
    k_hi = np.minimum((nn * (20 * j + 1)) // 2000, nn)
    k_lo = np.maximum(-((-nn * (20 * j - 1)) // 2000), 0)
    window, k = _expand(k_lo, k_hi)
    station = station[window]
    nn, pp = n[station], p[station]
    log_pmf = (gammaln(nn + 1) - gammaln(k + 1) - gammaln(nn - k + 1)
               + xlogy(k, pp) + xlog1py(nn - k, -pp))
    mass = np.exp(log_pmf) * is_integer_percentage(k, nn)
    return np.clip(np.bincount(station, weights=mass, minlength=len(n)), 0.0, 1.0)


def kept_stations(registered, ballots, counted, leader) -> np.ndarray:
    num, den = MAX_FRACTION
    return ((counted > 0) & (registered >= MIN_REGISTERED)
            & (ballots * den <= num * registered) & (leader * den <= num * counted))


def _group_index(groups, kept):
    if groups is None:
        return None, None
    names, codes = np.unique(np.asarray(groups, dtype=str)[kept], return_inverse=True)
    return names, codes


def integer_percentage_test(
    registered, ballots, counted, leader, groups=None, resamples: int = 1000, seed: int = 0,
    method: str = "exact", chunk: int = 50,
) -> dict:
    """The test on one election. Returns the summary (`stations_kept`, `observed`, `expected`,
    `excess`, `sd`, `z`, `p_value`), per group when `groups` is given, and per-station arrays
    (`kept`, `integer_turnout`, `integer_share`, `probability`) for showing stations later."""
    registered, ballots, counted, leader = (np.asarray(a, dtype=np.int64)
                                            for a in (registered, ballots, counted, leader))
    kept = kept_stations(registered, ballots, counted, leader)
    n_t, k_t = registered[kept], ballots[kept]
    n_s, k_s = counted[kept], leader[kept]
    int_t = is_integer_percentage(k_t, n_t)
    int_s = is_integer_percentage(k_s, n_s)
    hit = int_t | int_s
    names, codes = _group_index(groups, kept)
    rng = np.random.default_rng(seed)
    p_t, p_s = k_t / n_t, k_s / n_s
    if method == "exact":
        a, b = integer_probability(n_t, p_t), integer_probability(n_s, p_s)
        prob = 1 - (1 - a) * (1 - b)
        draw = lambda m: rng.random((m, len(prob))) < prob
    elif method == "binomial":
        prob = None

        def draw(m):
            t = rng.binomial(np.broadcast_to(n_t, (m, len(n_t))), p_t)
            s = rng.binomial(np.broadcast_to(n_s, (m, len(n_s))), p_s)
            return is_integer_percentage(t, n_t) | is_integer_percentage(s, n_s)
    else:
        raise ValueError(f"method: {method!r} is not 'exact' or 'binomial'")
    null = np.empty(resamples)
    null_groups = None if names is None else np.empty((resamples, len(names)))
    if names is not None:
        order = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[order], np.arange(len(names)))
    for start in range(0, resamples, chunk):
        m = min(chunk, resamples - start)
        ind = draw(m)
        null[start:start + m] = ind.sum(axis=1)
        if names is not None:
            null_groups[start:start + m] = np.add.reduceat(ind[:, order], starts, axis=1)
    result = {"stations_kept": int(kept.sum()), **summarise(int(hit.sum()), null),
              "resamples": resamples, "method": method,
              "observed_turnout": int(int_t.sum()), "observed_share": int(int_s.sum())}
    if names is not None:
        obs = np.bincount(codes, weights=hit, minlength=len(names))
        kept_n = np.bincount(codes, minlength=len(names))
        result["groups"] = {str(g): {"stations_kept": int(kept_n[i]),
                                     **summarise(int(obs[i]), null_groups[:, i])}
                            for i, g in enumerate(names)}
    stations = {"kept": kept,
                "integer_turnout": _spread(kept, int_t), "integer_share": _spread(kept, int_s)}
    if prob is not None:
        stations["probability"] = _spread(kept, prob, fill=np.nan)
    return {"summary": result, "stations": stations}


def _spread(kept, values, fill=False):
    """Per-kept-station values back onto all stations; the others get `fill`."""
    values = np.asarray(values)
    out = np.full(len(kept), fill, dtype=values.dtype)
    out[kept] = values
    return out


def summarise(observed: int, null: np.ndarray) -> dict:
    expected = float(null.mean())
    sd = float(null.std(ddof=1)) if len(null) > 1 else 0.0
    excess = observed - expected
    # one-sided Monte Carlo p-value with the +1 correction (never exactly zero)
    p_value = (1 + int((null >= observed).sum())) / (1 + len(null))
    return {"observed": observed, "expected": round(expected, 2), "excess": round(excess, 2),
            "sd": round(sd, 2), "z": round(excess / sd, 2) if sd > 0 else None,
            "p_value": round(p_value, 4)}
