"""The forensic report on a whole election: every test on all stations, the cheap ones again per
territory, and a per-station table (which stations are integer-percentage, their fraud
probability under the Klimek model, whether they are flagged) for the pages to show."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sailau.analysis import digits, distribution, fingerprint, integer_percentages, klimek, shpilkin
from sailau.analysis.stations import StationResults

MAX_LISTED_PROBLEMS = 10_000  # cell problems listed in the JSON (all are counted)


def flagged_stations(results: StationResults, stations: dict) -> list[str]:
    """Ids of the stations the Klimek fit flags (see klimek.fit's flag_rule)."""
    flags = stations.get("flagged")
    return [] if flags is None else [str(s) for s in results.station_ids[flags]]


def analyse(results: StationResults, group_by: str | None = None, resamples: int = 1000,
            seed: int = 0, plots: str | Path | None = None) -> tuple[dict, dict]:
    """(report, per-station arrays). The report is JSON-ready."""
    groups = results.territories.get(group_by) if group_by else None
    report: dict = {
        "source": {**results.source,
                   "unusable": results.unusable,
                   "problems": results.problems[:MAX_LISTED_PROBLEMS],
                   "problems_count": len(results.problems)},
        "leader": results.leader,
        "totals": _totals(results),
    }
    stations: dict = {"station": results.station_ids, "row": results.rows,
                      "turnout": results.turnout}
    report["second_digit"] = {"variable": "ballots", "all": digits.second_digit_test(results.ballots, seed=seed)}
    report["last_digit"] = {"ballots": digits.last_digit_test(results.ballots)}
    report["distribution"] = {"turnout": distribution.shape(results.turnout)}
    if groups is not None:
        report["second_digit"]["groups"] = {
            str(g): {"stations": int(m.sum()), **digits.second_digit_test(results.ballots[m], seed=seed)}
            for g, m in _groups(groups)}
    if results.leader_votes is None:
        report["skipped"] = "no leader column: share-based tests (integer percentages, Klimek, " \
                            "Shpilkin, Sobyanin-Sukhovolsky) need one"
        return report, stations
    share = results.leader_share
    stations["leader_share"] = share
    lead, counted = results.leader_votes, results.counted
    ip = integer_percentages.integer_percentage_test(
        results.registered, results.ballots, counted, lead, groups=groups, resamples=resamples, seed=seed)
    report["integer_percentages"] = ip["summary"]
    stations.update({("integer_probability" if k == "probability" else k): v
                     for k, v in ip["stations"].items() if k != "kept"})
    stations["integer_test_kept"] = ip["stations"]["kept"]
    report["last_digit"]["leader"] = digits.last_digit_test(lead)
    report["distribution"]["leader_share"] = distribution.shape(share)
    report["sobyanin_sukhovolsky"] = distribution.sobyanin_sukhovolsky(
        results.registered, results.ballots, lead, counted)
    fit = klimek.fit(results.turnout, share, seed=seed)
    probability = fit.pop("station_probability", None)
    flags = fit.pop("station_flag", None)
    if probability is not None:
        stations["fraud_probability"] = probability
        stations["flagged"] = flags
        fit["flagged_stations"] = int(flags.sum())
    report["klimek"] = fit
    report["excess_votes"] = shpilkin.excess_votes(results.registered, results.ballots, counted, lead)
    if groups is not None:
        report["groups"] = {
            str(g): {"stations": int(m.sum()), "turnout": _ratio(results.ballots[m], results.registered[m]),
                     "leader_share": _ratio(lead[m], counted[m]),
                     "excess_votes": _no_hist(shpilkin.excess_votes(
                         results.registered[m], results.ballots[m], counted[m], lead[m])),
                     "sobyanin_sukhovolsky": distribution.sobyanin_sukhovolsky(
                         results.registered[m], results.ballots[m], lead[m], counted[m])}
            for g, m in _groups(groups)}
    if plots:
        report["plots"] = write_plots(results, plots, groups)
    return report, stations


def write_plots(results: StationResults, directory, groups=None, min_stations: int = 200) -> list[str]:
    """The fingerprint of the whole election, and of each territory with enough stations."""
    directory = Path(directory)
    share = results.leader_share
    paths = [fingerprint.render_png(
        fingerprint.histogram(results.turnout, share, results.registered),
        directory / "fingerprint.png", title=f"all stations ({len(results)})")]
    if groups is not None:
        for g, m in _groups(groups):
            if m.sum() >= min_stations:
                safe = "".join(c if c.isalnum() else "_" for c in str(g))[:60] or "blank"
                paths.append(fingerprint.render_png(
                    fingerprint.histogram(results.turnout[m], share[m], results.registered[m]),
                    directory / f"fingerprint-{safe}.png", title=f"{g} ({int(m.sum())})"))
    return [str(p) for p in paths]


def _groups(groups):
    values = np.asarray(groups, dtype=str)
    for g in np.unique(values):
        yield g, values == g


def _ratio(a, b):
    total = float(np.sum(b))
    return round(float(np.sum(a)) / total, 4) if total else None


def _no_hist(d: dict) -> dict:
    d.pop("histogram", None)
    return d


def _totals(r: StationResults) -> dict:
    out = {"stations": len(r), "registered": int(r.registered.sum()), "ballots": int(r.ballots.sum()),
           "counted": int(r.counted.sum()), "turnout": _ratio(r.ballots, r.registered)}
    if r.leader_votes is not None:
        out.update(leader_votes=int(r.leader_votes.sum()), leader_share=_ratio(r.leader_votes, r.counted))
    return out
