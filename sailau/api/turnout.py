"""Turnout through election day: a precinct's reports at the CEC's hours (write), and the
ballots issued by each hour summed from the stations' reports (public reads)."""

from ninja import Field, Router, Schema
from pydantic import StrictInt

from sailau.api.auth import WRITE, user_of
from sailau.elections.models import Election
from sailau.errors import Code, NotFound
from sailau.protocols.catalog import Catalog
from sailau.turnout import services

router = Router(tags=["turnout"])


class ReportIn(Schema):
    # Whole JSON numbers only: a lax int took `true` as 1 and "12", 12.0 or 1e3 as numbers,
    # so a bool or a string the service refuses was stored as a count.
    hour: StrictInt = Field(description="the local hour of the report: 12, 14, 16, 18 or 20")
    issued: StrictInt = Field(description="voters who have received ballots since the polls "
                                          "opened")


@router.get("/stations/{station}", auth=None,
            summary="A station's reports: hour -> ballots issued by then")
def station_reports(request, station: str):
    Catalog().station(station)
    return {"station": station,
            "reports": {str(h): n for h, n in sorted(services.of_station(station).items())}}


@router.post("/stations/{station}", auth=WRITE,
             summary="Report the ballots issued so far at one of the CEC's hours (never replaced)")
def report(request, station: str, body: ReportIn):
    row = services.report(user_of(request), station, body.hour, body.issued)
    return {"station": station, "hour": row.hour, "issued": row.issued,
            "reported_at": row.reported_at.isoformat()}


@router.get("/elections/{election}", auth=None,
            summary="Per hour: stations that reported, their voters on the list, the ballots "
                    "issued by then and its share of the list")
def by_hour(request, election: str, territory: str | None = None):
    if not Election.objects.filter(pk=election).exists():
        raise NotFound(code=Code.UNKNOWN_ELECTION, field="election",
                       message=f"no election {election!r}")
    return {"election": election, "territory": territory,
            "hours": services.by_hour(election, territory)}
