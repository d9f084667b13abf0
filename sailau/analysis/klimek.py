"""The fraud model of Klimek, Yegorov, Hanel & Thurner, "Statistical detection of systematic
election irregularities", PNAS 109(41):16469–16473, 2012, fitted to an election's fingerprint.

Model, as we read the paper's Methods: in a clean station turnout t ~ N(t_mean, t_sd) and the
leader's share v ~ N(v_mean, v_sd). With probability f_i a station has incremental fraud: a
fraction x ~ |N(0, sigma_x)| of the non-voters' ballots is added for the leader and a fraction
x**alpha of the other candidates' votes is moved to the leader; with probability f_e it has extreme
fraud, the same with x ~ 1 - |N(0, sigma_x)| (nearly everything goes to the leader).

Fit: t_mean, v_mean are the modes of the data (the clean peak), t_sd, v_sd the spread on the left
of each mode (the side fraud does not reach). For each (alpha, sigma_x) on a grid the expected
fingerprint of each kind of station (clean, incremental, extreme) is simulated once; because the
model's expected fingerprint is the mixture (1-f_i-f_e)*C + f_i*I + f_e*E, f_i and f_e then follow
from a constrained least-squares fit to the data's fingerprint (the paper's criterion, without
re-simulating for each f). Each station also gets the model's probability that it is fraudulent
given its fingerprint cell, usable as a per-station flag.
"""

from __future__ import annotations

import numpy as np

ALPHAS = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0)
# sigma_x below ~0.1 makes incremental fraud indistinguishable from the clean peak's own spread,
# so f_i would only absorb the misfit of the Gaussian peak (seen on the Canadian control).
SIGMAS = (0.1, 0.15, 0.2, 0.3, 0.4)
FLAG_PROBABILITY = 0.5
FLAG_SDS = 2.0


def fingerprint_counts(turnout, share, bins: int) -> np.ndarray:
    """Number of stations per (turnout, share) cell, bins x bins over [0, 1]^2."""
    ti = np.clip((np.asarray(turnout) * bins).astype(int), 0, bins - 1)
    si = np.clip((np.asarray(share) * bins).astype(int), 0, bins - 1)
    return np.bincount(ti * bins + si, minlength=bins * bins).astype(float)


def clean_peak(values: np.ndarray, bin_width: float = 0.005, smooth: float = 3.0) -> tuple[float, float]:
    """Centre and spread of the clean peak of a distribution on [0, 1]: the mode of a smoothed
    histogram, refined as the mean within one spread of it (symmetric around a Gaussian peak,
    and short enough to keep out a fraud tail), with the spread measured on the left side."""
    nbins = round(1 / bin_width)
    h = np.bincount(np.clip((values / bin_width).astype(int), 0, nbins - 1), minlength=nbins)
    x = np.arange(-int(4 * smooth), int(4 * smooth) + 1)
    k = np.exp(-0.5 * (x / smooth) ** 2)
    centre = (np.argmax(np.convolve(h, k / k.sum(), mode="same")) + 0.5) * bin_width
    sd = 0.05
    for _ in range(5):
        left = values[values <= centre]
        sd = float(np.sqrt(np.mean((left - centre) ** 2))) if len(left) > 1 else 0.05
        sd = max(sd, 1e-3)
        near = values[np.abs(values - centre) <= sd]
        if len(near) < 10:
            break
        centre = float(near.mean())
    return float(centre), sd


def simulate(kind: str, size: int, t_mean, t_sd, v_mean, v_sd, alpha, sigma_x, rng):
    """Turnout and share of `size` model stations of one kind ('clean', 'incremental', 'extreme')."""
    t = np.clip(rng.normal(t_mean, t_sd, size), 0.0, 1.0)
    v = np.clip(rng.normal(v_mean, v_sd, size), 0.0, 1.0)
    if kind == "clean":
        return t, v
    x = np.abs(rng.normal(0.0, sigma_x, size))
    x = np.clip(x if kind == "incremental" else 1.0 - x, 0.0, 1.0)
    stuffed = x * (1 - t)
    stolen = x ** alpha * t * (1 - v)
    t_new = t + stuffed
    v_new = np.where(t_new > 0, (t * v + stuffed + stolen) / np.maximum(t_new, 1e-12), v)
    return t_new, np.clip(v_new, 0.0, 1.0)


