"""Fixtures shared by the protocol chain's tests (protocols, audit, api): a small synthetic
election loaded without protocols, and users with roles in it."""

import pytest

from sailau.demo.synthetic import build

_SYN = {}


def synthetic(stations: int = 60, seed: int = 11):
    if (seed, stations) not in _SYN:
        _SYN[(seed, stations)] = build(seed=seed, stations=stations)
    return _SYN[(seed, stations)]


class People:
    """Users with roles, made on demand: `people.operator(station)`, `people.coordinator(...)`."""

    def __init__(self, election):
        from sailau.elections.models import Commission, Station

        self.election = election
        self.stations = list(Station.objects.filter(election=election).order_by("number"))
        self.cec = Commission.objects.get(election=election, level=Commission.CEC)
        self.n = 0

    def user(self, kind=None, commission=None, name=None):
        from django.contrib.auth.models import User

        from sailau.accounts import services

        self.n += 1
        u = User.objects.create_user(name or f"u{self.n}-{kind or 'public'}")  # no password: fast; tests log in with force_login
        if kind:  # granted with its audit record, as `sailau roles grant` does: audit verify reads them
            services.grant(None, u.username, kind, commission or "")
        return u

    def operator(self, station, name=None):
        return self.user("operator", station.commission_id, name)

    def coordinator(self, commission_id, name=None):
        return self.user("coordinator", commission_id, name)

    def admin(self, name=None):
        return self.user("admin", self.cec.id, name)


@pytest.fixture
def chain_election(db):
    from sailau.demo.load import load

    syn = synthetic()
    return syn, load(syn, route=False)


@pytest.fixture
def people(chain_election):
    return People(chain_election[1])


def enter_twice(people, station, contest_id, figures, choices):
    """Both entries of a protocol typed by two operators, as the entry form sends them (the
    warnings acknowledged); the protocol is then definitive."""
    from sailau.protocols import services
    from sailau.protocols.catalog import Catalog

    form = Catalog().contest(contest_id).form
    acks = [f.code for f in form.check(figures, choices) if f.severity == "warning"]
    for n in (1, 2):
        res = services.finalise(people.operator(station), station.id, contest_id, n, figures,
                                choices, acks)
    assert res.state == "definitive"
