"""Evidence that arrives after the integrity report was computed flags the station on the next
read of the report, without waiting for a protocol to change: an observer's copy that differs
from the published figures (the rewrite above the station) and an observer's count of voters
below the ballots issued (stuffing)."""

import datetime as dt
import uuid

import pytest

from sailau.integrity import service, table
from sailau.observation import models as m
from sailau.protocols.models import Protocol, StepTime


@pytest.fixture
def report(small_election, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    contest = table.principal_contest(small_election.id)
    return contest, service.get(contest)


@pytest.fixture
def observer(small_election):
    org = m.Organisation.objects.create(election=small_election, kind="citizen",
                                        names={"kk": "Ұйым", "ru": "Организация", "en": "Org"})
    return m.Observer.objects.create(organisation=org, kind="citizen", full_name="A B",
                                     badge="T0001")


def clean_station(contest, data, small_synthetic):
    """A station with no injected falsification and no flag of its own."""
    return (Protocol.objects.current().filter(contest=contest)
            .exclude(station_id__in=set(data["stations"]) | set(small_synthetic.truth))
            .order_by("station__number").first())


def codes(data, sid):
    return {f["code"] for f in (data["stations"].get(sid) or {"flags": []})["flags"]}


def test_a_differing_copy_flags_the_station_at_once(report, observer, small_synthetic):
    contest, data = report
    p = clean_station(contest, data, small_synthetic)
    paper = dict(p.choices)
    first, second = list(paper)[:2]
    paper[first], paper[second] = paper[first] - 3, paper[second] + 3  # totals kept
    m.ObserverCopy.objects.create(uuid=uuid.uuid4(), observer=observer, station_id=p.station_id,
                                  contest=contest, figures=p.figures, choices=paper)
    again = service.get(contest)  # no recompute asked: the new copy makes the cache stale
    assert "I10" in codes(again, p.station_id)
    assert again["stations"][p.station_id]["status"] == "flagged"


def test_an_observers_short_count_flags_the_station_at_once(report, observer, small_synthetic):
    contest, data = report
    stations = list(Protocol.objects.current().filter(contest=contest)
                    .exclude(station_id__in=set(data["stations"]) | set(small_synthetic.truth))
                    .order_by("station__number")[:12])
    closes = dict(StepTime.objects.filter(step="polls_closed").values_list("station_id", "at"))
    short = stations[0]
    for p in stations:
        issued = sum(p.figures[k] for k in table.ISSUED)
        seen = issued - (issued // 5 if p is short else 0)  # a fifth of the ballots unseen
        m.VoterCount.objects.create(uuid=uuid.uuid4(), observer=observer, station_id=p.station_id,
                                    moment="departure", voters=seen,
                                    at=closes.get(p.station_id, dt.datetime(2023, 3, 19, 15, tzinfo=dt.UTC)))
    again = service.get(contest)
    assert "I19" in codes(again, short.station_id)
    assert all("I19" not in codes(again, p.station_id) for p in stations[1:])
