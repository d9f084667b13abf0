"""Shpilkin's estimate of excess votes for the leader.

Following S. Shpilkin (2009–2011, as summarised in Kobak, Shpilkin & Pshenichnikov, "Statistical
fingerprints of electoral fraud?", Significance 13(4), 2016): histogram the votes of the leader
and of everyone else by station turnout. The others' votes are taken as clean; the "clean" turnout
t0 is the mode of the others' votes histogram (smoothed with a Gaussian of `smooth` bins, the
choice is returned and can be plotted). Below t0 the leader gets k votes per vote for the others;
above t0, the leader votes beyond k times the others' votes in the same turnout bin are counted as
excess (summed with their sign: clipping each bin at zero would count noise as excess in a clean
election). The histograms are returned so that the choice of t0 can be shown."""

from __future__ import annotations

import operator

import numpy as np

from sailau.law import figures


def excess_votes(registered, ballots, counted, leader, bin_width: float = 0.005,
                 smooth: float = 2.0, min_stations: int = 20) -> dict:
    registered = np.asarray(registered, dtype=float)
    leader = np.asarray(leader, dtype=float)
    others = np.asarray(counted, dtype=float) - leader
    turnout = figures.of_list(np.asarray(ballots), registered, divide=operator.truediv)
    if len(turnout) < min_stations:
        return {"n": len(turnout), "excess": None, "reason": f"fewer than {min_stations} stations"}
    nbins = round(1 / bin_width)
    idx = np.clip((turnout / bin_width).astype(int), 0, nbins - 1)
    lead_h = np.bincount(idx, weights=leader, minlength=nbins)
    other_h = np.bincount(idx, weights=others, minlength=nbins)
    kernel_x = np.arange(-int(4 * smooth), int(4 * smooth) + 1)
    kernel = np.exp(-0.5 * (kernel_x / smooth) ** 2)
    smoothed = np.convolve(other_h, kernel / kernel.sum(), mode="same")
    peak = int(np.argmax(smoothed))
    t0 = (peak + 0.5) * bin_width
    clean = slice(0, peak + 1)
    k = lead_h[clean].sum() / max(other_h[clean].sum(), 1.0)
    above = slice(peak + 1, nbins)
    excess = float((lead_h[above] - k * other_h[above]).sum())
    total_leader, total = float(leader.sum()), float(leader.sum() + others.sum())
    return {
        "n": len(turnout),
        "clean_turnout_peak": round(t0, 4),
        "peak_choice": f"mode of the others' votes by turnout, bins of {bin_width:.3f}, "
                       f"Gaussian smoothing of {smooth:g} bins",
        "clean_ratio": round(float(k), 4),
        "clean_leader_share": round(float(k / (1 + k)), 4),
        "excess": round(excess),
        "excess_share_of_leader_votes": round(excess / total_leader, 4) if total_leader else None,
        "leader_share": round(total_leader / total, 4) if total else None,
        "leader_share_without_excess": round((total_leader - excess) / (total - excess), 4)
        if total > excess else None,
        "histogram": {"bin_width": bin_width, "leader": lead_h.round().astype(int).tolist(),
                      "others": other_h.round().astype(int).tolist()},
    }
