"""The evidence of ballots added for the leader, station by station, and the order in which a
reader should look at the flagged stations.

Three signals live here, all read by `criteria.evaluate`:

- **Turnout and the leader's share both high within the district** (criteria I16, I20).
  Ballots added for the leader raise both together; each alone is common. A station's evidence
  is the smaller of its two robust z-scores (Iglewicz & Hoaglin, see `criteria`): an
  intersection-union test, whose chance at a clean station is the product of the two tails
  when they are independent. Beyond `Z_BOTH` (1.86: 0.0316 each, 1 in 1,000 both) the station
  is to watch (I20). It is flagged (I16) when the election's own figures say such stations are
  mostly not chance: the stations *both as far below* their district's medians are counted as
  the estimate of the clean ones that reach this far up by chance (a clean station is as likely
  to fall below the medians as above), and the bar is the lowest at which
  (1 + that count) / (stations above) <= `FDR`: the knockoff+ rule of Barber & Candes (Annals
  of Statistics 43, 2015), which keeps the expected share of false flags under `FDR`. With few
  stations or little stuffing no bar exists and the fingerprint alone flags nothing. An
  observer at the count who reported more ballots than voters, or an incident of stuffing,
  flags the station from `Z_BOTH_CORROBORATED` (1.28: 1 in 100 both): such a report at a clean
  station is itself rarer than 1 in 10 (12 of 128 counts observed by the OSCE), so the joint
  chance stays under 1 in 1,000.
- **Turnout and the leader's share jointly high among the station's peers** (criterion I21).
  Peers are the stations of the same kind in the same territory (towns, villages, special
  stations such as hospitals: `PEER_KINDS`), whose turnout differs by kind. Ballots added for
  the leader move both robust z-scores up by about the same share of the list, so the
  statistic is their standardised sum, (z_turnout + z_share) / sqrt(2): a station far above on
  the share and only moderately on the turnout counts, where the smaller of the two (I16)
  would miss it. Both are z-scores of log-odds, ln(p / (1 - p)), Klimek et al.'s logarithmic
  rates, which make bounded proportions near symmetric (turnout near 85 % has a long lower
  tail), as the mirror bar needs. This is the direction of the Klimek et al. fingerprint (PNAS
  109, 2012: stuffing drags stations up and to the right in the turnout-share plane) read
  station by station; the leader's gain comes with votes per listed voter of the others
  unchanged (Myagkov, Ordeshook & Shakin, *The Forensics of Election Fraud*, 2009). The bar is
  taken from the election as for I16: the stations as far below (sum at most -a) estimate the
  chance ones, knockoff+ at `FDR`, never below `JOINT_FLOOR` (3.09, one-sided normal 0.001).
  An observer's report of extra ballots lowers it to `JOINT_CORROBORATED` (2.33, 0.01), as
  for I16.
- **Observers' counts of voters** (criterion I19). The observer reads the station's book at the
  close: the official ballots issued should not exceed it by more than the queue and a slip of
  a tally. The relative excess is judged against all counted stations of the contest by the
  same robust z-score (a floor of 1% of the count on its scale: a book read at 20:00 against
  a protocol signed hours later) and must be at least `COUNT_MIN_EXCESS` ballots. A closing
  count that does *not* exceed is the observer's word that no ballots were issued beyond the
  voters seen: where the figures alone would flag the station (I16, I21), it is put on watch
  instead (I22), since ballots added and covered by issued ballots are what those fingerprints
  stand for and the one person who counted saw none; added ballots not covered by issued ones
  show as more ballots found than issued (I02) whatever the count.

`rank_key` orders the stations a journalist should read first: direct evidence before
statistics (a differing copy or reading, an observer's count, more ballots than issued), the
most votes in question first, then by how far turnout and share are both above the peers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np

Z_BOTH = 1.86  # one-sided normal tail 0.0316: both at once 0.001 when independent
Z_BOTH_CORROBORATED = 1.28  # tail 0.1: both at once 0.01
FDR = 0.10  # the share of false flags the fingerprint's bar allows (precision 0.9)
JOINT_FLOOR = 3.09  # one-sided normal tail 0.001 of the standardised sum
JOINT_CORROBORATED = 2.33  # tail 0.01, with an observer's report of extra ballots
# A station's peers for I21: its kind within its territory (turnout differs between towns,
# villages and special stations); stations abroad are their own kind.
PEER_KINDS = ("city", "village", "special", "abroad")
# I21 judges log-odds: 0.08 is the 2 points of the proportions' floor at one half (slope 4).
LOG_ODDS_SCALE_FLOOR = 0.08
LOG_ODDS_CLIP = 1e-3  # 0 % and 100 % (and beyond) read as 0.1 % and 99.9 %
COUNT_Z = 3.5  # Iglewicz & Hoaglin's outlier cut, as for the other district outliers
COUNT_SCALE_FLOOR = 0.01  # 1% of the observer's count
COUNT_MIN_EXCESS = 5  # ballots: below this a difference is a slip, whatever its z
COUNT_EARLY_MINUTES = 15  # a count taken earlier than this before the close is not the day's

# Observers' reports that speak of extra ballots at the count (checklist item answered "yes").
CHECKLIST_EXTRA_BALLOTS = "more_ballots_than_voters"
INCIDENT_STUFFING = "ballot_stuffing"


def joint_bar(tz: np.ndarray, sz: np.ndarray, fdr: float = FDR,
              floor: float = Z_BOTH) -> float | None:
    """The lowest value a of min(turnout z, share z), at least `floor`, such that
    (1 + stations with both z <= -a) / (stations with both z >= a) <= `fdr`; None if none."""
    return mirror_bar(np.minimum(tz, sz), np.minimum(-tz, -sz), fdr, floor)


def mirror_bar(up: np.ndarray, down: np.ndarray, fdr: float = FDR,
               floor: float = Z_BOTH) -> float | None:
    """The lowest a >= `floor` among the values of `up` with (1 + count of `down` >= a) /
    (count of `up` >= a) <= `fdr` (knockoff+, Barber & Candes 2015): `down` is the statistic
    of the mirrored stations, whose count above a estimates the clean stations above a."""
    up, down = np.sort(up[np.isfinite(up)]), np.sort(down[np.isfinite(down)])
    candidates = up[up >= floor]  # ascending: the first that passes is the lowest bar
    if not len(candidates):
        return None
    above = len(up) - np.searchsorted(up, candidates, side="left")
    below = len(down) - np.searchsorted(down, candidates, side="left")
    ok = np.flatnonzero((1 + below) / above <= fdr)
    return float(candidates[ok[0]]) if len(ok) else None


def peer_kind(kind: str | None, urban: bool | None) -> str:
    """The station's kind among `PEER_KINDS` from its record (kind ordinary/special/abroad
    and whether it is urban)."""
    if kind in ("special", "abroad"):
        return kind
    return "city" if urban else "village"


def log_odds(p: np.ndarray) -> np.ndarray:
    """ln(p / (1 - p)), the proportions clipped to [`LOG_ODDS_CLIP`, 1 - `LOG_ODDS_CLIP`]."""
    p = np.clip(np.asarray(p, dtype=float), LOG_ODDS_CLIP, 1 - LOG_ODDS_CLIP)
    return np.log(p / (1 - p))


def proportion(x: np.ndarray) -> np.ndarray:
    """The inverse of `log_odds` (a median of log-odds is the log-odds of the median)."""
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def joint_z(tz: np.ndarray, sz: np.ndarray) -> np.ndarray:
    """The standardised sum of the turnout's and the leader's share's z-scores (I21)."""
    return (np.asarray(tz, dtype=float) + np.asarray(sz, dtype=float)) / np.sqrt(2)


