"""Digit tests on vote counts.

- Second-digit Benford (2BL, Mebane, "Election forensics: vote counts and Benford's law", 2006):
  the mean of the second significant digit of counts >= 10; under Benford's law it is 4.187.
  The interval is a bootstrap over stations (resampling the digits' counts multinomially, which
  is the same as resampling stations with replacement).
- Last digit (Beber & Scacco, "What the numbers say", Political Analysis 2012): last digits of
  counts >= 10 should be uniform; chi-square test.
- 0/5: the share of last digits that are 0 or 5 should be 0.2; a binomial test (rounding to
  "nice" numbers when counts are invented raises it).
"""

from __future__ import annotations

import numpy as np

# P(second digit = d) under Benford's law: sum over first digits k of log10(1 + 1/(10k + d)).
BENFORD_SECOND = np.array([sum(np.log10(1 + 1 / (10 * k + d)) for k in range(1, 10))
                           for d in range(10)])
BENFORD_SECOND_MEAN = float((np.arange(10) * BENFORD_SECOND).sum())  # 4.187


def second_digits(counts: np.ndarray) -> np.ndarray:
    """Second significant digit of every count >= 10 (smaller counts have none)."""
    x = np.asarray(counts, dtype=np.int64)
    x = x[x >= 10]
    magnitude = np.floor(np.log10(x)).astype(np.int64)
    # guard against log10 rounding just below a power of ten
    magnitude += (x >= 10 ** (magnitude + 1)).astype(np.int64)
    magnitude -= (x < 10 ** magnitude).astype(np.int64)
    return (x // 10 ** (magnitude - 1)) % 10


def second_digit_test(counts, resamples: int = 1000, seed: int = 0, level: float = 0.95) -> dict:
    """2BL mean with a bootstrap interval; `consistent` says whether 4.187 is inside it."""
    d = second_digits(counts)
    n = len(d)
    if n == 0:
        return {"mean": None, "n": 0, "ci": None, "expected": round(BENFORD_SECOND_MEAN, 3)}
    freq = np.bincount(d, minlength=10)
    rng = np.random.default_rng(seed)
    boot = rng.multinomial(n, freq / n, size=resamples) @ np.arange(10) / n
    alpha = (1 - level) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    from scipy.stats import chisquare

    chi = chisquare(freq, BENFORD_SECOND * n)
    return {"mean": round(float(d.mean()), 3), "n": int(n), "ci": [round(float(lo), 3), round(float(hi), 3)],
            "expected": round(BENFORD_SECOND_MEAN, 3),
            "consistent": bool(lo <= BENFORD_SECOND_MEAN <= hi),
            "chi2": round(float(chi.statistic), 2), "chi2_p": float(f"{chi.pvalue:.4g}")}


def last_digit_test(counts, minimum: int = 10) -> dict:
    """Uniformity of last digits of counts >= `minimum` (chi-square), and the 0/5 share."""
    from scipy.stats import binomtest, chisquare

    x = np.asarray(counts, dtype=np.int64)
    x = x[x >= minimum]
    if len(x) == 0:
        return {"n": 0}
    last = x % 10
    freq = np.bincount(last, minlength=10)
    chi = chisquare(freq)
    zero_five = int(freq[0] + freq[5])
    test = binomtest(zero_five, len(x), 0.2, alternative="greater")
    return {"n": len(x), "frequencies": freq.tolist(),
            "chi2": round(float(chi.statistic), 2), "chi2_p": float(f"{chi.pvalue:.4g}"),
            "zero_five": {"share": round(zero_five / len(x), 4), "expected": 0.2,
                          "p_value": float(f"{test.pvalue:.4g}")}}
