"""Per-station integrity criteria: each named, with a stable code, explained in Kazakh, Russian and
English, and returning the numbers that lit it. A station's status follows from explicit rules
(`RULES`), never from a score: "flagged" when any strong criterion is lit, "watch" when only weak
ones are, "clear" otherwise.

Pure Python + numpy, no Django. What each criterion is and says (code, strength, kk/ru/en texts)
is in `criteria_catalogue.py`. The official figures give the first criteria (I01–I09). The others
(observers' copies, scans, amendments, step times, observers' assessments, incidents) take their
data as optional inputs keyed by station id, so that they light up as soon as the part of the
system that produces the data passes it in.

Outliers use the modified z-score of Iglewicz & Hoaglin ("How to Detect and Handle Outliers",
ASQC 1993): z = (x - median) / (1.4826 * MAD) within the station's district, an outlier beyond
3.5. A floor on the scale keeps a district of near-identical stations from turning a
one-point difference into an outlier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sailau.analysis import evening, stuffing
from sailau.analysis.criteria_catalogue import (
    BY_KEY,
    CLEAR,
    CRITERIA,
    FLAGGED,
    STATUSES,
    STRONG,
    WATCH,
)
from sailau.analysis.integer_percentages import (
    integer_probability,
    is_integer_percentage,
    kept_stations,
)
from sailau.analysis.stations import divide
from sailau.law import figures

Z_OUTLIER = 3.5  # Iglewicz & Hoaglin's cut for the modified z-score
MIN_GROUP = 10  # fewer stations in a district: compare within the territory instead
TURNOUT_SCALE_FLOOR = 0.02  # 2 percentage points
SHARE_SCALE_FLOOR = 0.02
MOBILE_SCALE_FLOOR = 0.01
MOBILE_MIN_SHARE = 0.05  # a district outlier below 5% of ballots is not worth a flag
MOBILE_ANY_SHARE = 0.25  # a quarter of all ballots cast outside the room is extreme anywhere
LATE_HOURS = 12  # the law gives the count at most 12 hours after the polls close
# Control relations whose breach means more ballots in a box than were issued for it.
EXTRA_BALLOT_CODES = ("201", "202", "204")
NOT_A_LEADER = frozenset({"against_all", "both_marked"})


@dataclass
class StationTable:
    """The official figures of one contest, one row per station (arrays aligned).

    `figures` and `choices` are the protocol dicts as stored; `district` is the group within
    which outliers are judged, `territory` the wider one used when a district is too small."""

    station_ids: list[str]
    district: list[str]
    territory: list[str]
    figures: list[Mapping[str, int]]
    choices: list[Mapping[str, int]]
    findings: list[list[dict]] = field(default_factory=list)  # control findings, per station
    # each station's kind among its peers (`stuffing.PEER_KINDS`); empty: not known, the
    # territory alone is the peer group (criterion I21)
    kind: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.station_ids)

    def column(self, *keys: str) -> np.ndarray:
        """Sum of protocol lines, 0 where a line is absent."""
        return np.array([sum(int(f.get(k, 0)) for k in keys) for f in self.figures], dtype=np.int64)

    def choice_keys(self) -> list[str]:
        keys: dict[str, None] = {}
        for c in self.choices:
            keys.update(dict.fromkeys(c))
        return list(keys)

    def votes(self, key: str) -> np.ndarray:
        return np.array([int(c.get(key, 0)) for c in self.choices], dtype=np.int64)


def check_findings(form, figures: Sequence[Mapping], choices: Sequence[Mapping]) -> list[list[dict]]:
    """Control relation findings per station, from the rule set's protocol form (sailau.law)."""
    return [[f.to_json() for f in form.check(fig, ch)] for fig, ch in zip(figures, choices)]


def leader_of(table: StationTable) -> str | None:
    """The choice with the most votes in total (never 'against all')."""
    totals = {k: int(table.votes(k).sum()) for k in table.choice_keys() if k not in NOT_A_LEADER}
    return max(totals, key=totals.get) if totals else None


# ---------------------------------------------------------------- robust statistics

