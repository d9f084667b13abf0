"""Are the stored totals the sum of the definitive protocols? `check` recomputes every level of
every contest from the current protocols (`tabulation.computed`) and names each stored figure
that differs, for `sailau tally check` and `sailau audit verify` alike; `repair` rebuilds the
contests that differ, with an audit record of what it changed.

A missing tally row is reported as the field "tally" (stored null); a row for a commission
that has no station of the contest, as "tally" with computed null. A count absent from one side
and zero on the other is no difference (a line nobody has reported yet)."""

from dataclasses import dataclass

from sailau.elections.models import Contest
from sailau.protocols import tabulation
from sailau.protocols.models import Tally


@dataclass(frozen=True)
class Mismatch:
    contest: str
    commission: str
    field: str  # stations_expected, stations_reported, figures.<line>, choices.<key>, tally
    stored: object
    computed: object

    def to_json(self) -> dict:
        return {"contest": self.contest, "commission": self.commission, "field": self.field,
                "stored": self.stored, "computed": self.computed}

    def __str__(self) -> str:
        return (f"contest {self.contest}, commission {self.commission}: {self.field} is "
                f"{self.stored} stored, {self.computed} from the protocols")


@dataclass(frozen=True)
class Report:
    contests: int
    stations_expected: int  # (station, contest) pairs: every protocol the contests expect
    stations_reported: int  # of which have a definitive protocol
    mismatches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def to_json(self) -> dict:
        return {"contests": self.contests, "stations_expected": self.stations_expected,
                "stations_reported": self.stations_reported,
                "mismatches": [m.to_json() for m in self.mismatches]}


def _counts(part: str, stored: dict, want: dict):
    for k in sorted(set(stored) | set(want)):
        a, b = stored.get(k, 0), want.get(k, 0)
        if a != b:
            yield f"{part}.{k}", a, b


def contest_mismatches(contest: Contest) -> tuple[list[Mismatch], int, int]:
    """(mismatches, stations expected, stations reported) of one contest."""
    want = tabulation.computed(contest)
    stored = {t.commission_id: t for t in Tally.objects.filter(contest=contest)}
    out = []
    for area in sorted(set(want) | set(stored)):
        w, t = want.get(area), stored.get(area)
        if t is None or w is None:
            out.append(Mismatch(contest.id, area, "tally",
                                None if t is None else t.stations_reported,
                                None if w is None else w.reported))
            continue
        diffs = [("stations_expected", t.stations_expected, w.expected),
                 ("stations_reported", t.stations_reported, w.reported),
                 *_counts("figures", t.figures, w.figures),
                 *_counts("choices", t.choices, w.choices)]
        out += [Mismatch(contest.id, area, f, a, b) for f, a, b in diffs if a != b]
    top = want.get(contest.commission_id)
    return out, top.expected if top else 0, top.reported if top else 0


def contests(election_id: str | None = None):
    qs = Contest.objects.select_related("commission").order_by("election_id", "id")
    return qs.filter(election_id=election_id) if election_id else qs


def check(election_id: str | None = None) -> Report:
    """Every contest of one election (or of all), checked level by level."""
    n = expected = reported = 0
    mismatches: list[Mismatch] = []
    for c in contests(election_id):
        found, e, r = contest_mismatches(c)
        n += 1
        expected += e
        reported += r
        mismatches += found
    return Report(n, expected, reported, tuple(mismatches))


def repair(report: Report, actor: str = "system") -> list[str]:
    """Rebuild each contest the report names, each in its own transaction with an audit
    record listing the figures it corrected. Returns the contests rebuilt."""
    from django.db import transaction

    from sailau import audit

    by_contest: dict[str, list[Mismatch]] = {}
    for m in report.mismatches:
        by_contest.setdefault(m.contest, []).append(m)
    done = []
    for cid in sorted(by_contest):
        with transaction.atomic():
            contest = Contest.objects.select_related("commission").get(pk=cid)
            tabulation.rebuild(contest)
            audit.append(actor, "tally.repaired", cid,
                         {"mismatches": [m.to_json() for m in by_contest[cid]]})
        done.append(cid)
    return done
