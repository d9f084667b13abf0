"""Totals at every level, computed from the current protocols, never typed in.

`rebuild` recomputes a contest from scratch (imports, repair); `apply` moves the totals of every
level above one station by the difference between its old and new protocol, so making one
protocol definitive costs a handful of row updates, not a recount."""

from collections import Counter, defaultdict

from django.db import transaction

from sailau.audit.sql import update_rows
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol, Tally


def areas(station: Station, contest: Contest) -> list[str]:
    """Ids of the commissions whose totals for `contest` include `station`."""
    if contest.commission.level == Commission.SMD:
        return [contest.commission_id] if station.smd_id == contest.commission_id else []
    return [station.district_id, station.territory_id, contest.commission_id]


def stations_of(contest: Contest):
    qs = Station.objects.filter(election_id=contest.election_id)
    if contest.commission.level == Commission.SMD:
        qs = qs.filter(smd_id=contest.commission_id)
    return qs


@transaction.atomic
def rebuild(contest: Contest) -> int:
    """Recompute every tally of `contest`; returns the number of tallies written."""
    figures: dict[str, Counter] = defaultdict(Counter)
    choices: dict[str, Counter] = defaultdict(Counter)
    expected: Counter = Counter()
    reported: Counter = Counter()
    by_station = {s.id: s for s in stations_of(contest).select_related(None)}
    for s in by_station.values():
        for a in areas(s, contest):
            expected[a] += 1
    rows = Protocol.objects.current().filter(contest=contest).values_list(
        "station_id", "figures", "choices")
    for station_id, fig, cho in rows:
        for a in areas(by_station[station_id], contest):
            figures[a].update(fig)
            choices[a].update(cho)
            reported[a] += 1
    Tally.objects.filter(contest=contest).delete()
    Tally.objects.bulk_create([
        Tally(contest=contest, commission_id=a, figures=dict(figures[a]),
              choices=dict(choices[a]), stations_reported=reported[a],
              stations_expected=expected[a])
        for a in expected
    ])
    return len(expected)


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
    """Write summed changes into the tallies (locked in a fixed order, so concurrent writers
    cannot deadlock). Call inside the transaction that stores the protocols. A contest whose
    tallies were never built is rebuilt from its protocols instead. Returns tallies updated."""
    if not deltas:
        return 0
    from django.utils import timezone

    keys = set(deltas.figures)
    by_contest: dict[str, set[str]] = defaultdict(set)
    for cid, a in keys:
        by_contest[cid].add(a)
    now = timezone.now()
    changed = []
    for cid in sorted(by_contest):
        tallies = list(Tally.objects.select_for_update().filter(
            contest_id=cid, commission_id__in=by_contest[cid]).order_by("pk"))
        if len(tallies) < len(by_contest[cid]):
            rebuild(deltas.contests[cid])  # reads the protocols just stored
            continue
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


def _regions(contest: Contest) -> dict:
    """A referendum's figures per region (territorial commission): adoption of a
    constitutional change counts the regions with a majority of participants for it."""
    return {t.commission_id: {"registered": t.figures.get("voters_on_list", 0),
                              "yes": t.choices.get("yes", 0), "no": t.choices.get("no", 0),
                              "both": t.figures.get("both_marked", 0),
                              "invalid": t.figures.get("invalid", 0)}
            for t in Tally.objects.filter(contest=contest,
                                          commission__level=Commission.TERRITORIAL)}


def outcome(tally: Tally) -> dict:
    """The result of a contest's tally under its rule set: final when every station of the
    contest has reported, provisional before."""
    from sailau.law import LawInputError, get_ruleset

    contest = tally.contest
    rs, kind = get_ruleset(contest.ruleset), contest.kind
    if contest.kind == "referendum":
        data = {"regions": _regions(contest)}
    else:
        votes = {k: v for k, v in tally.choices.items() if k != "against_all"}
        data = {"votes": votes, "invalid": tally.figures.get("invalid", 0)}
        if contest.form.against_all:
            data["against_all"] = tally.choices.get("against_all", 0)
        if kind == "party_list":
            order = list(contest.choices.exclude(key="against_all")
                         .order_by("party__registration_order").values_list("key", flat=True))
            data["registration_order"] = [k for k in order if k in votes]
            data["seats"] = contest.seats
    status = "final" if tally.complete else "provisional"
    try:
        result = rs.outcome(data, kind)
    except LawInputError as exc:  # e.g. no votes yet
        return {"status": status, "error": str(exc)}
    return {"status": status, "stations_reported": tally.stations_reported,
            "stations_expected": tally.stations_expected, "result": result}