def joint_sum_bar(j: np.ndarray, fdr: float = FDR, floor: float = JOINT_FLOOR) -> float | None:
    """I21's bar on `joint_z`: its mirror is the same sum below the peers' medians."""
    return mirror_bar(j, -j, fdr, floor)


def observer_corroborates(assessments: Iterable[Mapping] | None,
                          incidents: Iterable[Mapping] | None) -> list[str]:
    """What an observer at the station reported that speaks of extra ballots at the count."""
    said = []
    for a in assessments or ():
        if a.get("stage") != "counting":
            continue
        if (a.get("answers") or {}).get(CHECKLIST_EXTRA_BALLOTS) == "yes":
            said.append("checklist:" + CHECKLIST_EXTRA_BALLOTS)
    for x in incidents or ():
        if x.get("kind") == INCIDENT_STUFFING:
            said.append("incident:" + INCIDENT_STUFFING)
    return sorted(set(said))


def last_count(counts: Iterable[Mapping], polls_closed=None) -> Mapping | None:
    """The observer's count that closes the day: the highest count taken no earlier than
    `COUNT_EARLY_MINUTES` before the close (when known), else of the "departure" moment."""
    rows = list(counts)
    if polls_closed is not None:
        closed = _when(polls_closed)
        early = closed - dt.timedelta(minutes=COUNT_EARLY_MINUTES)
        rows = [c for c in rows if c.get("at") is not None and _when(c["at"]) >= early]
    else:
        rows = [c for c in rows if c.get("moment") == "departure"]
    return max(rows, key=lambda c: int(c["voters"])) if rows else None


