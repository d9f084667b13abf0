"""Results over time: when each station's protocol of a contest became definitive, the reporting
curve (stations reported by time) and every choice's share as reporting grew, at any
commission. Derived from the protocols and the chain's step times, never typed in.

When a station reported is the first time its protocol of the contest became definitive: the
chain records that step per station in its own clock (`StepTime` "definitive", which the demo
sets to the simulated night) while `Protocol.created_at` is the database's clock. The earlier
of the two is taken; for a station with two contests the step time is the first contest's, so
the later contest may be placed a few minutes early. An amendment does not move the station on
the curve; the figures are always the current ones, so the curve ends at the totals the pages
show. "As of" is the latest definitive protocol, amendments included."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass

from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol, StepTime

MAX_POINTS = 48  # on a page; the downloads have every arrival


def stations_in(contest: Contest, commission_id: str | None = None):
    """The stations whose protocols of `contest` count at `commission_id` (default: the
    contest's own commission)."""
    qs = Station.objects.filter(election_id=contest.election_id)
    if contest.commission.level == Commission.SMD:
        qs = qs.filter(smd_id=contest.commission_id)
    cid = commission_id or contest.commission_id
    if cid != contest.commission_id:
        level = Commission.objects.filter(id=cid).values_list("level", flat=True).first()
        field = {Commission.TERRITORIAL: "territory_id", Commission.DISTRICT: "district_id",
                 Commission.SMD: "smd_id"}.get(level)
        qs = qs.filter(**{field: cid}) if field else qs.none()
    return qs


@dataclass(frozen=True)
class Arrival:
    at: dt.datetime  # when the station first reported
    station: str
    figures: dict
    choices: dict


@dataclass(frozen=True)
class Progress:
    contest: Contest
    expected: int
    arrivals: tuple[Arrival, ...]  # by time
    as_of: dt.datetime | None  # the latest definitive protocol (amendments included)

    @property
    def reported(self) -> int:
        return len(self.arrivals)

    def points(self, limit: int | None = None) -> list[dict]:
        """Cumulative totals after each arrival (or after every k-th, at most `limit`, always
        with the last): {"at", "reported", "expected", "votes": {choice: n}, "invalid",
        "shares": {choice: percent of ballots found}}."""
        out = []
        votes: Counter = Counter()
        invalid = 0
        n = len(self.arrivals)
        step = max(1, -(-n // limit)) if limit else 1
        keys = [c.key for c in sorted(self.contest.choices.all(), key=lambda c: c.order)]
        for i, a in enumerate(self.arrivals, 1):
            votes.update(a.choices)
            invalid += a.figures.get("invalid", 0)
            if i % step and i != n:
                continue
            found = sum(votes.values()) + invalid
            out.append({"at": a.at, "reported": i, "expected": self.expected,
                        "votes": {k: votes.get(k, 0) for k in keys}, "invalid": invalid,
                        "shares": {k: round(100 * votes.get(k, 0) / found, 2) if found else 0.0
                                   for k in keys}})
        return out


def _when(contest: Contest, ids) -> tuple[dict, dict]:
    """Per station: when its first version was stored, and its chain step time "definitive"."""
    first = dict(Protocol.objects.filter(contest=contest, version=1, station_id__in=ids)
                 .values_list("station_id", "created_at"))
    steps = dict(StepTime.objects.filter(step="definitive", station_id__in=ids)
                 .values_list("station_id", "at"))
    return first, steps


def _arrived(sid, version, created, first, steps) -> tuple[dt.datetime, dt.datetime]:
    """(when the station first reported, when its current protocol became definitive)."""
    at = min(x for x in (first.get(sid, created), steps.get(sid)) if x is not None)
    return at, at if version == 1 else created


def progress(contest: Contest, commission_id: str | None = None) -> Progress:
    stations = stations_in(contest, commission_id)
    ids = stations.values("id")
    first, steps = _when(contest, ids)
    arrivals, latest = [], None
    for sid, version, created, fig, cho in (
            Protocol.objects.current().filter(contest=contest, station_id__in=ids)
            .values_list("station_id", "version", "created_at", "figures", "choices")):
        at, changed = _arrived(sid, version, created, first, steps)
        arrivals.append(Arrival(at, sid, fig, cho))
        latest = changed if latest is None else max(latest, changed)
    arrivals.sort(key=lambda a: (a.at, a.station))
    return Progress(contest, stations.count(), tuple(arrivals), latest)


def as_of(contest: Contest, commission_id: str | None = None) -> dt.datetime | None:
    """`progress(...).as_of` without reading any protocol's figures: a national page shows the
    "as of" of 29 single-member districts, and reading their figures cost seconds a render."""
    ids = stations_in(contest, commission_id).values("id")
    first, steps = _when(contest, ids)
    rows = (Protocol.objects.current().filter(contest=contest, station_id__in=ids)
            .values_list("station_id", "version", "created_at"))
    return max((_arrived(*r, first, steps)[1] for r in rows), default=None)


# -------------------------------------------------------------------------- the downloads

def document(p: Progress) -> dict:
    """Every arrival of the contest at its own level, cumulated: the data of the chart."""
    return {"contest": p.contest.id, "stations_expected": p.expected,
            "stations_reported": p.reported, "as_of": _iso(p.as_of),
            "points": [{**pt, "at": _iso(pt["at"])} for pt in p.points()]}


def progress_file(contest: Contest, fmt: str, p: Progress | None = None) -> tuple[bytes, str]:
    """`progress.csv` / `progress.json` of a contest: one row per station reported, in the
    order they reported, with the totals so far (times in UTC, ISO 8601)."""
    doc = document(p or progress(contest))
    if fmt == "json":
        return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode(),
                "application/json")
    keys = [c.key for c in sorted(contest.choices.all(), key=lambda c: c.order)]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["at", "stations_reported", "stations_expected", "invalid", *keys])
    for pt in doc["points"]:
        w.writerow([pt["at"], pt["reported"], pt["expected"], pt["invalid"],
                    *(pt["votes"][k] for k in keys)])
    return out.getvalue().encode(), "text/csv; charset=utf-8"


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


# ------------------------------------------------------------------------------ the chart

W, H, PAD = 640, 180, 36  # the SVG's user units; it scales with the page


def chart(p: Progress, names: dict[str, str] | None = None) -> dict | None:
    """What the inline SVG of `web/_progress.html` draws: the reporting curve (percent of
    stations reported) and each choice's share as reporting grew, as polyline points in the
    SVG's coordinates, plus the same figures as rows for the table that stands in for it."""
    points = p.points(MAX_POINTS)
    if not points:
        return None
    choices = sorted(p.contest.choices.all(), key=lambda c: c.order)
    names = names or {c.key: c.name() for c in choices}
    t0, t1 = points[0]["at"], points[-1]["at"]
    span = (t1 - t0).total_seconds()

    def x(at) -> float:
        return round(PAD + (W - 2 * PAD) * ((at - t0).total_seconds() / span if span else 1), 1)

    def y(percent: float, top: float) -> float:
        return round(H - PAD / 2 - (H - PAD) * min(percent, top) / top, 1)

    top_share = max([10.0] + [s for pt in points for s in pt["shares"].values()])
    top_share = float(-(-int(top_share) // 10) * 10)
    reporting = [100 * pt["reported"] / pt["expected"] if pt["expected"] else 0 for pt in points]
    return {
        "width": W, "height": H, "left": PAD, "right": W - PAD, "bottom": H - PAD / 2,
        "top": PAD / 2, "start": t0, "end": t1, "top_share": top_share,
        "reporting": " ".join(f"{x(pt['at'])},{y(r, 100)}" for pt, r in zip(points, reporting)),
        "lines": [{"key": c.key, "name": names.get(c.key, c.key),
                   "color": c.party.color if c.party_id else "#777777",
                   "points": " ".join(f"{x(pt['at'])},{y(pt['shares'][c.key], top_share)}"
                                      for pt in points)}
                  for c in choices],
        "rows": [{"at": pt["at"], "reported": pt["reported"], "expected": pt["expected"],
                  "percent": r, "shares": [{"name": names.get(c.key, c.key),
                                            "share": pt["shares"][c.key]} for c in choices]}
                 for pt, r in zip(points, reporting)],
    }
