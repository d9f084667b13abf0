"""`sailau demo --election referendum-2022` builds the constitutional referendum of 5 June 2022:
the 17 regions of the time (Abai, Zhetisu and Ulytau not yet), one question with yes, no,
both marked and invalid, shaped on the official national result and the regional turnouts,
`--reported` percent of the stations through the protocol chain on the night of 5 June 2022,
the rest planned for the live night, its integrity report computed, and `sailau verify` and
`sailau audit verify` pass on what it built."""

import datetime as dt
import json

import pytest

from sailau import clock
from sailau.demo import elections, extras, referendum2022
from sailau.demo.chain import Night
from sailau.demo.night_plan import plan_path
from sailau.demo.regions2019 import REGIONS
from sailau.elections.models import Commission, Contest
from sailau.integrity import service
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol, Tally
from tests.demo.kinds_helpers import on_calendar, verifies

pytestmark = pytest.mark.django_db
STATIONS = 60


@pytest.fixture(autouse=True)
def _small(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(extras, "SCAN_SAMPLE", 4)  # scan images cost ~50 ms each
    monkeypatch.setattr(extras, "VOTERS", 200)
    yield
    clock.reset()  # the build set its clock on the referendum's night


def test_the_referendum_is_built_on_its_regions_counted_and_verified(capsys):
    election = elections.build("referendum-2022", 2022, STATIONS, 70, say=lambda *a, **k: None)
    assert election.id == referendum2022.ELECTION_ID and election.kind == "referendum"
    territories = Commission.objects.filter(election=election, level="territorial")
    # the election commissions acting as the referendum's, named so (law.kinds.REFERENDUM)
    assert sorted(t.names["en"] for t in territories) == sorted(
        f"{r.en} territorial referendum commission" for r in REGIONS)
    assert Commission.objects.get(election=election, level="cec").names["ru"] == (
        "Центральная комиссия референдума")
    assert {c.place("ru") for c in territories} == {r.ru for r in REGIONS}
    assert len(REGIONS) == 17 and not any(
        w in t.names["en"] for t in territories for w in ("Abai", "Jetisu", "Ulytau"))
    [contest] = Contest.objects.filter(election=election)
    assert (contest.kind, contest.ruleset) == ("referendum", "kz-referendum-constitutional-2022")

    protocols = list(Protocol.objects.current().filter(contest=contest))
    assert len(protocols) == round(0.7 * STATIONS)
    assert all(set(p.choices) == {"yes", "no"} and "both_marked" in p.figures for p in protocols)
    # the national shape of the official result: about 77 % of the participants yes
    yes = sum(p.choices["yes"] for p in protocols)
    took_part = sum(p.choices["yes"] + p.choices["no"] + p.figures["both_marked"]
                    + p.figures["invalid"] for p in protocols)
    assert abs(yes / took_part - referendum2022.YES / referendum2022.TOOK_PART) < 0.05
    # decided on the 17 regions: valid and adopted, every region counted
    result = tabulation.outcome(Tally.objects.get(contest=contest,
                                                  commission__level="cec")).result
    assert len(result.regions) == 17 and result.regions_required == 12
    assert result.valid and result.adopted

    plan = json.loads(plan_path().read_text())
    assert plan["election"] == election.id and plan["stations"] and plan["reserved"]
    assert len(plan["stations"]) + len(plan["reserved"]) == STATIONS - len(protocols)
    # computed at the build, on the protocols that arrived
    report = service.get(contest, stale_ok=True)
    assert report["stations_reported"] == len(protocols)

    night = Night.of(referendum2022.ELECTION_DATE)
    assert clock.now() - night.ends < dt.timedelta(minutes=10)
    on_calendar(election.id, referendum2022.ELECTION_DATE - dt.timedelta(days=60), clock.now())
    verifies(election.id, capsys)
