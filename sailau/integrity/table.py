"""The station table of one contest, read from the current definitive protocols joined to their
stations, in the two shapes the analytics read: `criteria.StationTable` (every line of every
protocol) and `stations.StationResults` (the counts the forensic tests use). Stations whose
counts cannot be analysed are listed with the reason, as the file readers do."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sailau.analysis import criteria, stuffing
from sailau.analysis.stations import StationResults, validate_counts
from sailau.elections import electorate
from sailau.elections.models import Contest
from sailau.law import LawInputError, figures, kinds
from sailau.law.forms import ISSUED
from sailau.protocols.models import Protocol


@dataclass
class ContestTable:
    contest: Contest
    table: criteria.StationTable
    results: StationResults
    leader: str | None
    numbers: dict[str, int]  # station id -> station number, for the pages
    expected: int  # stations that should report this contest
    missing: list[str]  # expected stations without a definitive protocol


def principal_contest(election_id: str, contest_id: str | None = None) -> Contest | None:
    """The contest the integrity report is about: the one asked for, else the first contest of
    the whole country (party list, president or referendum) rather than a single district."""
    contests = Contest.objects.filter(election_id=election_id)
    if contest_id:
        return contests.filter(id=contest_id).first()
    return (contests.exclude(kind__in=kinds.named(district=True)).order_by("kind", "id").first()
            or contests.first())


def build(contest: Contest) -> ContestTable:
    rows = list(Protocol.objects.current().filter(contest=contest)
                .order_by("station__number")
                .values_list("station_id", "station__number", "station__district_id",
                             "station__territory_id", "figures", "choices", "station__kind",
                             "station__urban"))
    ids = [r[0] for r in rows]
    figures = [r[4] for r in rows]
    choices = [r[5] for r in rows]
    table = criteria.StationTable(
        station_ids=ids, district=[r[2] for r in rows], territory=[r[3] for r in rows],
        figures=figures, choices=choices,
        kind=[stuffing.peer_kind(r[6], r[7]) for r in rows])
    try:
        form = contest.form
    except LawInputError:  # an unknown rule set: judge without control relations, and say so
        form = None
    table.findings = (criteria.check_findings(form, figures, choices) if form
                      else [[] for _ in rows])
    leader = criteria.leader_of(table)
    expected = _expected(contest)
    reported = set(ids)
    missing = [s for s in expected if s not in reported]
    return ContestTable(contest, table, _results(table, [r[1] for r in rows], leader), leader,
                        {r[0]: r[1] for r in rows}, len(expected), missing)


def _expected(contest: Contest) -> list[str]:
    stations = electorate.stations(contest)
    return list(stations.order_by("number").values_list("id", flat=True))


def _results(table: criteria.StationTable, numbers: list[int], leader: str | None) -> StationResults:
    """Counts as in sources.read_sailau: ballots cast = the three 'issued' lines, counted = valid
    + invalid (+ both marked on a referendum), registered = voters on the list."""
    ids = np.asarray(table.station_ids, dtype=object)
    rows = np.asarray(numbers, dtype=np.int64)
    registered = table.column("voters_on_list")
    ballots = table.column(*ISSUED)
    keys = table.choice_keys()
    choices = {k: table.votes(k) for k in keys}
    # The ballots found, as the law counts them (`figures.counted`), column by column.
    counted = figures.counted({k: table.column(k) for k in figures.NOT_VOTES}, choices)
    lead = choices.get(leader) if leader else None
    ok, unusable = validate_counts(ids, rows, registered, ballots, counted, lead)
    for u in unusable:  # the "row" of a station in the database is its number
        u["number"] = u.pop("row")
    territories = {"territory": np.asarray(table.territory, dtype=object)[ok],
                   "district": np.asarray(table.district, dtype=object)[ok]}
    return StationResults(
        station_ids=ids[ok], rows=rows[ok], registered=registered[ok], ballots=ballots[ok],
        counted=counted[ok], leader_votes=None if lead is None else lead[ok], leader=leader,
        choices={k: v[ok] for k, v in choices.items()}, territories=territories,
        unusable=unusable,
        source={"format": "protocols", "stations_read": len(ids), "stations_used": int(ok.sum()),
                "stations_unusable": len(unusable), "leader": leader})
