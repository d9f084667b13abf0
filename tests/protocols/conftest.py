"""Fixtures of the protocol tests: the synthetic election for tests at scale
(`chain_election`, `people`), a dozen stations made by the factories for the rest (`few`,
`crew`)."""

import pytest

from sailau.elections.models import Commission
from tests import factories as f
from tests.chain_fixtures import People, chain_election, people  # noqa: F401


def list_contest(election):
    return f"{election.id}.list"


@pytest.fixture
def few(db):
    """Twelve stations, three in each of two districts of two territories; the list contest;
    a single-member district's contest in which only the last station votes."""
    election = f.ElectionFactory()
    cec = f.CecFactory(election=election)
    smd = f.CommissionFactory(election=election, level=Commission.SMD, parent=cec)
    for i in range(2):
        t = f.CommissionFactory(election=election, level=Commission.TERRITORIAL, parent=cec)
        for j in range(2):
            d = f.CommissionFactory(election=election, level=Commission.DISTRICT, parent=t)
            for k in range(3):
                last = (i, j, k) == (1, 1, 2)
                f.StationFactory(election=election, territory=t, district=d,
                                 smd=smd if last else None)
    f.ContestFactory(election=election, id=list_contest(election))
    f.ContestFactory(election=election, single_member=True, commission=smd,
                     id=f"{election.id}.smd", choices=["a", "b"])
    return f.logged(election)


@pytest.fixture
def crew(few):
    return People(few)
