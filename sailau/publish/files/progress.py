"""Results over time at any commission: the reporting curve (stations reported by time) and
every choice's share as reporting grew, for the pages and the downloads (`progress.csv`,
`progress.json`). What a station's arrival is: `arrivals`; how the series is kept between
renders: `progress_series`; the chart a page draws of it: `pages/progress_chart.py`."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sailau.elections.models import Contest
from sailau.publish.files import progress_series
from sailau.publish.files.arrivals import Arrival, Progress, stations_in  # noqa: F401 (the API)
from sailau.verify import tables


def progress(contest: Contest, commission_id: str | None = None) -> Progress:
    """The contest's arrivals at a commission. Kept in the page cache per contest and
    commission and brought up to date from the protocols stored since (see `series`): the
    national page is rendered again after every protocol, and rereading all of them cost
    seconds a render at national scale."""
    return progress_series.progress(contest, commission_id)


def as_of(contest: Contest, commission_id: str | None = None) -> dt.datetime | None:
    """`progress(...).as_of` without reading any protocol's figures: a national page shows the
    "as of" of 29 single-member districts, and reading their figures cost seconds a render.
    Kept in the page cache while the commission's tally does not change."""
    return progress_series.as_of(contest, commission_id)


# -------------------------------------------------------------------------- the downloads

def document(p: Progress, points: list | None = None) -> dict:
    """Every arrival of the contest at its own level, cumulated: the data of the chart.
    `points`: in their place (see `national_tables.progress_files`, which imports this module)."""
    return tables.progress_document(
        p.contest.id, p.expected, p.reported, _iso(p.as_of),
        [file_point(pt) for pt in p.points()] if points is None else points)


def progress_file(contest: Contest, fmt: str, p: Progress | None = None) -> tuple[bytes, str]:
    """`progress.csv` / `progress.json` of a contest: one row per station reported, in the
    order they reported, with the totals so far (times in UTC, ISO 8601)."""
    doc = document(p or progress(contest))
    if fmt == "json":
        return json_dumps(doc), "application/json"
    keys = choice_keys(contest)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(csv_header(keys))
    for pt in doc["points"]:
        w.writerow(csv_cells(pt, keys))
    return out.getvalue().encode(), "text/csv; charset=utf-8"


# The parts of the files, also kept point by point by `national_tables.progress_files`.

json_dumps = tables.progress_json
csv_header, csv_cells = tables.progress_header, tables.progress_cells


def choice_keys(contest: Contest) -> list[str]:
    return [c.key for c in sorted(contest.choices.all(), key=lambda c: c.order)]


def file_point(pt: dict) -> dict:
    return {**pt, "at": _iso(pt["at"])}


def names(contest: Contest) -> tuple[str, str]:
    """The contest's progress files in a snapshot."""
    return (f"contests/{contest.id}/progress.csv", f"contests/{contest.id}/progress.json")


def put_files(contests, put) -> None:
    """Hand each contest's progress files to a snapshot writer's `put(name, bytes)`."""
    for c in contests:
        p = progress(c)
        for name, fmt in zip(names(c), ("csv", "json")):
            put(name, progress_file(c, fmt, p)[0])


def _iso(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat() if at else None
