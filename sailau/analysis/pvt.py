"""Parallel vote tabulation (PVT) maths: sample size, sample drawing, the ratio estimator with its
variance (stratified, combined over strata with their weights), confidence intervals, and the
comparison of the official result with them. Pure numpy/scipy, no Django.

The sampling unit is the polling station (a cluster of voters); a choice's share is estimated by
the ratio of two totals, votes for the choice over ballots counted, which is what the official
result reports. Reference for the estimator and its variance: W. G. Cochran, *Sampling
Techniques*, 3rd ed. (1977), §6.4 (ratio estimator, simple random sampling) and §6.11 (the
combined ratio estimate in stratified sampling). The sample-size formula is the one of the NDI
handbook (M. Estok, N. Nevitte, G. Cowan, *The Quick Count and Election Observation*, NDI 2002,
ch. 5), with its Peru 2001 worked example. The intervals are not the textbook r ± z·se, which
covers small shares less often than it says (`_bounds`; measured in BENCHMARKS.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sailau.errors import BadInput
from sailau.languages import Text, texts

T = texts("analysis.pvt")

Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
Z99 = 2.5758293035489004  # scipy.stats.norm.ppf(0.995)


class PvtInputError(BadInput, ValueError):
    """Input the maths cannot use: `field` names it, and the message, in kk, ru and en, reads
    "field: what it must be"; `said` is what it must be alone, for a caller that names the
    field its own way (a form, an option)."""

    names_field = True

    @classmethod
    def at(cls, field: str, said: Text) -> PvtInputError:
        exc = cls(field=field, message=said)
        exc.said = said
        return exc


def between_one_and(total: int) -> Text:
    """What a sample's size must be, with `total` stations to draw from."""
    return T("between 1 and the {total} stations available").format(total=total)


# ------------------------------------------------------------------ sample size


def sample_size(registered: int, p: float, margin: float, z: float,
                turnout: float | None = None, station_size: float | None = None) -> dict:
    """Voters (and, given turnout and the mean station size, stations) needed for the margin of
    error `margin` at confidence `z`: n = P(1-P) / (E²/Z² + P(1-P)/N).

    With turnout T only n/T of the registered voters vote, so n/T registered voters must be
    covered; with stations of S registered voters that is ceil(n / (T·S)) stations."""
    if registered is None or registered < 1 or int(registered) != registered:
        raise PvtInputError.at("registered", T("a whole number of voters, at least 1"))
    if not 0 < p < 1:
        raise PvtInputError.at("p", T("a proportion strictly between 0 and 1"))
    if not 0 < margin < 1:
        raise PvtInputError.at("margin", T(
            "a proportion strictly between 0 and 1 (0.01 = 1 point)"))
    if not z > 0:
        raise PvtInputError.at("z", T("a positive number of standard errors (1.96, 2.58)"))
    if turnout is not None and not 0 < turnout <= 1:
        raise PvtInputError.at("turnout", T("a proportion in (0, 1]"))
    if station_size is not None and not station_size > 0:
        raise PvtInputError.at("station-size", T("a positive number of registered voters"))
    pq = p * (1 - p)
    exact = pq / (margin ** 2 / z ** 2 + pq / registered)
    # A sample smaller than `exact` misses the margin, so every count is rounded up (the
    # handbook prints the nearest voter, Peru 2001: 160,717.27 as 160,717; `voters_exact` keeps
    # the unrounded figure for that comparison). The 1e-9 keeps a whole result whole.
    voters = math.ceil(exact - 1e-9)
    out: dict = {"registered": int(registered), "p": p, "margin": margin, "z": z,
                 "voters_exact": round(exact, 3), "voters": voters,
                 "sampling_fraction": round(voters / registered, 6)}
    if turnout is not None:
        out["turnout"] = turnout
        out["registered_to_cover"] = math.ceil(voters / turnout - 1e-9)
        if station_size is not None:
            out["station_size"] = station_size
            out["stations"] = math.ceil(voters / (turnout * station_size) - 1e-9)
    elif station_size is not None:
        out["station_size"] = station_size
        out["stations"] = math.ceil(voters / station_size - 1e-9)  # everyone votes
    return out


# ------------------------------------------------------------------ drawing the sample


