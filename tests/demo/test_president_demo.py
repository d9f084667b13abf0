"""`sailau demo --election president-2019` builds the early presidential election of 9 June 2019
on the 17 territorial units of the time, its seven candidates named in Kazakh, Russian and
English: by default drawn so that nobody has a majority, every station of the first round
counted and the second round of its two leaders created and served on its own night; with
`--first-round-decides` on the official shares, Tokayev elected in the first round and no
second round. Each verifies (`sailau verify`, `sailau audit verify`), with every time it wrote
on the election's calendar."""

import datetime as dt
import json
from fractions import Fraction

import pytest

from sailau import clock
from sailau.demo import elections, extras, president2019
from sailau.demo.night_plan import plan_path
from sailau.elections.models import Choice, Commission, Contest, Election
from sailau.integrity import service
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol, Tally
from tests.demo.kinds_helpers import on_calendar, verifies

pytestmark = pytest.mark.django_db
STATIONS = 60
BEFORE = dt.timedelta(days=60)  # the earliest a build may date anything before election day


@pytest.fixture(autouse=True)
def _small(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(extras, "SCAN_SAMPLE", 4)  # scan images cost ~50 ms each
    monkeypatch.setattr(extras, "VOTERS", 200)
    yield
    clock.reset()  # the build set its clock on the election's night


def _result(contest):
    return tabulation.outcome(Tally.objects.get(contest=contest, commission__level="cec")).result


def _first_round(election):
    assert election.kind == "president"
    assert Commission.objects.filter(election=election, level="territorial").count() == 17
    [contest] = Contest.objects.filter(election=election)
    assert contest.ruleset == president2019.RULESET
    names = {c.key: (c.names["kk"], c.names["ru"], c.names["en"]) for c in
             Choice.objects.filter(contest=contest).exclude(key="against_all")}
    assert names["tokayev"] == ("Тоқаев Қасым-Жомарт", "Токаев Касым-Жомарт",
                                "Kassym-Jomart Tokayev")
    assert len(names) == 7 and all(all(n) for n in names.values())
    return contest


def test_the_first_round_decides_on_the_official_shares(capsys):
    election = elections.build("president-2019", 2019, STATIONS, 70, say=lambda *a, **k: None,
                               first_round_decides=True)
    assert election.id == president2019.ELECTION_ID
    contest = _first_round(election)
    assert Protocol.objects.current().filter(contest=contest).count() == round(0.7 * STATIONS)
    result = _result(contest)
    assert result.ranking[0] == "tokayev" and result.runoff is None
    assert Fraction(result.shares["tokayev"]) > Fraction(1, 2)
    # the official 70.96 %, give or take the synthetic draw and the stuffing injected
    assert abs(float(Fraction(result.shares["tokayev"])) - 0.7096) < 0.06
    assert not Election.objects.exclude(pk=election.id).exists()  # no second round
    plan = json.loads(plan_path().read_text())
    assert plan["election"] == election.id and plan["stations"]
    assert service.get(contest, stale_ok=True)["stations_reported"] == round(0.7 * STATIONS)
    on_calendar(election.id, president2019.ELECTION_DATE - BEFORE, clock.now())
    verifies(election.id, capsys)


def test_no_majority_calls_a_second_round_on_its_own_night(capsys):
    served = elections.build("president-2019", 2019, STATIONS, 60, say=lambda *a, **k: None)
    first = Election.objects.get(pk=president2019.ELECTION_ID)
    contest = _first_round(first)
    # every station of the first round counted, and nobody with more than half
    assert Protocol.objects.current().filter(contest=contest).count() == STATIONS
    result = _result(contest)
    assert result.elected is None and set(result.runoff) == {"tokayev", "kosanov"}
    assert Fraction(result.shares["tokayev"]) < Fraction(1, 2)
    on_calendar(first.id, president2019.ELECTION_DATE - BEFORE, clock.now())
    verifies(first.id, capsys)
    assert served.id != first.id, "the second round was not created"
    assert served.date == president2019.SECOND_ROUND_DATE
    [second] = Contest.objects.filter(election=served)
    assert set(Choice.objects.filter(contest=second).values_list("key", flat=True)) \
        >= {"tokayev", "kosanov"}
    reported = Protocol.objects.current().filter(contest=second).count()
    assert reported == round(0.6 * served.stations.count())
    plan = json.loads(plan_path().read_text())
    assert plan["election"] == served.id and plan["stations"]
    assert service.get(second, stale_ok=True)["stations_reported"] == reported
    on_calendar(served.id, president2019.SECOND_ROUND_DATE - BEFORE, clock.now())
    verifies(served.id, capsys)
