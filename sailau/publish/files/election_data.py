"""What every published document of one election needs, loaded once (`ElectionData`: its
contests, its commissions and their tree, the contests' forms and choices), and the small
formatting rules the documents share (names in three languages, times, turnout).

The documents themselves: `station_documents` (one per station), `commission_documents` (one
per commission, and the election's); the pages' view models built from them: `page_models`.
Pages, downloads, snapshots and the API all read these, so that they show the same figures
(and a snapshot can be checked against the database by rebuilding it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from sailau.elections import electorate
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.languages import WRITTEN as LANGS  # the languages names are written in
from sailau.protocols.models import Tally


def names(obj) -> dict:
    return {lang: obj.name(lang) for lang in LANGS}


def stamp(value) -> str | None:
    return value.isoformat() if value else None


# Contests of wider areas first on a page: the Mazhilis, then the regional maslikhat, ...
AREA_RANK = {Commission.CEC: 0, Commission.TERRITORIAL: 1, Commission.DISTRICT: 2,
             Commission.SMD: 3}


@dataclass
class ElectionData:
    """What every document of one election needs, loaded once."""

    election: Election
    contests: list[Contest] = field(default_factory=list)
    # Station id -> the ids of the contests it votes in; loaded for the whole election on the
    # first station asked about that is not here (`for_station` gives its one station's).
    electorate: dict[str, set[str]] | None = None

    @classmethod
    def load(cls, election: Election | str) -> ElectionData:
        if isinstance(election, str):
            election = Election.objects.get(id=election)
        contests = list(Contest.objects.filter(election=election)
                        .select_related("commission").prefetch_related("choices__party"))
        return cls(election, contests)

    @classmethod
    def for_station(cls, station: Station) -> ElectionData:
        """Only the contests the station votes in: what a station page needs, fast."""
        contests = list(electorate.contests(station)
                        .select_related("commission").prefetch_related("choices__party"))
        return cls(station.election, contests, {station.id: {c.id for c in contests}})

    @cached_property
    def commissions(self) -> dict[str, Commission]:
        """Every commission above the precincts (a precinct commission is its station)."""
        # In a fixed order: numbers repeat across levels and territories, and PostgreSQL
        # returns rows in no particular order, so a file built from this must not depend on it.
        # The levels named, not the precincts excluded: SQLite then seeks each level in the
        # (election, level) index, instead of walking every commission of the election
        # (8 ms a load at 100,000 stations, a precinct commission each).
        above = [lv for lv, _ in Commission.LEVELS if lv != Commission.PRECINCT]
        return {c.id: c for c in Commission.objects.filter(election=self.election, level__in=above)
                .order_by("level", "number", "id")}

    @cached_property
    def rounds(self) -> dict:
        """`first_round` and `second_round` as the election's log names them
        (`elections.rounds.links`): a presidential repeat vote and the round it repeats."""
        from sailau.elections.rounds import links

        return links(self.election.id)

    @cached_property
    def children(self) -> dict[str, list[Commission]]:
        out: dict[str, list[Commission]] = defaultdict(list)
        for c in sorted(self.commissions.values(), key=lambda c: (c.level, c.number, c.id)):
            if c.parent_id:
                out[c.parent_id].append(c)
        return out

    @cached_property
    def forms(self) -> dict[str, object]:
        return {c.id: c.form for c in self.contests}

    @cached_property
    def choice_keys(self) -> dict[str, list[str]]:
        return {c.id: [ch.key for ch in sorted(c.choices.all(), key=lambda ch: ch.order)]
                for c in self.contests}

    def know_stations(self, station_ids) -> None:
        """Read the contests of these stations only (`contests_of_station` would otherwise
        read the whole election's on the first of them)."""
        # (in place: kept between the batches' rounds, `roundmemo.election_data`, it may hold
        # the whole election's)
        if self.electorate is None:
            self.electorate = {}
        self.electorate.update(electorate.of_stations(station_ids))

    def contests_of_station(self, station: Station) -> list[Contest]:
        if self.electorate is None or station.id not in self.electorate:
            self.electorate = electorate.of_election(self.election.id)
        mine = self.electorate.get(station.id, set())
        return [c for c in self.contests if c.id in mine]

    def contests_of_commission(self, commission: Commission) -> list[Contest]:
        """The contests the commission has totals of: its own (a maslikhat's), and those of
        the areas above it that it counts a part of (the Mazhilis list at every level of the
        main tree, a regional maslikhat's list at its districts), the widest first."""
        above = {commission.id}
        if commission.level in (Commission.TERRITORIAL, Commission.DISTRICT):
            above |= {a.id for a in self.ancestors(commission.id)}
        return sorted((c for c in self.contests if c.commission_id in above),
                      key=lambda c: AREA_RANK.get(c.commission.level, len(AREA_RANK)))

    def ancestors(self, commission_id: str) -> list[Commission]:
        """From the CEC down to the commission's parent."""
        out = []
        c = self.commissions.get(commission_id)
        # Bounded: a cycle stored before imports checked the tree must not hang the page.
        while c is not None and c.parent_id and len(out) < len(self.commissions):
            c = self.commissions.get(c.parent_id)
            if c is not None:
                out.append(c)
        return out[::-1]

    def tallies(self, commission_ids=None) -> dict[tuple[str, str], Tally]:
        qs = Tally.objects.filter(contest__election=self.election)
        if commission_ids is not None:
            qs = qs.filter(commission_id__in=list(commission_ids))
        return {(t.contest_id, t.commission_id): t for t in qs}
