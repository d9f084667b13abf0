"""Whether a station's recordings cover its count: the window from the close of the polls to the
signing of the protocol (as reported in the chronometry, `sailau.protocols.chronometry`), the
parts of it no recording covers, and whether the last recording ends before the signing.

Pure functions on times, plus one query per station or per election, so the integrity report
reads every station at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sailau.protocols.chronometry import POLLS_CLOSED, SIGNED

# A camera restarting takes seconds: a hole shorter than this is not a gap (project default).
TOLERANCE = dt.timedelta(seconds=60)


@dataclass
class Coverage:
    start: dt.datetime | None  # polls closed
    end: dt.datetime | None  # protocol signed
    spans: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    gaps: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    ends_before_signing: bool = False

    @property
    def known(self) -> bool:
        return self.start is not None and self.end is not None and self.end > self.start

    @property
    def complete(self) -> bool:
        return self.known and not self.gaps

    def covered_seconds(self) -> int:
        if not self.known:
            return 0
        return int((self.end - self.start).total_seconds()
                   - sum((b - a).total_seconds() for a, b in self.gaps))

    def to_json(self) -> dict:
        iso = lambda t: t.isoformat() if t else None
        return {"window": [iso(self.start), iso(self.end)],
                "gaps": [[iso(a), iso(b)] for a, b in self.gaps],
                "ends_before_signing": self.ends_before_signing,
                "covered_seconds": self.covered_seconds()}


def merge(spans) -> list[tuple[dt.datetime, dt.datetime]]:
    """Overlapping or touching recordings (within the tolerance) as one span."""
    out: list[list[dt.datetime]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + TOLERANCE:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def cover(start, end, spans) -> Coverage:
    c = Coverage(start, end, merge(spans))
    if not c.known:
        return c
    at = start
    for a, b in c.spans:
        if b <= at:
            continue
        if a > at + TOLERANCE and a < end:
            c.gaps.append((at, min(a, end)))
        at = max(at, b)
        if at >= end:
            break
    if at < end - TOLERANCE:
        c.gaps.append((at, end))
    last = max((b for _, b in c.spans), default=None)
    c.ends_before_signing = last is None or last < end - TOLERANCE
    return c


def of_station(station_id: str) -> Coverage:
    from sailau.protocols.models import StepTime
    from sailau.video.models import Recording

    times = dict(StepTime.objects.filter(station_id=station_id, step__in=(POLLS_CLOSED, SIGNED))
                 .values_list("step", "at"))
    spans = list(Recording.objects.filter(station_id=station_id)
                 .values_list("started_at", "ended_at"))
    return cover(times.get(POLLS_CLOSED), times.get(SIGNED), spans)


def of_election(election_id: str) -> dict[str, Coverage]:
    """Every station with a registered camera (stations without one are not judged on video)."""
    from sailau.protocols.models import StepTime
    from sailau.video.models import Camera, Recording

    stations = set(Camera.objects.filter(station__election_id=election_id)
                   .values_list("station_id", flat=True))
    times: dict[str, dict] = {}
    for sid, step, at in StepTime.objects.filter(
            station__election_id=election_id, station_id__in=stations,
            step__in=(POLLS_CLOSED, SIGNED)).values_list("station_id", "step", "at"):
        times.setdefault(sid, {})[step] = at
    spans: dict[str, list] = {}
    for sid, a, b in Recording.objects.filter(station__election_id=election_id).values_list(
            "station_id", "started_at", "ended_at"):
        spans.setdefault(sid, []).append((a, b))
    return {sid: cover(times.get(sid, {}).get(POLLS_CLOSED), times.get(sid, {}).get(SIGNED),
                       spans.get(sid, [])) for sid in stations}
