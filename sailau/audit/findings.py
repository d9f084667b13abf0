"""One finding of `sailau audit verify`: the area, the object named as a reader finds it, and
what is wrong with it ("protocols: station № 12 (…), contest …: choices.a: 1734 in the
database, 1234 in audit record #5678")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    area: str  # protocols, entries, complaints, roles, scans, snapshots, log
    object: str  # what is wrong, named as a reader finds it
    problem: str

    def __str__(self) -> str:
        return f"{self.area}: {self.object}: {self.problem}"
