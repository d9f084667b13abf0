"""The demo's results over time are one night a visitor can watch grow: the protocols the build
routes are stamped on a night that ends at the build, so one that arrives afterwards at the real
clock (as the live night's do, through the API) continues the same curve; and what the build
stamps around the night (observers' reports, complaints after the vote) is on that night, never
in the future."""

import datetime as dt
import itertools
import json

import pytest
from django.utils import timezone

from sailau.demo.chain import NIGHT, Night, route
from sailau.demo.load import load
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols import services
from sailau.protocols.models import StepTime
from sailau.publish.files import progress
from sailau.publish.pages import progress_chart
from tests.factories import operator, warnings

pytestmark = pytest.mark.django_db


def _national_list(election) -> Contest:
    return Contest.objects.get(election=election, kind="party_list",
                               commission__level=Commission.CEC)


def _points(svg_points: str) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in svg_points.split()]


def test_a_live_arrival_continues_the_night_the_build_routed(small_synthetic):
    election = load(small_synthetic, route=False)
    ids = sorted(s["id"] for s in small_synthetic.stations)
    route(small_synthetic, only=set(ids[:90]))
    contest = _national_list(election)
    # One more station made definitive by its two operators at the real clock.
    live = Station.objects.get(pk=ids[90])
    p = small_synthetic.protocols[(live.id, contest.id)]
    ack = warnings(contest, p["figures"], p["choices"])
    before = timezone.now()
    for n, typist in enumerate((operator(live), operator(live)), start=1):
        services.finalise(typist, live.id, contest.id, n, p["figures"], p["choices"], ack)

    series = progress.progress(contest)
    now = timezone.now()
    assert series.reported == 91
    times = [a.at for a in series.arrivals]
    assert now - dt.timedelta(days=1) < min(times) and max(times) <= now, (min(times), now)
    assert series.arrivals[-1].station == live.id and series.arrivals[-1].at >= before
    # The chart rises across its width: no step from one point to the next spans half of it
    # (with the build on 2023's night, the live arrival was one step across the whole chart).
    chart = progress_chart.chart(series)
    points = _points(chart["reporting"])
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # SVG's y grows downwards
    width = chart["right"] - chart["left"]
    assert max(b - a for a, b in itertools.pairwise(xs)) < width / 2, xs


def test_the_built_night_ends_at_the_build_and_nothing_is_in_the_future(small_synthetic):
    from sailau.complaints.demo import generate as complaints
    from sailau.observation.demo import generate as observation
    from sailau.observation.models import ChecklistSubmission, Incident

    election = load(small_synthetic, route=False)
    night = Night.ending()
    route(small_synthetic, night=night)
    assert night.ends - night.closing == NIGHT
    steps = list(StepTime.objects.filter(station__election=election).values_list("step", "at"))
    assert {s for s, _ in steps} >= {"polls_closed", "protocol_signed", "definitive"}
    assert all(night.closing <= at <= night.ends for _, at in steps), max(at for _, at in steps)
    truth = json.loads(json.dumps(small_synthetic.truth))
    observation(election, seed=3, share=1.0, truth=truth, closing=night.closing)
    now = timezone.now()
    counting = ChecklistSubmission.objects.filter(stage="counting")
    assert counting.exists()
    assert all(night.closing < c.observed_at < now for c in counting)
    assert all(night.closing - dt.timedelta(hours=13) < at < now for at in
               Incident.objects.values_list("occurred_at", flat=True))
    filed = complaints(election, seed=5, n=120, closing=night.closing)
    now = timezone.now()
    assert all(c.filed_at <= now for c in filed)
    # After the vote (not appeals, which follow their decisions on the election's calendar):
    # about the count, on the night.
    after = [c for c in filed if c.contests_id is None
             and timezone.localtime(c.filed_at).date() > election.date]
    assert after and all(night.closing <= c.filed_at for c in after)


def test_serving_an_old_build_says_its_night_ended_long_ago():
    from sailau.cli.demo import _since_the_night

    def plan(hours_ago: float) -> dict:
        ends = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
        return {"night": {"closing": (ends - NIGHT).isoformat(), "ends": ends.isoformat()}}

    assert "ended 30 hours ago" in _since_the_night(plan(30)) and "--rebuild" in \
        _since_the_night(plan(30))
    assert _since_the_night(plan(0.1)) == "" and _since_the_night({}) == ""


@pytest.mark.parametrize("utc_hour", [19, 23])  # 00:30 and 04:30 the next day in Almaty
def test_complaints_built_after_almaty_midnight_are_decided_after_they_are_filed(
        small_synthetic, monkeypatch, utc_hour):
    """Between 19:00 and 24:00 UTC Almaty is already on the next day: a complaint filed then is
    filed on that day, and its decision may not be dated the UTC day before (the demo's build
    stopped there: 'cannot be dated before the complaint was filed')."""
    from sailau.complaints.demo import generate as complaints

    election = load(small_synthetic, route=False)
    at = dt.datetime.combine(dt.date.today(), dt.time(utc_hour, 30), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: at)
    filed = complaints(election, seed=5, n=120, closing=at - NIGHT)
    decided = [c for c in filed if c.decided]
    assert decided
    assert all(timezone.localtime(c.filed_at).date() <= c.decision.decided_on <=
               timezone.localdate(at) for c in decided)
