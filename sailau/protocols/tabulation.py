"""Totals at every level, computed from the current protocols, never typed in.

Every (contest, commission) pair has its tally row from the moment the structure is imported
(`ensure_tallies`), so the hot path never creates or deletes tallies: making a protocol
definitive moves the totals of the levels above its station by the difference between its old
and new protocol (`apply_deltas`), under row locks taken in one fixed order (contest id, then
row id). On PostgreSQL two transactions that touch the same tally queue on its row lock and the
second adds its difference to what the first committed; on SQLite the write transaction
(BEGIN IMMEDIATE) already serialises writers. `rebuild` recomputes a contest from its
protocols for repair, under the same locks, updating rows in place.

A contest whose rows are missing (a database from before tallies came with the structure) gets
them on its first protocol: created with INSERT ... ON CONFLICT DO NOTHING from the protocols
other transactions have committed, so that when several transactions race to create them one
wins, the others find its rows, and each then adds only its own difference."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from sailau import clock
from sailau.audit.sql import update_rows
from sailau.elections import areas as area_rules
from sailau.elections import electorate
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol, Tally


def areas(station: Station, contest: Contest) -> list[str]:
    """Ids of the commissions whose totals for `contest` include `station`, a station that
    votes in it (of `stations_of`, or a pair the catalog checked)."""
    return area_rules.tally_areas(station, contest)


def stations_of(contest: Contest):
    return electorate.stations(contest)


@dataclass
class Totals:
    """What one tally should hold: the sums of the current protocols below its commission."""

    figures: Counter = field(default_factory=Counter)
    choices: Counter = field(default_factory=Counter)
    reported: int = 0
    expected: int = 0


def computed(contest: Contest) -> dict[str, Totals]:
    """Every level of `contest` summed from its current protocols, as this transaction sees
    them: commission id -> Totals (a commission with no station of the contest has none)."""
    out: dict[str, Totals] = defaultdict(Totals)
    area_of = {}
    for s in stations_of(contest).only(*area_rules.STATION_COLUMNS):
        area_of[s.id] = areas(s, contest)
        for a in area_of[s.id]:
            out[a].expected += 1
    rows = Protocol.objects.current().filter(contest=contest).values_list(
        "station_id", "figures", "choices")
    for station_id, fig, cho in rows:
        for a in area_of.get(station_id, ()):
            t = out[a]
            t.figures.update(fig)
            t.choices.update(cho)
            t.reported += 1
    return dict(out)


def _tally(contest: Contest, area: str, t: Totals) -> Tally:
    return Tally(contest=contest, commission_id=area, figures=dict(t.figures),
                 choices=dict(t.choices), stations_reported=t.reported,
                 stations_expected=t.expected)


def ensure_tallies(contest: Contest, pending: "Deltas | None" = None) -> int:
    """Create the tallies `contest` lacks, with the totals of its current protocols; rows that
    exist are left alone (INSERT ... ON CONFLICT DO NOTHING), so calling it again, or from many
    transactions at once, is harmless. `pending`: changes this transaction has stored but not yet
    added to the tallies (its caller adds them next), left out of the rows created here. Returns
    the number of rows it tried to create."""
    have = set(Tally.objects.filter(contest=contest).values_list("commission_id", flat=True))
    want = computed(contest)
    missing = sorted(a for a in want if a not in have)
    if not missing:
        return 0
    rows = []
    for a in missing:
        t = want[a]
        if pending is not None:
            key = (contest.id, a)
            t.figures.subtract(pending.figures.get(key, {}))
            t.choices.subtract(pending.choices.get(key, {}))
            t.reported -= pending.reported.get(key, 0)
        rows.append(_tally(contest, a, t))
    Tally.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def ensure_election(election_id: str) -> int:
    """`ensure_tallies` for every contest of an election: the end of a structure import."""
    return sum(ensure_tallies(c) for c in
               Contest.objects.filter(election_id=election_id).select_related("commission"))


def _lock(contest_id: str, commissions=None) -> list[Tally]:
    """The contest's tallies (those of `commissions` only, if given), locked in row order: every
    writer locks in this order, contests by id, so two writers cannot deadlock."""
    qs = Tally.objects.select_for_update().filter(contest_id=contest_id)
    if commissions is not None:
        qs = qs.filter(commission_id__in=commissions)
    return list(qs.order_by("pk"))


@transaction.atomic
def rebuild(contest: Contest) -> int:
    """Recompute every tally of `contest` from its protocols (imports, repair) and write them in
    place; returns the number of tallies written. Safe while protocols arrive: it holds the
    contest's tally locks while it reads, so a protocol committed before is counted and one
    committed after adds its difference to the rebuilt totals."""
    _lock(contest.id)
    ensure_tallies(contest)
    want = computed(contest)
    now = clock.now()
    rows = []
    stale = []
    for t in _lock(contest.id):
        w = want.get(t.commission_id)
        if w is None:
            stale.append(t.pk)
            continue
        rows.append((dict(w.figures), dict(w.choices), w.reported, w.expected, now, t.pk))
    if stale:  # a commission that no longer has stations of the contest
        Tally.objects.filter(pk__in=stale).delete()
    update_rows(Tally, ["figures", "choices", "stations_reported", "stations_expected",
                        "updated_at"], rows)
    return len(rows)


class Deltas:
    """Changes to many tallies, summed before they are written: a bulk submission updates each
    tally once, a single protocol updates the three or four above its station."""

    def __init__(self):
        self.figures: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.choices: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.reported: Counter = Counter()
        self.contests: dict[str, Contest] = {}

    def add(self, contest: Contest, station: Station, old: tuple[dict, dict] | None,
            new: tuple[dict, dict]) -> None:
        """`old`/`new`: (figures, choices) of the station's previous and new current protocol."""
        self.contests[contest.id] = contest
        for a in areas(station, contest):
            key = (contest.id, a)
            self.figures[key].update(new[0])
            self.choices[key].update(new[1])
            if old is None:
                self.reported[key] += 1
            else:
                self.figures[key].subtract(old[0])
                self.choices[key].subtract(old[1])

    def __bool__(self) -> bool:
        return bool(self.figures)


