import pytest

from sailau.accounts.models import Role
from sailau.elections import electorate
from sailau.elections.models import Candidate, Contest
from tests import factories as f

HEADER = "recipient,recipient_kind,direction,source_kind,donor,amount_kzt,date\n"


def csv_of(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


@pytest.fixture
def election(db):
    """An election with the 2023 list contest (parties amanat, auyl, respublica) and one
    single-member district with a candidate."""
    contest = f.ContestFactory()
    election = contest.election
    smd = Contest.objects.create(id=f"{election.id}.smd.1", election=election,
                                 kind=Contest.SINGLE_MEMBER, ruleset="kz-smd-2023", seats=1,
                                 commission=contest.commission, names={"kk": "№1 округ"})
    electorate.fill(election.id)
    Candidate.objects.create(id=f"{smd.id}.c1", contest=smd, full_name="Омарова Айгүл",
                             party_id=f"{election.id}.amanat")
    return f.logged(election)


@pytest.fixture
def admin(election):
    return f.RoleFactory(kind=Role.ADMIN, commission=f.CecFactory(election=election),
                         user=f.UserFactory(username="fin-admin", password="pw")).user