def allocate(stratum_sizes: Mapping[str, int], n: int, minimum: int = 2) -> dict[str, int]:
    """Proportional allocation of `n` sample stations to strata (largest remainders), with at
    least `minimum` per stratum (two are needed to estimate a stratum's variance) and never more
    than the stratum holds."""
    sizes = {h: int(s) for h, s in stratum_sizes.items() if s > 0}
    total = sum(sizes.values())
    if not 0 < n <= total:
        raise PvtInputError.at("size", between_one_and(total))
    keys = sorted(sizes)
    base = {h: min(sizes[h], minimum) for h in keys}
    rest = n - sum(base.values())
    if rest < 0:  # fewer than `minimum` per stratum possible: spread evenly
        base = {h: 0 for h in keys}
        rest = n
    room = {h: sizes[h] - base[h] for h in keys}
    alloc = dict(base)
    while rest > 0:
        free = [h for h in keys if room[h] > 0]
        weight = sum(sizes[h] for h in free)
        exact = {h: rest * sizes[h] / weight for h in free}
        got = 0
        for h in free:
            take = min(room[h], int(exact[h]))
            alloc[h] += take
            room[h] -= take
            got += take
        left = rest - got
        for h in sorted(free, key=lambda h: (-(exact[h] - int(exact[h])), h)):
            if left == 0:
                break
            if room[h] > 0:
                alloc[h] += 1
                room[h] -= 1
                left -= 1
        rest = left
    return alloc


def draw(units: Sequence[str], n: int, seed: int, strata: Sequence[str] | None = None,
         alloc: Mapping[str, int] | None = None) -> list[tuple[str, str]]:
    """A sample of `n` units, simple random (strata None) or stratified with proportional
    allocation, or with `alloc` (stratum -> units, e.g. `pvt_design.allocate`'s). Returns
    (unit, stratum) pairs, sorted by unit; the same seed and units (in any order) give the
    same sample."""
    order = np.argsort(np.asarray(units, dtype=str), kind="stable")
    units_sorted = [units[i] for i in order]
    labels = ["all"] * len(units) if strata is None else [strata[i] for i in order]
    rng = np.random.default_rng(seed)
    by: dict[str, list[int]] = {}
    for i, h in enumerate(labels):
        by.setdefault(h, []).append(i)
    if alloc is None:
        alloc = allocate({h: len(v) for h, v in by.items()}, n, minimum=2 if strata else 0)
    elif sum(alloc.values()) != n or any(alloc[h] > len(by.get(h, ())) for h in alloc):
        raise PvtInputError.at("allocation", T("whole stations per stratum, at most the "
                                               "stratum's, summing to {n}").format(n=n))
    chosen: list[tuple[str, str]] = []
    for h in sorted(by):
        picked = rng.choice(len(by[h]), size=alloc.get(h, 0), replace=False)
        chosen.extend((units_sorted[by[h][j]], h) for j in picked)
    return sorted(chosen)


# ------------------------------------------------------------------ estimating


@dataclass
class Interval:
    estimate: float
    se: float
    low95: float
    high95: float
    low99: float
    high99: float

    def to_json(self) -> dict:
        return {k: round(v, 6) for k, v in self.__dict__.items()}


@dataclass
class Estimate:
    reported: int
    sample: int
    population: int
    shares: dict[str, Interval] = field(default_factory=dict)
    turnout: Interval | None = None
    strata: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"reported": self.reported, "sample": self.sample, "population": self.population,
                "shares": {k: v.to_json() for k, v in self.shares.items()},
                "turnout": self.turnout.to_json() if self.turnout else None,
                "strata": self.strata}


