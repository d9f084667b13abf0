"""Names in an imported file resolved to the election's contests, parties, commissions and
ballot candidates, each failure a RowError naming the row and column."""

from sailau.elections.models import (
    Candidate,
    Commission,
    Contest,
    Election,
    Party,
    spellings,
)
from sailau.languages import texts
from sailau.law.table import RowError

T = texts("candidates.resolve")


def office_of(contest: Contest) -> str:
    """The office a contest fills, as the candidacy rules name it: the body its kind elects
    where its commission is (`law.kinds.ContestKind.elects`): the President, the Mazhilis (its
    national list or a district of the CEC's), a maslikhat."""
    commission = contest.commission
    return contest.contest_kind.elects(
        commission.level, commission.parent.level if commission.parent_id else None).name


class Resolver:
    def __init__(self, election: Election):
        self.election = election
        self.contests = {c.id: c for c in Contest.objects.filter(election=election)
                         .select_related("commission__parent")}
        self.parties: dict[str, Party] = {}
        for p in Party.objects.filter(election=election):
            for name in (p.id, p.id.rsplit(".", 1)[-1], p.short, *spellings(p, "name").values()):
                if name:
                    self.parties.setdefault(name.casefold(), p)
        self.commissions = dict(Commission.objects.filter(election=election)
                                .exclude(level=Commission.PRECINCT).values_list("id", "names__kk"))
        self._ballots: dict[str, dict[str, list[Candidate]]] = {}
        self.linked = set(Candidate.objects.filter(contest__election=election,
                                                   nominations__isnull=False)
                          .values_list("id", flat=True))

    def contest(self, row: int, raw: str) -> Contest:
        c = self.contests.get(raw) or self.contests.get(f"{self.election.id}.{raw}")
        if c is None:
            raise RowError.at(row, "contest", T(
                "{raw!r} is not a contest of this election").format(raw=raw))
        return c

    def party(self, row: int, raw: str) -> Party:
        p = self.parties.get(raw.casefold())
        if p is None:
            raise RowError.at(row, "party", T(
                "{raw!r} is not a party of this election").format(raw=raw))
        return p

    def body(self, row: int, raw: str, contest: Contest) -> str:
        """The deciding commission: a commission id of the election, or by default the
        commission the contest belongs to. Stored as the id."""
        if not raw:
            return contest.commission_id
        if raw in self.commissions:
            return raw
        if f"{self.election.id}.{raw}" in self.commissions:
            return f"{self.election.id}.{raw}"
        raise RowError.at(row, "body", T(
            "{raw!r} is not a commission of this election").format(raw=raw))

    def ballot(self, row: int, contest: Contest, ident: str, name: str,
               party: Party | None) -> Candidate | None:
        """The ballot's candidate: the one named by id (`ident`), else the only one of that name
        (and party) in the contest that no other nomination has taken."""
        names = self._ballots.get(contest.id)
        if names is None:
            names = self._ballots[contest.id] = {}
            for c in Candidate.objects.filter(contest=contest):
                names.setdefault(" ".join(c.full_name.split()).casefold(), []).append(c)
                names.setdefault(c.id, []).append(c)
        if ident:
            found = names.get(ident, [])
            if not found or found[0].id in self.linked:
                raise RowError.at(row, "candidate", T(
                    "{ident!r} is not a candidate on this "
                    "contest's ballot, or is taken").format(ident=ident))
        else:
            found = [c for c in names.get(name.casefold(), [])
                     if party is None or c.party_id in (None, party.id)]
            if len(found) != 1 or found[0].id in self.linked:
                return None
        self.linked.add(found[0].id)
        return found[0]
