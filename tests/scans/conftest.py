import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Scan files go to a fresh folder per test, so that "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


FIGURES = {"voters_on_list": 1480, "ballots_received": 1500, "issued_in_room": 911,
           "issued_mobile": 12, "issued_absentee": 3, "cancelled": 574, "lost": 0,
           "found_stationary": 913, "found_mobile": 12, "mobile_requests": 14, "invalid": 21,
           "valid": 904}
VOTES = {"amanat": 601, "auyl": 140, "respublica": 99, "against_all": 64}


@pytest.fixture
def tiny(db):
    """A few rows instead of a whole synthetic election: two stations of one district, a
    party-list contest and a single-member district, each with a definitive protocol."""
    from sailau.elections import electorate
    from sailau.elections import models as m
    from sailau.protocols.models import Protocol

    e = m.Election.objects.create(id="kz.test.2023-03-19", kind="mazhilis",
                                  date=dt.date(2023, 3, 19), names={"kk": "Мәжіліс сайлауы", "ru": "Выборы в Мажилис", "en": "Mazhilis election"})
    C = m.Commission
    cec = C.objects.create(id=f"{e.id}.cec", election=e, level=C.CEC, names={"kk": "ОСК"})
    ter = C.objects.create(id=f"{e.id}.ter.01", election=e, level=C.TERRITORIAL, parent=cec,
                           number=1, names={"kk": "Қарағанды облысы"})
    dis = C.objects.create(id=f"{e.id}.dis.01", election=e, level=C.DISTRICT, parent=ter,
                           number=1, names={"kk": "Қарағанды қаласы"})
    smd_c = C.objects.create(id=f"{e.id}.smd.01", election=e, level=C.SMD, parent=cec, number=1,
                             names={"kk": "№ 1 округ"})
    party = m.Contest.objects.create(id=f"{e.id}.list", election=e, kind="party_list",
                                     ruleset="kz-mazhilis-2023", seats=69, commission=cec,
                                     names={"kk": "Партиялық тізімдер", "ru": "Партийные списки", "en": "Party lists"})
    smd = m.Contest.objects.create(id=f"{e.id}.smd.01", election=e, kind="single_member",
                                   ruleset="kz-smd-2023", commission=smd_c,
                                   names={"kk": "№ 1 бір мандатты округ", "en": "District 1"})
    for i, key in enumerate(VOTES):
        m.Choice.objects.create(contest=party, key=key, order=i, names={"kk": key.title()})
    for i, key in enumerate(["c1", "c2", "against_all"]):
        m.Choice.objects.create(contest=smd, key=key, order=i, names={"kk": f"Үміткер {i}"})
    out = []
    for n, (town, town_ru) in enumerate([("Қарағанды", "Караганда"), ("Теміртау", "Темиртау")],
                                        start=101):
        pec = C.objects.create(id=f"{e.id}.pec.{n}", election=e, level=C.PRECINCT, parent=dis,
                               number=n, names={"kk": f"№ {n} учаскелік комиссия"})
        m.Member.objects.create(commission=pec, full_name="Әбілқайыр Ұлжан", role="chair",
                                nominated_by="—")
        st = m.Station.objects.create(id=pec.id, election=e, commission=pec, district=dis,
                                      territory=ter, smd=smd_c, number=n, addresses={"kk": "Абай к-сі 1"}, settlements={"kk": town, "ru": town_ru}, registered=1470)
        p = Protocol.objects.create(station=st, contest=party, figures=dict(FIGURES),
                                    choices=dict(VOTES))
        Protocol.objects.create(station=st, contest=smd, figures=dict(FIGURES),
                                choices={"c1": 500, "c2": 340, "against_all": 64})
        out.append((st, party, p))
    electorate.fill(e.id)  # who votes in which contest, as a structure import writes it
    return out


@pytest.fixture
def listing(tiny):
    """[(station, contest, protocol)]: the party-list protocols of two stations."""
    return tiny
