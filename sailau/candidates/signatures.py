"""Signature sheets of a presidential nominee checked against the election's voter lists
(`sailau.voters`): the law's check (`sailau.law.signatures`) given the register as a lookup, the
regions as the election's territorial commissions and their registered voters."""

from django.db.models import Sum

from sailau.candidates.models import Nomination
from sailau.elections.models import Candidate, Commission, Election, Station, spellings
from sailau.errors import BadInput, NotFound
from sailau.languages import texts
from sailau.law import get_ruleset, kinds
from sailau.law import signatures as law
from sailau.register.iin import is_valid_iin
from sailau.voters.models import ListEntry

T = texts("candidates.signatures")


def rules_of(election: Election) -> tuple[law.SignatureRules, str]:
    """The signature rules of the election's presidential contest, and that contest's id."""
    for cid, name in election.contests.filter(kind__in=kinds.named(office="president")).values_list("id", "ruleset"):
        try:
            return get_ruleset(name).signature_rules, cid
        except LookupError:
            continue
    raise BadInput(message=T("this election asks for no signatures (no presidential contest)"),
                   field="election")


def nominee(election: Election, contest_id: str, ident: str) -> str:
    """The nominee's name, found by nomination key or ballot candidate id in the contest."""
    nom = Nomination.objects.filter(election=election, contest_id=contest_id, key=ident).first()
    if nom is not None:
        return nom.full_name
    cand = Candidate.objects.filter(contest_id=contest_id, id=ident).first()
    if cand is not None:
        return cand.full_name
    raise NotFound(message=T(
        "{ident!r}: no such presidential nominee").format(ident=ident), field="candidate")


class Regions:
    """The territorial commissions: each known by id, by id without the election's prefix, by
    number, and by its names in kk/ru/en."""

    def __init__(self, election: Election):
        self.names: dict[str, str] = {}
        prefix = f"{election.id}."
        for c in Commission.objects.filter(election=election, level=Commission.TERRITORIAL):
            for name in (c.id, c.id.removeprefix(prefix), str(c.number),
                         *spellings(c, "name").values()):
                if name:
                    self.names.setdefault(name.casefold(), c.id)
        self.voters = {t: n or 0 for t, n in Station.objects.filter(election=election)
                       .values_list("territory_id").annotate(n=Sum("registered"))}
        for tid in set(self.names.values()):
            self.voters.setdefault(tid, 0)

    def __call__(self, raw: str) -> str | None:
        return self.names.get(" ".join(raw.split()).casefold())


def register_of(election: Election, lines: list[law.Line]):
    """A lookup of each voter the sheets name: by IIN (12 digits) or by register id."""
    iins = {ln.voter for ln in lines if len(ln.voter) == 12}
    ids = {int(ln.voter) for ln in lines if len(ln.voter) != 12}
    found: dict[str, law.Registered] = {}
    entries = ListEntry.objects.filter(election=election).values_list(
        "voter__iin", "voter_id", "eligible", "home_station__territory_id")
    for chunk in _chunks(sorted(iins)):
        for iin, vid, ok, region in entries.filter(voter__iin__in=chunk):
            found[iin] = law.Registered(region, ok)
    for chunk in _chunks(sorted(ids)):
        for iin, vid, ok, region in entries.filter(voter_id__in=chunk):
            found[str(vid)] = law.Registered(region, ok)

    def lookup(voter: str):
        if len(voter) == 12 and not is_valid_iin(voter):
            return law.INVALID_IIN
        return found.get(voter)
    return lookup


def _chunks(items: list, size: int = 900):  # SQLite binds at most 999 parameters
    for i in range(0, len(items), size):
        yield items[i:i + size]


def check(election: Election, text: str, candidate: str, seed: int = 0) -> dict:
    """The whole check of one nominee's sheets, as JSON; BadInput naming the row and column."""
    rules, contest_id = rules_of(election)
    name = nominee(election, contest_id, candidate)
    regions = Regions(election)
    lines = law.read_sheets(text, regions)
    result = law.check(lines, register_of(election, lines), regions.voters, rules, seed=seed,
                       period=(None, election.date))
    return {"election": election.id, "contest": contest_id, "candidate": candidate,
            "name": name, **result}