def _mixture_fit(d, c, i, e, w):
    """argmin sum w*(d - c - fi(i-c) - fe(e-c))^2 over fi, fe >= 0, fi + fe <= 1 (a 2-variable
    QP: the unconstrained optimum, else the best point on the three edges)."""
    sw = np.sqrt(w)
    a = np.stack([i - c, e - c], axis=1) * sw[:, None]
    y = (d - c) * sw

    def loss(f):
        r = y - a @ f
        return float(r @ r)

    candidates = []
    f, *_ = np.linalg.lstsq(a, y, rcond=None)
    if f[0] >= 0 and f[1] >= 0 and f.sum() <= 1:
        candidates.append(f)
    for col in (0, 1):  # one of the two at zero
        denom = a[:, col] @ a[:, col]
        g = np.clip((a[:, col] @ y) / denom, 0, 1) if denom > 0 else 0.0
        f1 = np.zeros(2)
        f1[col] = g
        candidates.append(f1)
    diff = a[:, 0] - a[:, 1]  # fi + fe = 1: fi = s, fe = 1 - s
    denom = diff @ diff
    s = np.clip(((y - a[:, 1]) @ diff) / denom, 0, 1) if denom > 0 else 0.0
    candidates.append(np.array([s, 1 - s]))
    best = min(candidates, key=loss)
    return best, loss(best)


def fit(turnout, share, bins: int = 50, alphas=ALPHAS, sigmas=SIGMAS, seed: int = 0,
        model_size: int | None = None) -> dict:
    """Fit f_i, f_e, alpha (and sigma_x) to the stations' turnout and leader share."""
    turnout = np.asarray(turnout, dtype=float)
    share = np.asarray(share, dtype=float)
    ok = np.isfinite(turnout) & np.isfinite(share)
    turnout, share = turnout[ok], share[ok]
    n = len(turnout)
    if n < 100:
        return {"n": n, "f_i": None, "f_e": None, "alpha": None, "reason": "fewer than 100 stations"}
    t_mean, t_sd = clean_peak(turnout)
    v_mean, v_sd = clean_peak(share)
    size = model_size or int(min(max(4 * n, 50_000), 200_000))
    data = fingerprint_counts(turnout, share, bins) / n
    # Neyman chi-square weights (1 / observed count): a least-squares fit on raw fractions is
    # ruled by the dense clean peak; these weigh each cell by its Poisson precision.
    weights = 1.0 / np.maximum(data * n, 1.0)
    rng = np.random.default_rng(seed)
    clean = fingerprint_counts(*simulate("clean", size, t_mean, t_sd, v_mean, v_sd, 1, 0, rng), bins) / size
    best = None
    for alpha in alphas:
        for sigma in sigmas:
            # common random numbers: every grid point sees the same draws
            r1, r2 = np.random.default_rng(seed + 1), np.random.default_rng(seed + 2)
            inc = fingerprint_counts(*simulate("incremental", size, t_mean, t_sd, v_mean, v_sd, alpha, sigma, r1), bins) / size
            ext = fingerprint_counts(*simulate("extreme", size, t_mean, t_sd, v_mean, v_sd, alpha, sigma, r2), bins) / size
            f, loss = _mixture_fit(data, clean, inc, ext, weights)
            if best is None or loss < best[0]:
                best = (loss, f, alpha, sigma, inc, ext)
    loss, f, alpha, sigma, inc, ext = best
    f_i, f_e = float(f[0]), float(f[1])
    fraud = f_i * inc + f_e * ext
    model = (1 - f_i - f_e) * clean + fraud
    with np.errstate(divide="ignore", invalid="ignore"):
        posterior_cell = np.where(model > 0, fraud / model, 0.0)
    ti = np.clip((turnout * bins).astype(int), 0, bins - 1)
    si = np.clip((share * bins).astype(int), 0, bins - 1)
    probability = np.full(len(ok), np.nan)
    probability[ok] = posterior_cell[ti * bins + si]
    # A flag needs both: the fitted model says fraud is more likely than not in the station's
    # cell, and the station lies beyond the clean peak in turnout and share (where the model's
    # fraud moves stations); the second keeps a misfit of the Gaussian peak from flagging
    # ordinary stations (seen on the Canadian control, whose winners' shares are not Gaussian).
    flag = np.zeros(len(ok), dtype=bool)
    flag[ok] = ((posterior_cell[ti * bins + si] > FLAG_PROBABILITY)
                & (turnout > t_mean + FLAG_SDS * t_sd) & (share > v_mean + FLAG_SDS * v_sd))
    null_loss = float((weights * (data - clean) ** 2).sum())
    return {
        "n": n, "f_i": round(f_i, 4), "f_e": round(f_e, 4), "alpha": alpha, "sigma_x": sigma,
        "clean": {"turnout_mean": round(t_mean, 4), "turnout_sd": round(t_sd, 4),
                  "share_mean": round(v_mean, 4), "share_sd": round(v_sd, 4)},
        "residual": float(f"{loss:.4g}"), "residual_without_fraud": float(f"{null_loss:.4g}"),
        "explained": round(1 - loss / null_loss, 4) if null_loss > 0 else None,
        "bins": bins, "station_probability": probability, "station_flag": flag,
        "flag_rule": f"fraud probability in the station's fingerprint cell > {FLAG_PROBABILITY} and "
                     f"turnout and share both more than {FLAG_SDS:g} clean sd above the clean peak",
    }