def _combined_ratio(y: np.ndarray, x: np.ndarray, codes: np.ndarray, big_n: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Combined ratio estimate R = Ŷ/X̂ of several numerators at once (y has one column per
    numerator) and its variance (Cochran 6.11):
        Ŷ = Σ_h N_h ȳ_h,  v(R) = Σ_h N_h² (1 - f_h) s²_{d,h} / n_h / X̂²,  d = y - R x.
    Strata with a single reporting station add no variance term (it cannot be estimated)."""
    n_strata = len(big_n)
    n_h = np.bincount(codes, minlength=n_strata).astype(float)
    seen = n_h > 0
    w = np.where(seen, big_n / np.maximum(n_h, 1), 0.0)  # expansion weight per stratum
    wi = w[codes]
    x_hat = float(wi @ x)
    y_hat = wi @ y
    r = y_hat / x_hat if x_hat > 0 else np.full(y.shape[1], np.nan)
    d = y - np.outer(x, r)
    # per-stratum sample variance of d, vectorised with bincount over columns
    sums = np.stack([np.bincount(codes, weights=d[:, j], minlength=n_strata)
                     for j in range(d.shape[1])], axis=1)
    sq = np.stack([np.bincount(codes, weights=d[:, j] ** 2, minlength=n_strata)
                   for j in range(d.shape[1])], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / np.maximum(n_h, 1)[:, None]
        s2 = (sq - n_h[:, None] * mean ** 2) / np.maximum(n_h - 1, 1)[:, None]
        f = np.where(seen, n_h / np.maximum(big_n, 1), 1.0)
        term = np.where((n_h > 1)[:, None], (big_n ** 2 * (1 - f) / np.maximum(n_h, 1))[:, None]
                        * np.maximum(s2, 0), 0.0)
    var = term.sum(axis=0) / x_hat ** 2 if x_hat > 0 else np.full(y.shape[1], np.nan)
    return r, var


def _shape(y: np.ndarray, x: np.ndarray, codes: np.ndarray, big_n: np.ndarray, r: np.ndarray,
           var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How far the normal approximation can be trusted, per numerator: the effective degrees of
    freedom of v(R) and the skewness of R, both from the strata's moments of d = y - R x.

    Degrees of freedom: 2 v² / Var(v), with Var(s²_h) from the stratum's fourth moment (not the
    n_h - 1 of normal data, Satterthwaite's): a small share whose votes sit in a few stations of
    one stratum has a v(R) that is itself unreliable, and gets a wider t quantile.
    Skewness: the third central moment of the linearised estimate,
    Σ_h N_h³ (1-f_h)(1-2f_h) k3_h / n_h² / X̂³ (k3_h the unbiased third cumulant), over se³."""
    n_strata = len(big_n)
    n_h = np.bincount(codes, minlength=n_strata).astype(float)
    d = y - np.outer(x, r)

    def per_stratum(values):
        return np.stack([np.bincount(codes, weights=values[:, j], minlength=n_strata)
                         for j in range(values.shape[1])], axis=1)

    safe = np.maximum(n_h, 1)[:, None]
    dev = d - (per_stratum(d) / safe)[codes]
    m2, m3, m4 = (per_stratum(dev ** k) / safe for k in (2, 3, 4))
    f = np.where(n_h > 0, n_h / np.maximum(big_n, 1), 1.0)[:, None]
    several = (n_h > 1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(several, m2 * (n_h / np.maximum(n_h - 1, 1))[:, None], 0.0)
        weight = np.where(several, (big_n ** 2)[:, None] * (1 - f) / safe, 0.0)
        var_s2 = np.where(several, np.maximum(
            (m4 - s2 ** 2 * ((n_h - 3) / np.maximum(n_h - 1, 1))[:, None]) / safe,
            2 * s2 ** 2 / np.maximum(n_h - 1, 1)[:, None]), 0.0)
        df = 2 * (weight * s2).sum(axis=0) ** 2 / (weight ** 2 * var_s2).sum(axis=0)
        k3 = np.where((n_h > 2)[:, None],
                      m3 * (n_h ** 2 / np.maximum((n_h - 1) * (n_h - 2), 1))[:, None], 0.0)
        x_hat = float((big_n / safe[:, 0])[codes] @ x)
        mu3 = ((big_n ** 3)[:, None] * (1 - f) * (1 - 2 * f) / safe ** 2 * k3).sum(axis=0)
        skew = mu3 / x_hat ** 3 / var ** 1.5
    return df, skew


def _bounds(r: float, se: float, q: float, skew: float) -> tuple[float, float]:
    """The interval for a share (0..1) with standard error se and quantile q.

    Three corrections to r ± z·se, each for what makes that interval too short for small
    shares, measured on Russia 2018 (BENCHMARKS.md): the bounds are computed on the logit scale
    (asymmetric, inside 0..1); q is Student's t at the effective degrees of freedom of `_shape`
    instead of the normal quantile; and the skewed side is widened by the Cornish-Fisher term
    (2q² + 1)/6 · skewness (P. Hall, The Bootstrap and Edgeworth Expansion, 1992, §3.5), while
    the other side is never narrowed (the sample's skewness is itself noisy: shifting both
    sides only moved misses from one side to the other)."""
    if not (se > 0 and 0 < r < 1 and math.isfinite(se) and math.isfinite(q)):
        return max(r - q * se, 0.0), min(r + q * se, 1.0)
    shift = (2 * q * q + 1) / 6 * skew if math.isfinite(skew) else 0.0
    logit, slope = math.log(r / (1 - r)), 1 / (r * (1 - r))
    low = logit - (q - min(shift, 0.0)) * se * slope
    high = logit + (q + max(shift, 0.0)) * se * slope
    return 1 / (1 + math.exp(-low)), 1 / (1 + math.exp(-high))


def _intervals(y: np.ndarray, x: np.ndarray, codes: np.ndarray, big_n: np.ndarray
               ) -> list[Interval]:
    """One interval per column of y: the combined ratio, its variance and the bounds."""
    from scipy.stats import t as student

    r, var = _combined_ratio(y, x, codes, big_n)
    se = np.sqrt(np.maximum(var, 0))
    df, skew = _shape(y, x, codes, big_n, r, var)
    usable = np.isfinite(df) & (df > 0)
    q95 = np.where(usable, student.ppf(0.975, np.where(usable, df, 1.0)), Z95)
    q99 = np.where(usable, student.ppf(0.995, np.where(usable, df, 1.0)), Z99)
    out = []
    for j in range(len(r)):
        low95, high95 = _bounds(float(r[j]), float(se[j]), float(q95[j]), float(skew[j]))
        low99, high99 = _bounds(float(r[j]), float(se[j]), float(q99[j]), float(skew[j]))
        out.append(Interval(float(r[j]), float(se[j]), low95, high95, low99, high99))
    return out


def estimate(votes: np.ndarray, counted: np.ndarray, names: Sequence[str],
             strata: Sequence[str] | np.ndarray, population: Mapping[str, int],
             ballots: np.ndarray | None = None, voters: np.ndarray | None = None,
             sample_size_: int | None = None) -> Estimate:
    """Estimates from the sample stations that have reported.

    votes: (n, k) votes per choice; counted: (n,) ballots counted (valid + invalid; the share's
    denominator); strata: each reporting station's stratum; population: stratum -> number of
    stations in it (the stratum weights). Turnout (ballots / voters on the list) is estimated
    the same way when `ballots` and `voters` are given. The intervals are `_bounds`'s."""
    votes = np.asarray(votes, dtype=float)
    counted = np.asarray(counted, dtype=float)
    n = len(counted)
    if votes.shape != (n, len(names)):
        shape, got = f"({n}, {len(names)})", str(votes.shape)
        raise PvtInputError.at("votes", T(
            "expected shape {shape}, got {got}").format(shape=shape, got=got))
    keys = sorted(population)
    index = {h: i for i, h in enumerate(keys)}
    try:
        codes = np.fromiter((index[h] for h in strata), dtype=np.int64, count=n)
    except KeyError as exc:
        h = repr(exc.args[0])
        raise PvtInputError.at("strata", T(
            "stratum {h} is not in the population").format(h=h)) from None
    big_n = np.array([population[h] for h in keys], dtype=float)
    out = Estimate(reported=n, sample=sample_size_ or n, population=int(big_n.sum()))
    counts = np.bincount(codes, minlength=len(keys))
    out.strata = {h: {"stations": int(population[h]), "reported": int(counts[i])}
                  for i, h in enumerate(keys)}
    if n == 0:
        return out
    out.shares = dict(zip(names, _intervals(votes, counted, codes, big_n),
                          strict=True))
    if ballots is not None and voters is not None:
        out.turnout = _intervals(np.asarray(ballots, dtype=float)[:, None],
                                 np.asarray(voters, dtype=float), codes, big_n)[0]
    return out


def compare(est: Estimate, official_shares: Mapping[str, float],
            official_turnout: float | None = None) -> list[dict]:
    """Each official figure against the intervals: "inside", "outside95" (outside the 95%
    interval only) or "outside99" (outside both): flagged when outside."""
    rows = []
    items = [(k, est.shares.get(k), official_shares.get(k)) for k in est.shares]
    if est.turnout is not None and official_turnout is not None:
        items.append(("turnout", est.turnout, official_turnout))
    for key, iv, off in items:
        if iv is None or off is None:
            continue
        if not iv.low99 <= off <= iv.high99:
            status = "outside99"
        elif not iv.low95 <= off <= iv.high95:
            status = "outside95"
        else:
            status = "inside"
        rows.append({"key": key, "official": round(float(off), 6), "estimate": round(iv.estimate, 6),
                     "low95": round(iv.low95, 6), "high95": round(iv.high95, 6),
                     "low99": round(iv.low99, 6), "high99": round(iv.high99, 6),
                     "difference": round(float(off) - iv.estimate, 6),
                     "status": status, "flagged": status != "inside"})
    return rows
