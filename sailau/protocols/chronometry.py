"""The time of each step of the chain per station, and their distributions per territory: what
the request letter (seed 003, item 1.7) asks for, from the close of the polls to the protocol's
receipt upstream.

Steps recorded by the system (first entry, definitive, published) keep the first time they
happen; steps reported by people (polls closed, protocol signed, copy handed to observers,
received by the territorial commission) can be corrected, and each correction is audited."""

import datetime as dt
from statistics import median

from sailau import clock
from sailau.errors import BadInput

POLLS_CLOSED = "polls_closed"
SIGNED = "protocol_signed"
COPY_HANDED = "copy_to_observers"
FIRST_ENTRY = "first_entry"
DEFINITIVE = "definitive"
SCAN_UPLOADED = "scan_uploaded"
PUBLISHED = "published"
RECEIVED = "received_by_territory"
STEPS = (POLLS_CLOSED, SIGNED, COPY_HANDED, FIRST_ENTRY, DEFINITIVE, SCAN_UPLOADED, PUBLISHED,
         RECEIVED)
REPORTED = (POLLS_CLOSED, SIGNED, COPY_HANDED, RECEIVED)  # typed in by people


def check_step(step: str, reported: bool = True) -> None:
    allowed = REPORTED if reported else STEPS
    if step not in allowed:
        raise BadInput(field="step",
                       message=f"step: must be one of {', '.join(allowed)}, not {step!r}")


def record(station_id: str, step: str, at: dt.datetime | None = None, by: str = "system") -> bool:
    """Record a step the system observes (e.g. the scans module: `scan_uploaded`). Keeps the
    first time; returns False when the step was already recorded."""
    from sailau.protocols.models import StepTime

    check_step(step, reported=False)
    _, created = StepTime.objects.get_or_create(
        station_id=station_id, step=step, defaults={"at": at or clock.now(), "recorded_by": by})
    if created:  # a station's file shows its steps: the batches woken on commit
        from sailau.ledger import wake

        wake.stage_written("batches")
    return created


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarise(minutes: list[float]) -> dict:
    if not minutes:
        return {"n": 0, "median": None, "p90": None, "max": None}
    v = sorted(minutes)
    return {"n": len(v), "median": round(median(v), 1), "p90": round(_quantile(v, 0.9), 1),
            "max": round(v[-1], 1)}


def distributions(election_id: str, start: str = POLLS_CLOSED) -> dict:
    """Minutes from `start` to every later step, per territory: {territory_id: {step: summary}}.
    Stations missing either time are left out of that step's numbers (the `n` says how many)."""
    from sailau.elections.models import Station
    from sailau.protocols.models import StepTime

    check_step(start, reported=False)
    territory = dict(Station.objects.filter(election_id=election_id)
                     .values_list("id", "territory_id"))
    times: dict[str, dict[str, dt.datetime]] = {}
    for sid, step, at in (StepTime.objects.filter(station__election_id=election_id)
                          .values_list("station_id", "step", "at").iterator(chunk_size=5000)):
        times.setdefault(sid, {})[step] = at
    spans: dict[str, dict[str, list[float]]] = {}
    for sid, steps in times.items():
        t0 = steps.get(start)
        if t0 is None:
            continue
        per = spans.setdefault(territory[sid], {})
        for step, at in steps.items():
            if step != start:
                per.setdefault(step, []).append((at - t0).total_seconds() / 60)
    return {t: {step: summarise(per.get(step, [])) for step in STEPS if step != start}
            for t, per in sorted(spans.items())}
