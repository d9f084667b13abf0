"""Which body a contest elects is read from its kind (`law.kinds.ContestKind.elects`): a kind
declared in the law alone is answered for by the candidacy rules' office and the election
page's list of maslikhats, with no edit elsewhere."""

import pytest

from sailau.candidates.resolve import office_of
from sailau.elections.models import Commission, Contest
from sailau.law import kinds
from sailau.law.outcomes.types import PartyListOutcome, SingleWinnerOutcome
from sailau.publish.files.commission_documents import maslikhat_commissions
from tests.factories import CecFactory, CommissionFactory, ElectionFactory

pytestmark = pytest.mark.django_db

# Two kinds the law does not have: a list for the body of where it is held, and a seat of a
# body of its own (the Kurultai, which no kind elects yet).
AREA_LIST = kinds.ContestKind("area_list", "A list of its area", PartyListOutcome, by_list=True)
KURULTAI_SEAT = kinds.ContestKind("kurultai_seat", "A Kurultai seat", SingleWinnerOutcome,
                                  district=True, body=kinds.KURULTAI)


@pytest.fixture
def new_kinds(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", {**kinds.KINDS, AREA_LIST.name: AREA_LIST,
                                         KURULTAI_SEAT.name: KURULTAI_SEAT})


def _contest(election, kind, commission, n):
    return Contest.objects.create(id=f"{election.id}.c{n}", election=election, kind=kind.name,
                                  ruleset="kz-maslikhat-2023", commission=commission,
                                  names={"kk": f"c{n}"})


def test_a_kind_declared_in_the_law_alone_says_which_body_it_elects(new_kinds):
    e = ElectionFactory()
    cec = CecFactory(election=e)
    region = CommissionFactory(election=e, level=Commission.TERRITORIAL, parent=cec)
    town = CommissionFactory(election=e, level=Commission.DISTRICT, parent=region)
    other = CommissionFactory(election=e, level=Commission.TERRITORIAL, parent=cec)
    smd = CommissionFactory(election=e, level=Commission.SMD, parent=town)
    national = _contest(e, AREA_LIST, cec, 1)
    regional = _contest(e, AREA_LIST, region, 2)
    in_town = _contest(e, AREA_LIST, smd, 3)
    seat = _contest(e, KURULTAI_SEAT, other, 4)  # held by a territorial commission

    assert [office_of(c) for c in (national, regional, in_town, seat)] == [
        "mazhilis", "maslikhat", "maslikhat", "kurultai"]
    # The regional list's maslikhat and the town's (through its district); not the other
    # region, whose commission holds a Kurultai seat, nor the CEC.
    assert maslikhat_commissions(e) == [region, town]