def robust_z(values: np.ndarray, groups: np.ndarray, fallback: np.ndarray | None = None,
             floor: float = 0.0, min_group: int = MIN_GROUP):
    """Modified z-score of each value within its group: (x - median) / max(1.4826 MAD, floor).
    Groups with fewer than `min_group` finite values use `fallback` groups, then the whole
    table. Returns (z, median, scale, group used) arrays; NaN values give NaN z."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    z, med, scale = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    used = np.full(n, "", dtype=object)
    finite = np.isfinite(values)
    todo = np.ones(n, dtype=bool)
    levels = [np.asarray(groups, dtype=str)]
    if fallback is not None:
        levels.append(np.asarray(fallback, dtype=str))
    levels.append(np.full(n, "*", dtype=object).astype(str))
    for level_no, labels in enumerate(levels):
        last = level_no == len(levels) - 1
        for g in np.unique(labels[todo]):
            # the stations still to judge are compared with every station of the wider group
            members = todo & (labels == g)
            sample = values[(labels == g) & finite]
            if len(sample) < min_group and not last:
                continue
            if len(sample) == 0:
                todo &= ~members
                continue
            m = float(np.median(sample))
            s = max(1.4826 * float(np.median(np.abs(sample - m))), floor)
            med[members], scale[members], used[members] = m, s, g
            with np.errstate(invalid="ignore", divide="ignore"):
                z[members] = (values[members] - m) / s if s > 0 else 0.0
            todo &= ~members
        if not todo.any():
            break
    return z, med, scale, used


# ---------------------------------------------------------------- evaluation

@dataclass
class Verdict:
    station: str
    status: str
    rule: str
    flags: list[dict]  # {code, key, strength, evidence}

    @property
    def codes(self) -> list[str]:
        return [f["code"] for f in self.flags]

    def to_json(self) -> dict:
        return {"station": self.station, "status": self.status, "rule": self.rule,
                "flags": self.flags}


def _r(x, digits=4):
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


def evaluate(table: StationTable, leader: str | None = None, *,
             model_flags: Mapping[str, float] | None = None,
             observer_copies: Mapping[str, Iterable[Mapping]] | None = None,
             scans: Mapping[str, Iterable[Mapping]] | None = None,
             amendments: Mapping[str, Iterable[Mapping]] | None = None,
             step_times: Mapping[str, Mapping] | None = None,
             assessments: Mapping[str, Iterable[Mapping]] | None = None,
             incidents: Mapping[str, Iterable[Mapping]] | None = None,
             verified_readings: Mapping[str, Iterable[Mapping]] | None = None,
             video_gaps: Mapping[str, Mapping] | None = None,
             observer_counts: Mapping[str, Iterable[Mapping]] | None = None,
             evening_reports: Mapping[str, Mapping] | None = None) -> list[Verdict]:
    """Every criterion on every station of `table`, then each station's status by `RULES`.

    Optional inputs, keyed by station id (stations absent from them are not judged on them):
    - model_flags: station -> fraud probability of its fingerprint cell, for the stations the
      Klimek fit flags (see sailau.analysis.klimek.fit);
    - observer_copies: [{"observer", "figures", "choices"}] certified copies;
    - scans: [{"status": match|mismatch|unreadable, "reason", "mismatches"}];
    - amendments: [{"version", "decision_number", "decision_date", "reason"}];
    - step_times: {"polls_closed": datetime, "definitive": datetime} (or ISO strings);
    - assessments: [{"stage", "negative": bool, "observer", "answers"}] (`answers`: the
      counting checklist's items that speak of stuffing, see `stuffing.observer_corroborates`);
    - incidents: [{"kind", "summary"}];
    - verified_readings: [{"image", "source", "verified_by", "differences"}], the images whose
      volunteers' verified reading differs from the official protocol;
    - video_gaps: {"window", "gaps", "ends_before_signing", "covered_seconds"}, the stations
      with a camera whose count window recordings do not cover (sailau.video.coverage);
    - observer_counts: [{"observer", "moment", "at", "voters"}], observers' counts of the
      voters who had received ballots (criteria I19 and I22, see `stuffing.count_checks`);
    - evening_reports: {"hour", "issued", "received"}, the commission's own report of the
      ballots issued by the evening hour (criterion I23, see `evening`); `received`, when it
      came outside its hour's window: {"verdict": "late" or "early", "at", "until"} (a late one
      is flagged, neither is judged among the peers)."""
    n = len(table)
    flags: list[list[dict]] = [[] for _ in range(n)]
    ids = [str(s) for s in table.station_ids]

    def lit(i: int, key: str, evidence: dict) -> None:
        c = BY_KEY[key]
        flags[i].append({"code": c.code, "key": key, "strength": c.strength, "evidence": evidence})

    # The protocol's lines the law's figures (`sailau.law.figures`) are made of, as columns.
    lines = {k: table.column(k) for k in ("voters_on_list", *figures.ISSUED, *figures.NOT_VOTES)}
    voters = lines["voters_on_list"]
    issued = figures.issued(lines)
    in_boxes = table.column("found_stationary", "found_mobile")

    # I01–I03: the control relations of the rule set's form.
    for i, found in enumerate(table.findings or [[]] * n):
        errors = [f for f in found if f["severity"] == "error"]
        extra = [f for f in found if f["severity"] == "warning" and f["code"][1:] in EXTRA_BALLOT_CODES]
        other = [f for f in found if f["severity"] == "warning" and f not in extra]
        for key, group in (("control_error", errors), ("more_ballots_than_issued", extra),
                           ("control_warning", other)):
            if group:
                ev = {"findings": group}
                if key == "more_ballots_than_issued" and in_boxes[i] > issued[i]:
                    ev["votes_in_question"] = int(in_boxes[i] - issued[i])
                lit(i, key, ev)

    mobile = table.column("issued_mobile")
    keys = table.choice_keys()
    votes = {k: table.votes(k) for k in keys}
    counted = figures.counted(lines, votes)  # the ballots found: the base of every share here
    turnout = figures.turnout_fraction(lines, divide)
    shares = {k: figures.share_fraction(v, counted, divide) for k, v in votes.items()}
    mobile_share = divide(mobile, issued)
    district = np.asarray(table.district, dtype=str)
    territory = np.asarray(table.territory, dtype=str)

    def added_estimate(i: int, median_turnout: float) -> int | None:
        """Ballots beyond the peers' median turnout: what the figures suggest was added."""
        if not np.isfinite(turnout[i]) or not np.isfinite(median_turnout):
            return None
        return max(0, round(float((turnout[i] - median_turnout) * voters[i])))

    tz, tmed, _, tgroup = robust_z(turnout, district, territory, TURNOUT_SCALE_FLOOR)

    # I04: turnout of 100% or over (exact integer comparison); in question, the ballots beyond
    # the district's median turnout.
    for i in np.flatnonzero((voters > 0) & (issued >= voters)):
        lit(i, "turnout_100", {"voters_on_list": int(voters[i]), "issued": int(issued[i]),
                               "turnout": _r(turnout[i]),
                               "votes_in_question": added_estimate(i, tmed[i])})

    # I05: turnout a high outlier in its district (stuffing raises it; low outliers are not flagged).
    high_turnout = tz > Z_OUTLIER
    for i in np.flatnonzero(high_turnout):
        lit(i, "turnout_outlier", {"turnout": _r(turnout[i]), "group_median": _r(tmed[i]),
                                   "z": _r(tz[i], 2), "group": str(tgroup[i])})

    # I06: a choice's share an outlier, either way (votes moved away show as a low outlier).
    share_hits: list[list[dict]] = [[] for _ in range(n)]
    leader_z = leader_median = None
    for k in keys:
        sz, smed, _, sgroup = robust_z(shares[k], district, territory, SHARE_SCALE_FLOOR)
        for i in np.flatnonzero(np.abs(sz) > Z_OUTLIER):
            share_hits[i].append({"choice": k, "share": _r(shares[k][i]), "group_median": _r(smed[i]),
                                  "z": _r(sz[i], 2), "group": str(sgroup[i])})
        if k == leader:
            leader_z, leader_median = sz, smed
    for i, hits in enumerate(share_hits):
        if hits:
            lit(i, "share_outlier", {"leader": leader, "choices": hits})

    # I19: the official ballots issued above the observer's count of voters at the close. Read
    # before the fingerprints: a closing count that agrees outweighs them (I22).
    counts = {}
    if observer_counts:
        closes = {sid: t.get("polls_closed") for sid, t in (step_times or {}).items()}
        counts = stuffing.count_checks(dict(zip(ids, map(int, issued))), observer_counts, closes)
    for i, sid in enumerate(ids):
        if sid in counts and counts[sid]["exceeded"]:
            lit(i, "observer_count_exceeded",
                {**{k: v for k, v in counts[sid].items() if k != "exceeded"},
                 "votes_in_question": counts[sid]["excess"]})
    outweighed: dict[int, dict] = {}  # station -> the fingerprint its observer's count outweighs

    def fingerprint(i: int, key: str, evidence: dict) -> None:
        """Light I16 or I21, or I22 where the observer's closing count agrees."""
        count = counts.get(ids[i])
        if count is None or count["exceeded"]:
            lit(i, key, evidence)
        elif i not in outweighed:
            outweighed[i] = {**evidence, "observer_count": count["observer_count"],
                             "issued": count["issued"], "observer": count["observer"]}

    # I16 / I20: turnout and the leader's share both high in the district (see `stuffing`).
    if leader_z is not None:
        bar = stuffing.joint_bar(tz, leader_z)
        both = np.minimum(tz, leader_z)
        for i in np.flatnonzero(both > stuffing.Z_BOTH_CORROBORATED):
            said = stuffing.observer_corroborates((assessments or {}).get(ids[i]),
                                                  (incidents or {}).get(ids[i]))
            strong = (bar is not None and both[i] >= bar) or bool(said)
            if not strong and both[i] <= stuffing.Z_BOTH:
                continue
            light = fingerprint if strong else lit
            light(i, "stuffing_signature" if strong else "turnout_share_both_high", {
                "turnout": _r(turnout[i]), "turnout_median": _r(tmed[i]), "turnout_z": _r(tz[i], 2),
                "leader": leader, "leader_share": _r(shares[leader][i]),
                "leader_share_median": _r(leader_median[i]), "leader_share_z": _r(leader_z[i], 2),
                "both_z": _r(both[i], 2), "bar": None if bar is None else _r(bar, 2),
                "observers": said, "group": str(tgroup[i]),
                "ballots_added_estimate": added_estimate(i, tmed[i])})

    # I21: turnout and the leader's share jointly high among the station's peers.
    if leader_z is not None:
        peers, known = territory, len(table.kind) == n
        if known:
            peers = np.char.add(np.char.add(territory, "/"), np.asarray(table.kind, dtype=str))
        # on the log-odds (Klimek et al.'s logarithmic rates): bounded proportions made
        # symmetric, so that the mirror below estimates the chance ones above
        ptz, ptmed, _, pgroup = robust_z(stuffing.log_odds(turnout), peers, territory,
                                         stuffing.LOG_ODDS_SCALE_FLOOR)
        psz, psmed, _, _ = robust_z(stuffing.log_odds(shares[leader]), peers, territory,
                                    stuffing.LOG_ODDS_SCALE_FLOOR)
        ptmed, psmed = stuffing.proportion(ptmed), stuffing.proportion(psmed)
        joint = stuffing.joint_z(ptz, psz)
        jbar = stuffing.joint_sum_bar(joint)
        for i in np.flatnonzero(joint >= stuffing.JOINT_CORROBORATED):
            said = stuffing.observer_corroborates((assessments or {}).get(ids[i]),
                                                  (incidents or {}).get(ids[i]))
            if not ((jbar is not None and joint[i] >= jbar) or said):
                continue
            among_kind = known and str(pgroup[i]) == str(peers[i])  # else a wider group
            fingerprint(i, "stuffing_joint", {
                "turnout": _r(turnout[i]), "turnout_median": _r(ptmed[i]),
                "turnout_z": _r(ptz[i], 2), "leader": leader,
                "leader_share": _r(shares[leader][i]), "leader_share_median": _r(psmed[i]),
                "leader_share_z": _r(psz[i], 2), "joint_z": _r(joint[i], 2),
                "bar": None if jbar is None else _r(jbar, 2), "observers": said,
                "group": str(territory[i]) if among_kind else str(pgroup[i]),
                "peers": str(table.kind[i]) if among_kind else None,
                "ballots_added_estimate": added_estimate(i, ptmed[i])})

    # I23: far more ballots issued after the evening report than at the peers (see `evening`).
    if evening_reports:
        late_at = evening.evening_reports(ids, evening_reports)
        # A report received outside its hour's window is no figure as of that hour: not judged
        # among the peers, and one received after it is flagged as what it may hide.
        for i in np.flatnonzero(np.isfinite(late_at)):
            received = evening_reports[ids[i]].get("received")
            if received:
                late_at[i] = np.nan
                if received["verdict"] == "late":
                    lit(i, "issued_after_evening", {
                        "evening_hour": evening_reports[ids[i]].get("hour"),
                        "issued_by_evening": evening_reports[ids[i]]["issued"],
                        "issued": int(issued[i]), "evening_received_at": received["at"],
                        "evening_window_until": received["until"]})
        ez, emed, _, egroup = robust_z(evening.statistic(issued, late_at), territory, None,
                                       evening.SCALE_FLOOR)
        emed, ebar = emed ** 3, evening.bar(ez)  # the median of cube roots, as a share
        for i in np.flatnonzero(ez >= ebar) if ebar is not None else ():
            lit(i, "issued_after_evening", {
                "evening_hour": evening_reports[ids[i]].get("hour"),
                "issued_by_evening": int(late_at[i]),
                "issued": int(issued[i]), "issued_after": int(issued[i] - late_at[i]),
                "share_after": _r((issued[i] - late_at[i]) / max(int(issued[i]), 1)),
                "share_after_median": _r(emed[i]), "evening_z": _r(ez[i], 2),
                "bar": _r(ebar, 2), "group": str(egroup[i]),
                "after_evening_beyond_median": evening.beyond_peers(int(issued[i]), late_at[i],
                                                               emed[i])})
    for i, evidence in outweighed.items():
        lit(i, "fingerprint_outweighed_by_count", evidence)

    # I07: mobile-box share extreme.
    mz, mmed, _, mgroup = robust_z(mobile_share, district, territory, MOBILE_SCALE_FLOOR)
    extreme = ((mz > Z_OUTLIER) & (mobile_share >= MOBILE_MIN_SHARE)) | (mobile_share >= MOBILE_ANY_SHARE)
    for i in np.flatnonzero(extreme):
        lit(i, "mobile_share_extreme", {"issued_mobile": int(mobile[i]), "issued": int(issued[i]),
                                        "share": _r(mobile_share[i]), "group_median": _r(mmed[i]),
                                        "z": _r(mz[i], 2), "group": str(mgroup[i])})

    # I08: integer percentages, on the stations Kobak et al. keep (registered >= 100, < 99%).
    if leader is not None:
        lead = votes[leader]
        keep = kept_stations(voters, issued, counted, lead)
        both = keep & is_integer_percentage(issued, voters) & is_integer_percentage(lead, counted)
        idx = np.flatnonzero(both)
        if len(idx):
            chance = (integer_probability(voters[idx], turnout[idx])
                      * integer_probability(counted[idx], shares[leader][idx]))
            for i, p in zip(idx, chance):
                lit(i, "integer_percentages", {
                    "turnout_pct": _r(100 * turnout[i], 3), "leader_share_pct": _r(100 * shares[leader][i], 3),
                    "chance": _r(p, 4)})

    # I09: the whole-election fingerprint model's flag.
    for i, sid in enumerate(ids):
        if model_flags and sid in model_flags:
            lit(i, "fingerprint_model", {"fraud_probability": _r(model_flags[sid], 3)})

    # I10–I15: data from the other parts, when given.
    official = dict(zip(ids, zip(table.figures, table.choices)))
    for i, sid in enumerate(ids):
        if observer_copies and sid in observer_copies:
            diffs = [d for copy in observer_copies[sid] if (d := copy_differences(official[sid], copy))]
            if diffs:
                lit(i, "observer_copy_differs", {"copies": diffs, "votes_in_question": max(
                    stuffing.votes_moved(d["differences"], "official", "copy") for d in diffs)})
        if scans and sid in scans:
            bad = [{"status": s.get("status"), "reason": s.get("reason", ""),
                    "mismatches": list(s.get("mismatches") or [])}
                   for s in scans[sid] if s.get("status") == "mismatch"]
            if bad:
                lit(i, "scan_qr_mismatch", {"scans": bad, "votes_in_question": max(
                    stuffing.votes_moved(b["mismatches"], "definitive", "printed") for b in bad)})
        if amendments and sid in amendments:
            made = [dict(a) for a in amendments[sid]]
            if made:
                lit(i, "amended_after_publication", {"amendments": made})
        if step_times and sid in step_times:
            late = late_hours(step_times[sid])
            if late is not None and late > LATE_HOURS:
                lit(i, "late_submission", {"hours_after_close": round(late, 1), "limit_hours": LATE_HOURS})
        if assessments and sid in assessments:
            marks = list(assessments[sid])
            negative = [a for a in marks if a.get("negative")]
            if negative:
                lit(i, "negative_observer_assessment", {
                    "negative": len(negative), "assessments": len(marks),
                    "stages": sorted({str(a.get("stage", "")) for a in negative})})
        if incidents and sid in incidents:
            reported = [dict(x) for x in incidents[sid]]
            if reported:
                lit(i, "incidents", {"count": len(reported), "incidents": reported[:20]})
        if verified_readings and sid in verified_readings:
            differing = [dict(x) for x in verified_readings[sid]]
            if differing:
                lit(i, "verified_reading_differs", {"images": differing, "votes_in_question": max(
                    stuffing.votes_moved(x.get("differences") or (), "official", "copy")
                    for x in differing)})
        if video_gaps and sid in video_gaps:
            lit(i, "count_not_on_video", dict(video_gaps[sid]))

    return [verdict(ids[i], flags[i]) for i in range(n)]


