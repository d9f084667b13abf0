"""Criterion I23: more ballots issued after the evening report than at the station's peers.

Through election day each precinct reports the ballots issued so far at the CEC's hours
(`sailau.law.turnout_hours`). On 19 March 2023 the country's share rose from 53.11 % of the list
at 18:00 to 54.19 % at the end: 2 % of the day's ballots came after the 18:00 report. Ballots a
commission adds late, signatures forged for absent voters in the last hours or ballots added at
the count, come after that report too, so the share of a station's ballots issued after it is
far above its peers' while its figures earlier in the day look like everyone's. Ballots added
through the day raise every report alike and are not seen here (I21 reads the figures).

The statistic is the cube root of that share (a half ballot added to each side, so that a
station with none after 18:00 is not an extreme), as a robust z-score among the stations of its
territory. The territory, because the day's rhythm is regional: on 19 March 2023 Almaty's share
rose from 19.14 % of the list at 16:00 to 22.95 % at 18:00 while the country's rose from 51.98 to
53.11 % (the CEC's regional figures, `sailau.law.turnout_hours.SOURCES`). Not also by kind, as
I21: no figure says the kinds differ in the evening within a territory, and the territory's
larger group gives a steadier scale. The cube root because the bar below trusts the mirror, and
the share is gamma-like: a few stations with almost nobody after 18:00,
a long tail of busy evenings. Its log-odds are skewed to the low side (on the demo's 10,223
stations, 120 clean ones 3.09 below the median and none above), the share itself to the high
side; the cube root makes a gamma variable nearly symmetric (Wilson & Hilferty, PNAS 17, 1931):
skewness 0.0 on the demo's clean stations. The bar is the knockoff+ mirror of
`stuffing.mirror_bar` at the same false discovery rate, never below `stuffing.JOINT_FLOOR`: the
mirror is the same z below the peers' median, the side stuffing never reaches.

Pure numpy, no Django."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sailau.analysis import stuffing

# The cube root of a share near 2 % moves by ~0.005 for a ballot at a station of 1,000: a
# scale below twice that would judge the peers' rounding, not their evening.
SCALE_FLOOR = 0.01


def statistic(issued: np.ndarray, evening: np.ndarray) -> np.ndarray:
    """The cube root of `late_share`: what I23 compares among peers."""
    return np.cbrt(late_share(issued, evening))


def evening_reports(ids: list[str], reports: Mapping[str, Mapping] | None) -> np.ndarray:
    """Each station's ballots issued by the evening report (NaN where it made none).
    `reports`: station -> {"hour", "issued"}, the report the law names the evening's
    (`sailau.law.turnout_hours.EVENING_FROM`, picked by `sailau.turnout.integrity`)."""
    out = np.full(len(ids), np.nan)
    for i, sid in enumerate(ids):
        got = (reports or {}).get(sid)
        if got and got.get("issued") is not None:
            out[i] = float(got["issued"])
    return out


def late_share(issued: np.ndarray, evening: np.ndarray) -> np.ndarray:
    """(ballots after the evening report + 1/2) / (ballots issued + 1); NaN without a report.
    A protocol below the evening report (a miscount) counts as none after it."""
    late = np.clip(np.asarray(issued, dtype=float) - evening, 0, None)
    with np.errstate(invalid="ignore"):
        return (late + 0.5) / (np.asarray(issued, dtype=float) + 1)


def bar(z: np.ndarray) -> float | None:
    """The lowest z flagged: knockoff+ against the mirror (the same z below the peers' median)
    at `stuffing.FDR`, never below `stuffing.JOINT_FLOOR`; None when no bar passes."""
    return stuffing.mirror_bar(z, -z, stuffing.FDR, stuffing.JOINT_FLOOR)


def beyond_peers(issued: int, evening: float, median_share: float) -> int | None:
    """Ballots after the evening report beyond the peers' usual share: what may have been added."""
    if not np.isfinite(evening) or not np.isfinite(median_share):
        return None
    return max(0, round(issued - evening - median_share * issued))