def apply_deltas(deltas: Deltas) -> int:
    """Write summed changes into the tallies, locked in the fixed order. Call inside the
    transaction that stores the protocols, after storing them. Returns tallies updated."""
    if not deltas:
        return 0
    by_contest: dict[str, set[str]] = defaultdict(set)
    for cid, a in deltas.figures:
        by_contest[cid].add(a)
    now = clock.now()
    changed = []
    for cid in sorted(by_contest):
        tallies = _lock(cid, by_contest[cid])
        if len(tallies) < len(by_contest[cid]):  # rows never created: see the module's doc
            ensure_tallies(deltas.contests[cid], pending=deltas)
            tallies = _lock(cid, by_contest[cid])
        for t in tallies:
            key = (cid, t.commission_id)
            fig, cho = Counter(t.figures), Counter(t.choices)
            fig.update(deltas.figures[key])
            cho.update(deltas.choices[key])
            t.figures, t.choices = dict(fig), dict(cho)
            t.stations_reported += deltas.reported[key]
            t.updated_at = now
            changed.append(t)
    update_rows(Tally, ["figures", "choices", "stations_reported", "updated_at"],
                [(t.figures, t.choices, t.stations_reported, t.updated_at, t.pk) for t in changed])
    return len(changed)


def apply(contest: Contest, station: Station, old: Protocol | None, new: Protocol) -> None:
    """Add the difference between `old` (None for a first definitive protocol) and `new` into
    every tally above the station. Call inside the transaction that stores `new`."""
    d = Deltas()
    d.add(contest, station, None if old is None else (old.figures, old.choices),
          (new.figures, new.choices))
    apply_deltas(d)


class _Facts:
    """What the contest's kind needs besides its totals (`sailau.law.kinds.ContestFacts`), from
    the database."""

    def __init__(self, contest: Contest):
        self.contest = contest

    def seats(self) -> int:
        return self.contest.seats

    def registration_order(self) -> list[str]:
        return registration_order(self.contest)

    def regions(self) -> dict:
        """A referendum's totals per region (territorial commission): adoption of a
        constitutional change counts the regions with a majority of participants for it."""
        return {t.commission_id: (t.figures, t.choices)
                for t in Tally.objects.filter(contest=self.contest,
                                              commission__level=Commission.TERRITORIAL)}


def outcome(tally: Tally) -> "ContestOutcome":  # noqa: F821 (the law's type)
    """The result of a contest's tally under its rule set (`to_json()` for the API): final
    when every station of the contest has reported, provisional before, not computable while
    the rule set lacks what it needs (no votes yet). The input is built by the law's
    `contest_outcome`, as the offline verifier builds it from the published files."""
    from sailau.law.outcomes.totals import contest_outcome

    contest = tally.contest
    return contest_outcome(contest.ruleset, contest.kind, tally.figures, tally.choices,
                           _Facts(contest), final=tally.complete,
                           reported=tally.stations_reported, expected=tally.stations_expected)


def registration_order(contest: Contest) -> list[str]:
    """The contest's choice keys in the order their parties were registered (the rule set's
    tie-break order), against all left out."""
    # Then by ballot order and key: choices without a party (or of one party) must come out in
    # the same order on every database, since outcome.json publishes this list.
    return list(contest.choices.exclude(key="against_all")
                .order_by("party__registration_order", "order", "key")
                .values_list("key", flat=True))
