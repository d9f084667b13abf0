"""Factories for tests that need a handful of objects (factory_boy). A station comes with its
commission tree (precinct under district under territorial under the election's one CEC), a
contest with its choices, a definitive protocol through the real protocol chain (two operators,
so the entries, the version, the totals and the audit record are as on election night), a role
with its commission scope. The synthetic national election (`tests/conftest.py`) is for tests
at scale.

    station = StationFactory()                        # a new election, tree and all
    other = beside(station)                           # a second station in its district
    contest = ContestFactory(election=station.election)  # after the stations: its totals
    protocol = DefinitiveProtocolFactory(station=station, contest=contest)
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from sailau.accounts.models import Role
from sailau.elections import electorate
from sailau.elections.models import Choice, Commission, Contest, Election, Party, Station
from sailau.protocols import services, tabulation
from sailau.protocols.models import Protocol

PARTIES = ("amanat", "auyl", "respublica")


class ElectionFactory(DjangoModelFactory):
    class Meta:
        model = Election

    id = factory.Sequence(lambda n: f"kz.test.{n:03d}")
    kind = "mazhilis"
    date = dt.date(2023, 3, 19)
    names = factory.LazyAttribute(lambda o: {"kk": f"Сынақ сайлауы {o.id}",
                                             "ru": f"Тестовые выборы {o.id}",
                                             "en": f"Test election {o.id}"})


class CommissionFactory(DjangoModelFactory):
    class Meta:
        model = Commission

    election = factory.SubFactory(ElectionFactory)
    level = Commission.PRECINCT
    number = factory.Sequence(lambda n: n + 1)
    id = factory.LazyAttribute(lambda o: f"{o.election.id}.{o.level}.{o.number:04d}")
    names = factory.LazyAttribute(lambda o: {"kk": f"№{o.number} комиссия",
                                             "ru": f"Комиссия №{o.number}",
                                             "en": f"Commission {o.number}"})


class CecFactory(CommissionFactory):
    """The election's Central Election Commission: one per election, made once."""

    class Meta:
        django_get_or_create = ("election", "level")

    level = Commission.CEC
    number = 0


def _below(parent: str, level: str):
    """A commission at `level` of the station's election, under the station's `parent`."""
    return factory.SubFactory(CommissionFactory, election=factory.SelfAttribute("..election"),
                              parent=factory.SelfAttribute(f"..{parent}"), level=level)