def verdict(station: str, flags: list[dict]) -> Verdict:
    """A station's status from its lit criteria, by `RULES`."""
    flags.sort(key=lambda f: f["code"])
    if any(f["strength"] == STRONG for f in flags):
        return Verdict(station, FLAGGED, "R1", flags)
    if flags:
        return Verdict(station, WATCH, "R2", flags)
    return Verdict(station, CLEAR, "R3", flags)


def copy_differences(official: tuple[Mapping, Mapping], copy: Mapping) -> dict | None:
    """The lines and choices where an observer's copy differs from the official protocol."""
    figures, choices = official
    diff = []
    for what, ours, theirs in (("figures", figures, copy.get("figures") or {}),
                               ("choices", choices, copy.get("choices") or {})):
        for k in sorted(set(ours) | set(theirs)):
            a, b = ours.get(k), theirs.get(k)
            if a != b and b is not None:
                diff.append({"part": what, "line": k, "official": a, "copy": b})
    return {"observer": copy.get("observer", ""), "differences": diff} if diff else None


def late_hours(times: Mapping) -> float | None:
    """Hours from the close of the polls to the protocol becoming definitive (None if unknown)."""
    closed, done = times.get("polls_closed"), times.get("definitive")
    if closed is None or done is None:
        return None
    closed, done = (dt.datetime.fromisoformat(x) if isinstance(x, str) else x for x in (closed, done))
    return (done - closed).total_seconds() / 3600


def summary(verdicts: Sequence[Verdict]) -> dict:
    """Counts per status and per criterion."""
    by_status = {s: 0 for s in STATUSES}
    by_code = {c.code: 0 for c in CRITERIA}
    for v in verdicts:
        by_status[v.status] += 1
        for code in dict.fromkeys(v.codes):
            by_code[code] += 1
    return {"stations": len(verdicts), "status": by_status, "criteria": by_code}