def count_checks(issued: Mapping[str, int], counts: Mapping[str, Iterable[Mapping]],
                 closes: Mapping[str, object] | None = None) -> dict[str, dict]:
    """{station: evidence} for every station with a closing count: the official ballots issued
    against the observer's count, judged against all counted stations of the contest (see the
    module's text); `exceeded` says whether the excess lights I19. A count that does not is
    the observer's word that no ballots were issued beyond the voters seen."""
    closes = closes or {}
    found = {}
    for sid, rows in counts.items():
        if sid not in issued:
            continue
        last = last_count(rows, closes.get(sid))
        if last is not None and int(last["voters"]) > 0:
            found[sid] = (int(issued[sid]), int(last["voters"]), last)
    if not found:
        return {}
    sids = list(found)
    excess = np.array([(found[s][0] - found[s][1]) / found[s][1] for s in sids])
    median = float(np.median(excess))
    scale = max(1.4826 * float(np.median(np.abs(excess - median))), COUNT_SCALE_FLOOR)
    out = {}
    for s, e in zip(sids, excess):
        official, counted, last = found[s]
        z = (e - median) / scale
        out[s] = {"issued": official, "observer_count": counted,
                  "observer": last.get("observer", ""), "excess": official - counted,
                  "excess_share": round(float(e), 4), "z": round(float(z), 2),
                  "median_excess_share": round(median, 4),
                  "exceeded": bool(z > COUNT_Z and official - counted >= COUNT_MIN_EXCESS)}
    return out


def _when(x):
    return dt.datetime.fromisoformat(x) if isinstance(x, str) else x


# Evidence that a document or a person contradicts the protocol (or the protocol itself):
# read first, the most votes in question first. Then the figures' fingerprints (I16, I21), the
# furthest above their peers first; then the rest.
DIRECT = ("I10", "I17", "I11", "I19", "I02", "I04", "I01")
FINGERPRINTS = ("I16", "I21", "I23")
Z_CODES = ("I16", "I20", "I21", "I22", "I23")


def rank_key(flags: list[dict]) -> tuple:
    """Sort key of a station for the ranked list (smaller first): direct evidence before the
    fingerprints before the rest; among direct evidence the most votes in question first (a
    copy that moves 300 votes before a count 6 ballots short), among the others how far
    turnout and share are both above the peers; then how many strong criteria, how many in
    all."""
    codes = {f["code"] for f in flags}
    tier = 0 if codes & set(DIRECT) else 1 if codes & set(FINGERPRINTS) else 2
    votes = max((int(f["evidence"].get("votes_in_question") or 0) for f in flags
                 if f["code"] in DIRECT), default=0)
    z = max((float(f["evidence"].get("both_z") or f["evidence"].get("joint_z")
                   or f["evidence"].get("evening_z") or 0)
             for f in flags if f["code"] in Z_CODES), default=0.0)
    strong = sum(1 for f in flags if f["strength"] == "strong")
    return (tier, -votes, -z, -strong, -len(flags))


def votes_moved(differences: Iterable[Mapping], ours: str, theirs: str) -> int:
    """Votes in question where another source differs from the protocol: over the choices,
    half the sum of the differences (a vote moved from one choice to another counts once);
    where only the protocol's lines differ, the largest difference."""
    differences = list(differences)
    # a copy's difference names its part, a scan's its kind (a scan's version is neither)
    choices = [d for d in differences if d.get("part") == "choices" or d.get("kind") == "choice"]
    lines = [d for d in differences if d.get("part") == "figures" or d.get("kind") == "line"]
    pairs = [(d.get(ours), d.get(theirs)) for d in (choices or lines)]
    gaps = [abs(int(a) - int(b)) for a, b in pairs if isinstance(a, int) and isinstance(b, int)]
    if not gaps:
        return 0
    return -(-sum(gaps) // 2) if choices else max(gaps)