class StationFactory(DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True  # its hook writes the electorate, not the station

    class Params:
        cec = factory.SubFactory(CecFactory, election=factory.SelfAttribute("..election"))

    election = factory.SubFactory(ElectionFactory)
    territory = _below("cec", Commission.TERRITORIAL)
    district = _below("territory", Commission.DISTRICT)
    commission = _below("district", Commission.PRECINCT)
    smd = None
    id = factory.SelfAttribute("commission.id")
    number = factory.SelfAttribute("commission.number")
    addresses = factory.LazyFunction(lambda: {"kk": "Абай көшесі, 1"})
    settlements = factory.LazyFunction(lambda: {"kk": "Астана"})
    registered = 1000

    @factory.post_generation
    def votes_in(obj, create, extracted, **kwargs):
        # Its contests, as a structure import writes them (the contests made before it).
        if create:
            electorate.fill(obj.election_id, [obj.id])


def beside(station: Station, **kwargs) -> Station:
    """Another station in the same district."""
    return StationFactory(election=station.election, territory=station.territory,
                          district=station.district, **kwargs)


class ContestFactory(DjangoModelFactory):
    """A party-list contest under the 2023 Mazhilis rule set, with one choice per party (and
    "against all", which its form has). `ContestFactory(single_member=True, commission=smd)`
    makes a district's contest with candidates."""

    class Meta:
        model = Contest
        skip_postgeneration_save = True

    class Params:
        single_member = factory.Trait(kind=Contest.SINGLE_MEMBER, ruleset="kz-smd-2023", seats=1)

    election = factory.SubFactory(ElectionFactory)
    kind = "party_list"
    ruleset = "kz-mazhilis-2023"
    seats = 69  # the 2023 rule set's list seats
    commission = factory.SubFactory(CecFactory, election=factory.SelfAttribute("..election"))
    id = factory.LazyAttributeSequence(lambda o, n: f"{o.election.id}.{o.kind}.{n}")
    names = factory.LazyAttribute(lambda o: {"kk": f"{o.kind} {o.id}"})

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        keys = list(extracted or PARTIES)
        for i, key in enumerate(keys, start=1):
            party = None
            if obj.kind == "party_list":
                party = Party.objects.create(id=f"{obj.election_id}.{key}", election=obj.election,
                                             names={"kk": key}, short=key, registration_order=i)
            Choice.objects.create(contest=obj, key=key, names={"kk": key}, party=party, order=i)
        if obj.form.against_all:
            Choice.objects.create(contest=obj, key="against_all", names={"kk": "Бәріне қарсы"},
                                  order=len(keys) + 1)
        # Who votes in it and its totals at every level, at zero, as a structure import makes
        # them: so make the stations first, then the contest (a station made after it is added
        # to its electorate, not to its tallies).
        electorate.fill(obj.election_id)
        tabulation.ensure_tallies(obj)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True  # the password hook saves what it changes

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        """`UserFactory(password="pw")` for a test that logs in with one; none otherwise
        (hashing one is slow, and `force_login` needs none)."""
        if extracted:
            obj.set_password(extracted)
            if create:
                obj.save(update_fields=["password"])


class RoleFactory(DjangoModelFactory):
    """A role with a commission scope: `RoleFactory(kind=Role.COORDINATOR, commission=c)`."""

    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.OPERATOR
    commission = factory.SubFactory(CecFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Granted as `sailau roles grant` grants: with its audit record and its leaf in the
        election's log (`sailau audit verify` names a role row that neither grants)."""
        from sailau import audit
        from sailau.accounts.services import log_role

        role = super()._create(model_class, *args, **kwargs)
        audit.append("tests", "role.granted", role.scope or f"user/{role.user.username}",
                     {"user": role.user.username, "kind": role.kind, "scope": role.scope})
        log_role(role, "granted")
        return role


def logged(election: Election) -> Election:
    """The structure made by the factories logged as an import logs it (`structure` with its
    `contests` and `stations` leaves): call it once the election's stations and contests are
    made, before `sailau audit verify`, which names an election whose log does not state it."""
    from sailau.elections import logged as structure_leaves

    structure_leaves.write_structure(election.id)
    return election


def operator(station: Station):
    return RoleFactory(kind=Role.OPERATOR, commission=station.commission).user


def coordinator(commission: Commission):
    return RoleFactory(kind=Role.COORDINATOR, commission=commission).user


def paper(contest: Contest, station: Station, votes: dict | None = None) -> tuple[dict, dict]:
    """A protocol that passes every control relation: 60 % of the station's voters came, 1 % of
    ballots invalid, the rest as `votes` (split evenly if not given, the remainder to the
    first choice)."""
    keys = [k for k in contest.choices.values_list("key", flat=True)]
    voters = station.registered
    issued = voters * 6 // 10
    invalid = issued // 100
    if votes is None:
        valid = issued - invalid
        votes = {k: valid // len(keys) for k in keys}
        votes[keys[0]] += valid - sum(votes.values())
    else:
        invalid = issued - sum(votes.values())
    figures = {"voters_on_list": voters, "ballots_received": voters, "issued_in_room": issued,
               "issued_mobile": 0, "issued_absentee": 0, "cancelled": voters - issued, "lost": 0,
               "found_stationary": issued, "found_mobile": 0, "mobile_requests": 0,
               "invalid": invalid}
    return figures, dict(votes)


def warnings(contest: Contest, figures: dict, choices: dict) -> list[str]:
    return [f.code for f in contest.form.check(figures, choices) if f.severity == "warning"]


class DefinitiveProtocolFactory(factory.Factory):
    """A station's definitive protocol, typed twice by two operators through the protocol
    chain. `figures`/`choices` default to `paper(contest, station)`; warnings are
    acknowledged."""

    class Meta:
        model = Protocol

    station = factory.SubFactory(StationFactory)
    contest = factory.SubFactory(ContestFactory, election=factory.SelfAttribute("..station.election"))
    figures = None
    choices = None

    @classmethod
    def _create(cls, model_class, station, contest, figures=None, choices=None):
        if figures is None or choices is None:
            fig, cho = paper(contest, station)
            figures, choices = figures or fig, choices or cho
        ack = warnings(contest, figures, choices)
        for n in (1, 2):
            res = services.finalise(operator(station), station.id, contest.id, n, figures,
                                    choices, ack)
        assert res.state == "definitive", res
        return model_class.objects.current().of(station, contest).get()


def amend(protocol: Protocol, moved: int = 2) -> Protocol:
    """Version 2 of `protocol` by a commission decision through the chain: `moved` votes from
    its leading choice to the next. Returns the new current version."""
    fig, cho = dict(protocol.figures), dict(protocol.choices)
    src, dst = sorted(cho, key=lambda k: -cho[k])[:2]
    cho[src] -= moved
    cho[dst] += moved
    contest = protocol.contest
    who = coordinator(protocol.station.territory)
    services.amend(who, protocol.station_id, protocol.contest_id, fig, cho, "77/1",
                   contest.election.date + dt.timedelta(days=1), "recount ordered",
                   warnings(contest, fig, cho))
    return Protocol.objects.current().of(protocol.station_id, protocol.contest_id).get()
