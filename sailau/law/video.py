"""How long recordings of the count are kept.

PROJECT DEFAULT, not law: the sources (the ODIHR reports, the request letter) ask for
video of the count but name no retention term, and no provision of the Constitutional Law on
Elections on recordings was found. The default keeps a recording while any challenge of the
result can still be decided, with a margin: the result is taken as final `RESULT_FINAL_DAYS`
after election day (10 days to complain, 5 to decide, 3 for each of two appeals, rounded up:
see `sailau.law.deadlines`), and recordings are kept `RETENTION_DAYS` after that."""

import datetime as dt

from sailau.law.source import Source

RESULT_FINAL_DAYS = 30
RETENTION_DAYS = 365
SOURCES = (
    Source("Project default (no term found in the sources)", None,
           "recordings kept 365 days after the result is final (election day + 30 days)"),
)


def expires_on(election_day: dt.date) -> dt.date:
    """The first day a recording of that election may be removed."""
    return election_day + dt.timedelta(days=RESULT_FINAL_DAYS + RETENTION_DAYS)


def last_expired_election_day(today: dt.date) -> dt.date:
    """Recordings of elections held on or before this day have expired by `today`."""
    return today - dt.timedelta(days=RESULT_FINAL_DAYS + RETENTION_DAYS)
