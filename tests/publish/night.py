"""A small election's night as a sequence of events, for the property tests of the publication's
pairs of implementations (`test_pipeline_pairs.py`): Hypothesis draws the events, `Night` plays
them through the real services, each at its own moment on the application's clock, and the
publication is read at one fixed moment after all of them.

The election is the smallest that shows every part a round rewrites: four stations in two
territories (two districts in the first, so a territory sums two districts), a party-list
contest of the whole country and a single-member district over the first territory's
stations (a district's station table, a contest below the CEC)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from sailau import clock
from sailau.elections import electorate
from sailau.elections.models import Commission
from sailau.protocols.models import Protocol
from sailau.turnout import services as turnout
from tests import factories as f

STATIONS = 4
EVENING = dt.datetime(2023, 3, 19, 15, 0, tzinfo=dt.UTC)  # polls closed (20:00 in Astana)
PUBLISHED = dt.datetime(2023, 3, 20, 23, 0, tzinfo=dt.UTC)  # every publication's moment

# One event: what happens, at which station (by its place in `Night.stations`), how many
# minutes after the polls closed it is stamped (so that arrivals come in any order of time,
# not only in the order they are played), and a small number the event uses as it may.
EVENT = st.tuples(st.sampled_from(["protocol", "amend", "turnout", "nothing"]),
                  st.integers(0, STATIONS - 1), st.integers(0, 240), st.integers(0, 3))
EVENTS = st.lists(EVENT, min_size=1, max_size=6)


class Night:
    """The election, made at a moment before every event, and what has happened in it."""

    def __init__(self, monkeypatch):
        self.moment = EVENING - dt.timedelta(hours=1)
        monkeypatch.setattr(clock, "now", lambda: self.moment)
        first = f.StationFactory()
        e = first.election
        second = f.beside(first)
        third = f.StationFactory(election=e, territory=first.territory)
        fourth = f.StationFactory(election=e)
        self.stations = [first, second, third, fourth]
        self.election = e
        self.party_list = f.ContestFactory(election=e)
        smd = f.CommissionFactory(election=e, level=Commission.SMD, parent=first.territory)
        for s in self.stations[:3]:
            s.smd = smd
            s.save(update_fields=["smd"])
        electorate.fill(e.id, [s.id for s in self.stations[:3]])
        self.district = f.ContestFactory(election=e, single_member=True, commission=smd,
                                         choices=["a", "b", "c"])
        f.logged(e)
        self.hours: dict[str, int] = {}  # station -> the last hour it reported turnout for
        self.amended: dict[str, dt.datetime] = {}  # station -> its last amendment's moment

    def contests(self, i: int):
        return [self.party_list] + ([self.district] if i < 3 else [])

    def play(self, event) -> None:
        what, i, minutes, n = event
        self.moment = EVENING + dt.timedelta(minutes=minutes)
        station = self.stations[i]
        current = [Protocol.objects.current().of(station, c).first() for c in self.contests(i)]
        if what == "protocol":
            # A contest of the station not reported yet (the `n`-th of those left), else an
            # amendment of its protocol.
            left = [c for c, p in zip(self.contests(i), current) if p is None]
            if left:
                c = left[n % len(left)]
                fig, cho = f.paper(c, station)
                keys = sorted(cho)
                moved = min(n * 7, cho[keys[0]])  # other shares than the last station's
                cho[keys[0]] -= moved
                cho[keys[-1]] += moved
                f.DefinitiveProtocolFactory(station=station, contest=c, figures=fig, choices=cho)
                return
            what = "amend"
        if what == "amend":
            done = [p for p in current if p is not None]
            if done:
                # A decision of the day after (the law's date of one: not before it), and after
                # the station's last decision: a later version is never stamped before the
                # version it replaces (the chain stamps each at its own write).
                self.moment = max(self.moment + dt.timedelta(days=1),
                                  self.amended.get(station.id, self.moment)
                                  + dt.timedelta(minutes=1))
                self.amended[station.id] = self.moment
                f.amend(done[n % len(done)], moved=n + 1)
        elif what == "turnout" and not any(current):
            # The next hour of the day's reports (10, 12, 14...), more ballots each time.
            hour = self.hours.get(station.id, 8) + 2
            if hour <= 18:
                self.hours[station.id] = hour
                turnout.write([(station.id, hour, 50 * hour + n, "operator", self.moment)],
                              self.election.id)

    def publication_moment(self) -> None:
        self.moment = PUBLISHED

    def commissions(self) -> list[str]:
        """Every commission a contest's results over time are read at."""
        s = self.stations[0]
        return sorted({c.id for c in Commission.objects.filter(election=self.election)
                       if c.level != Commission.PRECINCT} | {s.district_id})

