"""The station-level table every forensic test reads: one row per polling station that can be
used, plus the list of stations that cannot, each with the reason (never dropped silently)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

import numpy as np

from sailau.law import figures


def divide(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """`part` over `whole`, column by column, NaN where `whole` is 0: the law's fractions
    (`sailau.law.figures`, whose `divide` this is for numpy columns) at every station at once."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / np.maximum(whole, 1), np.nan)


@dataclass
class StationResults:
    """Counts per usable station (all arrays aligned, int64).

    `ballots` is ballots cast (for the Russian protocol: ballots issued, the sum of the three
    "issued" lines, as in Kobak et al. 2016); `counted` is valid + invalid ballots found in the
    boxes, the denominator of the leader's share. `leader_votes` is None when the source names no
    leader (share-based tests are then skipped). `rows` are file line numbers (header = line 1).
    """

    station_ids: np.ndarray
    rows: np.ndarray
    registered: np.ndarray
    ballots: np.ndarray
    counted: np.ndarray
    leader_votes: np.ndarray | None
    leader: str | None = None
    choices: dict[str, np.ndarray] = field(default_factory=dict)
    territories: dict[str, np.ndarray] = field(default_factory=dict)
    unusable: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    source: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.station_ids)

    @property
    def turnout(self) -> np.ndarray:
        # Plainly divided: a station with no voters on the list is refused (`validate_counts`).
        return figures.of_list(self.ballots, self.registered, divide=operator.truediv)

    @property
    def leader_share(self) -> np.ndarray | None:
        if self.leader_votes is None:
            return None
        return figures.share_fraction(self.leader_votes, self.counted, divide=divide)

    def subset(self, mask: np.ndarray) -> StationResults:
        """The stations where `mask` is true (used for per-territory analyses)."""
        pick = lambda a: None if a is None else a[mask]
        return StationResults(
            station_ids=self.station_ids[mask],
            rows=self.rows[mask],
            registered=self.registered[mask],
            ballots=self.ballots[mask],
            counted=self.counted[mask],
            leader_votes=pick(self.leader_votes),
            leader=self.leader,
            choices={k: v[mask] for k, v in self.choices.items()},
            territories={k: v[mask] for k, v in self.territories.items()},
            source=self.source,
        )


def validate_counts(
    station_ids: np.ndarray,
    rows: np.ndarray,
    registered: np.ndarray,
    ballots: np.ndarray,
    counted: np.ndarray,
    leader_votes: np.ndarray | None,
) -> tuple[np.ndarray, list[dict]]:
    """Which stations can be analysed. Returns the mask of usable ones and, for every other one,
    {row, station, reason}. Counts must already be valid non-negative integers (the readers
    report unparseable cells themselves); these are the arithmetic impossibilities."""
    checks = [
        (registered <= 0, "registered: zero voters on the list"),
        (ballots > registered, "ballots: more ballots cast than voters on the list"),
        (counted > registered, "counted: more ballots in the boxes than voters on the list"),
    ]
    if leader_votes is not None:
        checks.append((leader_votes > counted, "leader: more votes for the leader than ballots counted"))
    bad = np.zeros(len(station_ids), dtype=bool)
    reasons: list[dict] = []
    for mask, reason in checks:
        new = mask & ~bad  # one reason per station: the first that applies
        for i in np.flatnonzero(new):
            reasons.append({"row": int(rows[i]), "station": str(station_ids[i]), "reason": reason})
        bad |= mask
    reasons.sort(key=lambda r: r["row"])
    return ~bad, reasons
