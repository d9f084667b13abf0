"""Chronometry: the time of each step per station, reported times, distributions per
territory."""

import datetime as dt

from ninja import Router, Schema

from sailau.api.auth import WRITE, user_of
from sailau.protocols import chronometry, services
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import StepTime

router = Router(tags=["chronometry"])


class TimeIn(Schema):
    step: str
    at: dt.datetime


@router.get("/stations/{station}", auth=None, summary="Every recorded step of a station")
def station_times(request, station: str):
    Catalog().station(station)
    return {t.step: {"at": t.at.isoformat(), "recorded_by": t.recorded_by}
            for t in StepTime.objects.filter(station_id=station)}


@router.post("/stations/{station}", auth=WRITE,
             summary="Report a step: polls_closed, protocol_signed, copy_to_observers "
                     "(precinct), received_by_territory (territorial commission)")
def report(request, station: str, body: TimeIn):
    services.record_time(user_of(request), station, body.step, body.at)
    return {"station": station, "step": body.step, "at": body.at.isoformat()}


@router.get("/elections/{election}", auth=None,
            summary="Minutes from the close of the polls to each step, per territory "
                    "(n, median, p90, max)")
def distributions(request, election: str, start: str = chronometry.POLLS_CLOSED):
    return chronometry.distributions(election, start)
