"""The results-over-time series kept between renders (`publish.progress_series`): after a new
protocol, an amendment, or a protocol that shows up below the highest id already read, it is
the series read from every protocol again, and neither a new protocol nor one committed a
little below the highest id read makes it reread them."""

import datetime as dt

import pytest

from sailau.elections.models import Contest
from sailau.protocols import services, tabulation
from sailau.protocols.models import Protocol
from sailau.publish.files import arrivals, progress
from tests.protocols.conftest import list_contest
from tests.protocols.test_services import acks, make_definitive, national_tally, paper

pytestmark = pytest.mark.django_db


def _same_as_a_full_read(contest, commission_id=None):
    """The kept series, checked against one read from every protocol; returns it."""
    kept = progress.progress(contest, commission_id)
    full, _ = arrivals.compute(contest, commission_id)
    assert kept.arrivals == full.arrivals
    assert (kept.expected, kept.as_of) == (full.expected, full.as_of)
    assert kept.points() == full.points()
    return kept


def _no_full_read(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("read every protocol again")
    monkeypatch.setattr(arrivals, "compute", refuse)


def test_a_new_protocol_is_added_without_reading_the_others(few, crew, monkeypatch):
    c = Contest.objects.get(pk=list_contest(few))
    for st in crew.stations[:3]:
        make_definitive(few, crew, st)
    first = _same_as_a_full_read(c)
    assert first.reported == 3
    make_definitive(few, crew, crew.stations[3])
    with monkeypatch.context() as m:
        _no_full_read(m)
        kept = progress.progress(c)
    assert kept.reported == 4 and kept.arrivals[-1].station == crew.stations[3].id
    tally = national_tally(few)
    assert kept.points()[-1]["votes"] == {k: tally.choices.get(k, 0)
                                          for k in kept.points()[-1]["votes"]}
    _same_as_a_full_read(c)
    # The territory of the new station has its own series, kept beside the national one.
    _same_as_a_full_read(c, crew.stations[3].territory_id)


def test_an_amendment_replaces_the_stations_votes_and_keeps_its_place(few, crew, monkeypatch):
    c = Contest.objects.get(pk=list_contest(few))
    for st in crew.stations[:4]:
        make_definitive(few, crew, st)
    before = _same_as_a_full_read(c)
    st = crew.stations[1]
    fig, cho = paper(st, c.id)
    moved = dict(cho)
    src, dst = sorted(cho, key=lambda k: -cho[k])[:2]
    moved[src] -= 3
    moved[dst] += 3
    services.amend(crew.coordinator(st.territory_id), st.id, c.id, fig, moved, "7/1",
                   dt.date(2023, 3, 20), "recount", acks(c.id, fig, moved))
    with monkeypatch.context() as m:
        _no_full_read(m)
        kept = progress.progress(c)
    assert [a.station for a in kept.arrivals] == [a.station for a in before.arrivals]
    assert kept.points()[-1]["votes"][dst] == before.points()[-1]["votes"][dst] + 3
    assert kept.as_of > before.as_of
    _same_as_a_full_read(c)


def test_a_protocol_below_the_highest_id_read_is_not_missed(few, crew, monkeypatch):
    """On PostgreSQL a protocol can commit after one with a higher id was read. Below the window
    read again (`WINDOW`, here none), the tally shows it and the series does not, so the series
    is read again from every protocol."""
    from sailau.publish.files import progress_series

    monkeypatch.setattr(progress_series, "WINDOW", 0)
    c = Contest.objects.get(pk=list_contest(few))
    make_definitive(few, crew, crew.stations[0])
    late = Protocol.objects.get(station=crew.stations[0], contest=c)
    Protocol.objects.filter(pk=late.pk).update(current=False)  # not visible yet
    make_definitive(few, crew, crew.stations[1])
    tabulation.rebuild(c)
    assert progress.progress(c).reported == 1
    Protocol.objects.filter(pk=late.pk).update(current=True)  # its commit lands
    tabulation.rebuild(c)
    full_reads = []
    compute = arrivals.compute
    monkeypatch.setattr(arrivals, "compute",
                        lambda *a, **k: full_reads.append(a) or compute(*a, **k))
    assert progress.progress(c).reported == 2
    assert full_reads, "the late protocol was found without reading every protocol again"
    monkeypatch.setattr(arrivals, "compute", compute)
    _same_as_a_full_read(c)


def test_a_protocol_committed_below_the_highest_id_read_is_taken_as_it_comes(
        few, crew, monkeypatch):
    """On election night on PostgreSQL most renders found a protocol committed after one with
    a higher id (the chain inserts it, then waits its turn for the tallies): each made the
    national page read every protocol of the contest again. The protocols are read again from
    `WINDOW` ids below the highest read, those read before skipped."""
    from sailau.publish.files import progress_series

    # Protocols of another contest first: ids are shared by every contest's, so this one's
    # start above them and the window below the highest read begins above 0 (read by id, as
    # on a night; SQLite's test database numbers each test's rows from 1).
    make_definitive(few, crew, crew.stations[-1], f"{few.id}.smd")
    c = Contest.objects.get(pk=list_contest(few))
    make_definitive(few, crew, crew.stations[0])
    late = Protocol.objects.get(station=crew.stations[0], contest=c)
    Protocol.objects.filter(pk=late.pk).update(current=False)  # not visible yet
    make_definitive(few, crew, crew.stations[1])
    read = Protocol.objects.get(station=crew.stations[1], contest=c)
    tabulation.rebuild(c)
    assert progress.progress(c).reported == 1
    Protocol.objects.filter(pk=late.pk).update(current=True)  # its commit lands
    tabulation.rebuild(c)
    # The window reaches the late one, and the one read before is in it (skipped, not counted
    # twice); read by id, as on a night, not from the start.
    monkeypatch.setattr(progress_series, "WINDOW", read.pk - late.pk + 1)
    since = []
    current_after = arrivals.current_after
    monkeypatch.setattr(arrivals, "current_after", lambda contest, cid, after, *a, **k: (
        since.append(after) or current_after(contest, cid, after, *a, **k)))
    with monkeypatch.context() as m:
        _no_full_read(m)
        kept = progress.progress(c)
    assert since and min(since) > 0, since
    assert {a.station for a in kept.arrivals} == {crew.stations[0].id, crew.stations[1].id}
    _same_as_a_full_read(c)
    # One more stored later: added alone, the two read before in the window skipped.
    make_definitive(few, crew, crew.stations[2])
    with monkeypatch.context() as m:
        _no_full_read(m)
        assert progress.progress(c).reported == 3
    _same_as_a_full_read(c)


def test_as_of_follows_the_tally(few, crew):
    smd = Contest.objects.get(pk=f"{few.id}.smd")
    st = crew.stations[-1]
    assert progress.as_of(smd) is None
    make_definitive(few, crew, st, smd.id)
    first = progress.as_of(smd)
    assert first == arrivals.compute_as_of(smd)
    fig, cho = paper(st, smd.id)
    moved = {**cho, "a": cho["a"] + 1, "b": cho["b"] - 1}
    services.amend(crew.coordinator(st.territory_id), st.id, smd.id, fig, moved, "7/2",
                   dt.date(2023, 3, 20), "recount", acks(smd.id, fig, moved))
    assert progress.as_of(smd) == arrivals.compute_as_of(smd) > first


def test_as_of_reads_only_the_protocols_after_the_highest_id_it_read(few, crew, monkeypatch):
    """A national page asks every district's "as of" after each protocol: the kept one is
    brought up to date from the newer protocols (here amendments), not from all of the
    district's; and after `AS_OF_FULL_EVERY` it is read in full again."""
    from sailau.publish.files import progress_series

    smd = Contest.objects.get(pk=f"{few.id}.smd")
    st = crew.stations[-1]
    make_definitive(few, crew, st, smd.id)
    assert progress.as_of(smd) == arrivals.compute_as_of(smd)
    read_after = []
    real = arrivals.latest_definitive
    monkeypatch.setattr(arrivals, "latest_definitive", lambda c, at, since=0: (
        read_after.append(since) or real(c, at, since)))

    def amend(k):
        fig, cho = paper(st, smd.id)
        moved = {**cho, "a": cho["a"] + k, "b": cho["b"] - k}
        services.amend(crew.coordinator(st.territory_id), st.id, smd.id, fig, moved, f"7/{k}",
                       dt.date(2023, 3, 20), "recount", acks(smd.id, fig, moved))
        return Protocol.objects.filter(contest=smd).order_by("-pk").values_list(
            "pk", flat=True)[1]

    before = amend(1)
    assert progress.as_of(smd) == real(smd)[0]
    assert read_after == [before]  # only what came after the protocol read first
    monkeypatch.setattr(progress_series, "AS_OF_FULL_EVERY", 0.0)
    monkeypatch.setattr(progress_series, "AS_OF_COST_FACTOR", 0.0)
    amend(2)
    assert progress.as_of(smd) == real(smd)[0] and read_after[-1] == 0


def test_a_costly_full_as_of_is_read_again_only_after_many_times_its_cost(
        few, crew, monkeypatch):
    """The full read of an "as of" (every protocol and step time of the district: ~1 s for the
    country at 100,000 stations) waits `AS_OF_COST_FACTOR` times what it cost, beyond
    `AS_OF_FULL_EVERY`; the kept one is brought up to date meanwhile."""
    from sailau.publish.files import progress_series

    smd = Contest.objects.get(pk=f"{few.id}.smd")
    st = crew.stations[-1]
    make_definitive(few, crew, st, smd.id)
    monkeypatch.setattr(progress_series, "AS_OF_FULL_EVERY", 0.0)
    clock = [1000.0]
    monkeypatch.setattr(progress_series.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(progress_series.time, "time", lambda: clock[0])
    real = arrivals.latest_definitive

    def full_read_costs_a_second(c, at, since=0):
        if since == 0:
            clock[0] += 1.0
        read.append(since)
        return real(c, at, since)
    read = []
    monkeypatch.setattr(arrivals, "latest_definitive", full_read_costs_a_second)
    progress.as_of(smd)
    assert read == [0]

    def amend(k):
        fig, cho = paper(st, smd.id)
        moved = {**cho, "a": cho["a"] + k, "b": cho["b"] - k}
        services.amend(crew.coordinator(st.territory_id), st.id, smd.id, fig, moved, f"8/{k}",
                       dt.date(2023, 3, 20), "recount", acks(smd.id, fig, moved))
    amend(1)
    clock[0] += progress_series.AS_OF_COST_FACTOR * 1.0 - 5
    assert progress.as_of(smd) == real(smd)[0]
    assert read[-1] != 0  # brought up to date, not read in full
    amend(2)
    clock[0] += 2
    assert progress.as_of(smd) == real(smd)[0]
    assert read[-1] != 0  # still: the cost is kept with the brought-up-to-date one
    amend(3)
    clock[0] += 10
    assert progress.as_of(smd) == real(smd)[0]
    assert read[-1] == 0  # past 300 times its cost: in full


def test_a_territorys_series_takes_no_protocol_from_another_territory(few, crew, monkeypatch):
    """New protocols are read by id, then their stations looked up (`current_after`): one
    from another territory, stored after the kept series, is not added to this one's."""
    c = Contest.objects.get(pk=list_contest(few))
    here = crew.stations[0].territory_id
    elsewhere = next(st for st in crew.stations if st.territory_id != here)
    same = next(st for st in crew.stations[1:] if st.territory_id == here)
    make_definitive(few, crew, crew.stations[0])
    assert _same_as_a_full_read(c, here).reported == 1
    make_definitive(few, crew, elsewhere)
    make_definitive(few, crew, same)
    with monkeypatch.context() as m:
        _no_full_read(m)
        kept = progress.progress(c, here)
    assert {a.station for a in kept.arrivals} == {crew.stations[0].id, same.id}
    _same_as_a_full_read(c, here)
