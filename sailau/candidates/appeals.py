"""An appeal and its records. An appeal is often filed in one file (outcome `pending`) and decided
in a later one: the later row names the same nomination, the same `appeal_to` and the same filing
date, and gives the outcome. Each file's rows stay as they were imported (the audit log keeps a
digest of every file's rows, so an earlier row is never rewritten); the appeal's state is its
latest record, and `current` merges the records into one appeal each for the pages, counts and
downloads. The status a nomination takes from an overturned outcome reads the records directly
(`services.status_of`): the outcome record is the event."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from sailau.candidates.models import Appeal

PENDING = "pending"


def identity(a: Appeal) -> tuple:
    """What makes two records the same appeal: the decision appealed (an outcome record points
    to the decision its filing did), the body appealed to and the filing date."""
    return (a.decision_id, a.appeal_to, a.filed_on)


def current(records: Iterable[Appeal]) -> list[Appeal]:
    """One appeal per identity, in filing order: its first record (who, where, when filed) with
    the outcome and outcome date of its latest record (in import order). Copies, not saved."""
    merged: dict[tuple, Appeal] = {}
    for a in sorted(records, key=lambda a: (a.batch_id, a.row)):
        key = identity(a)
        if key not in merged:
            merged[key] = copy.copy(a)
        else:
            merged[key].outcome, merged[key].outcome_date = a.outcome, a.outcome_date
    return sorted(merged.values(), key=lambda a: (a.filed_on, a.batch_id, a.row))


def pending(records: Iterable[Appeal]) -> list[Appeal]:
    return [a for a in current(records) if a.outcome == PENDING]
