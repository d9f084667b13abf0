"""Each synthetic station's reports of the ballots issued so far at the CEC's hours of election
day (`sailau.law.turnout_hours`), and when the ballots a falsifying commission added came in.

The day's shape is the country's on 19 March 2023 (`turnout_hours.ANNOUNCED_2023`: 57 % of the
day's ballots by 12:00, 98 % by 18:00); each station's day varies around it (a Dirichlet draw of
its share in each interval, concentration `CONCENTRATION`: assumed, not from a source), then its
voters fall in the intervals at random.

Where ballots were added and written in as issued (the ground truth's `covered`), when they came
in decides what the reports show (assumed, not from a source; the ground truth's `added_when`):
- "day": a little at a time through the day, so every report is raised alike;
- "evening": signed for in the name of absent voters in the last hours (after the 18:00 report,
  before the 20:00 one);
- "count": added at the count, after the last report.
Ballots found in the box but never written in as issued are in no report at all. Drawn from a
generator of its own, so the figures and the rest of the demo are what they were before."""

from __future__ import annotations

import numpy as np

from sailau.law.turnout_hours import ANNOUNCED_2023, EVENING_FROM, FINAL_2023, HOURS

CONCENTRATION = 100.0
WHEN = ("day", "evening", "count")  # each a third of the stations that covered what they added


def shape() -> np.ndarray:
    """The share of the day's ballots in each interval: up to the first hour, between hours,
    after the last."""
    cumulative = np.array([ANNOUNCED_2023[h] for h in HOURS] + [FINAL_2023]) / FINAL_2023
    return np.diff(np.concatenate([[0.0], cumulative]))


def reports(syn, issued: np.ndarray) -> None:
    """`syn.turnout`: station id -> {hour: ballots issued by then}; `added_when` in the truth."""
    rng = np.random.default_rng([syn.seed, 1903])
    parts = rng.dirichlet(shape() * CONCENTRATION, len(issued))
    after_evening = HOURS.index(EVENING_FROM) + 1  # the reports after the evening one
    for i, s in enumerate(syn.stations):
        entry = syn.truth.get(s["id"]) or {}
        added = int(entry.get("ballots_added", 0)) if entry.get("covered") else 0
        when = str(rng.choice(WHEN)) if added else "day"
        if added:
            entry["added_when"] = when
        signed = int(issued[i]) - (added if when != "day" else 0)
        day = np.cumsum(rng.multinomial(signed, parts[i]))[:len(HOURS)]
        if when == "evening":
            day[after_evening:] += added
        syn.turnout[s["id"]] = {h: int(n) for h, n in zip(HOURS, day)}


def write(syn, closing) -> int:
    """The reports in the database, each received a few minutes after its hour of the day whose
    polls closed at `closing` (the replayed night's), written as the service writes a report
    (`sailau.turnout.services.write`: the row, its audit record, its leaf), in bulk; the
    service's checks are made to pass by the drawing (in order, before any protocol)."""
    import datetime as dt

    from django.db import transaction

    from sailau.law.turnout_hours import CLOSING_HOUR
    from sailau.turnout import services
    from sailau.turnout.models import TurnoutReport

    eid = syn.election["id"]
    rows = [(sid, h, n, "demo", closing + dt.timedelta(hours=h - CLOSING_HOUR,
                                                         minutes=5 + i % 10))
            for i, (sid, day) in enumerate(syn.turnout.items()) for h, n in day.items()]
    # In one transaction, as `services.write` asks: outside one, SQLite made each of the
    # 51,115 rows and their leaves a transaction of its own (about 5 s of the build).
    with transaction.atomic():
        TurnoutReport.objects.filter(station__election_id=eid).delete()
        services.write(rows, eid)
    return len(rows)
