"""The national page on election night: rendered again after every protocol, it keeps what did
not change between renders (per process). Whatever it keeps, the page after each change must be
byte for byte the page a cold process renders from the database: after a new protocol, an
amendment that moves votes, one that moves nothing but its time, a tie, and in every language.
A part kept under a key that misses what it depends on shows the old figures, and fails here."""

import datetime as dt

import pytest
from django.db import transaction

from sailau.elections import structure
from sailau.elections.models import Contest, Station
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol, StepTime
from sailau.publish.pages import pagecache
from tests.chain_fixtures import synthetic

pytestmark = pytest.mark.django_db

LANGS = ("kk", "ru", "en")
NIGHT = dt.datetime(2023, 3, 19, 15, 0, tzinfo=dt.UTC)


def _votes(i: int, keys: list[str]) -> dict:
    return {k: 10 + (7 * i + 3 * n) % 23 for n, k in enumerate(keys)}


def _figures(valid: int) -> dict:
    return {"voters_on_list": 400, "ballots_received": 400, "issued_in_room": valid + 2,
            "issued_mobile": 0, "issued_absentee": 0, "cancelled": 398 - valid, "lost": 0,
            "found_stationary": valid + 2, "found_mobile": 0, "mobile_requests": 0,
            "invalid": 2}


def _store(station, contest, choices: dict, at: dt.datetime) -> Protocol:
    """A definitive protocol (a new version when there is one), its totals added above it, as
    the chain stores it."""
    with transaction.atomic():
        old = Protocol.objects.filter(station=station, contest=contest, current=True).first()
        if old is not None:
            Protocol.objects.filter(pk=old.pk).update(current=False)
        new = Protocol.objects.create(
            station=station, contest=contest, version=old.version + 1 if old else 1,
            figures=_figures(sum(choices.values())), choices=choices,
            source="amendment" if old else "entry")
        Protocol.objects.filter(pk=new.pk).update(created_at=at)
        new.refresh_from_db()
        tabulation.apply(contest, station, old, new)
        StepTime.objects.get_or_create(station=station, step="definitive", defaults={"at": at})
    return new


def _report(station, contests, i: int) -> None:
    for c in contests:
        if c.kind == Contest.SINGLE_MEMBER and c.commission_id != station.smd_id:
            continue
        keys = [ch.key for ch in c.choices.order_by("order") if ch.key != "against_all"]
        _store(station, c, _votes(i, keys), NIGHT + dt.timedelta(minutes=i))


def _pages(client, e) -> dict[str, bytes]:
    out = {}
    for lang in LANGS:
        r = client.get(f"/{lang}/e/{e.id}/")
        assert r.status_code == 200
        out[lang] = r.content
    return out


def _cold(client, e) -> dict[str, bytes]:
    """The pages as a process that has kept nothing renders them: the page cache emptied, and
    with it everything kept in process memory beside it (`pagecache.memory`)."""
    pagecache._cache().clear()
    return _pages(client, e)


def _analyze() -> None:
    """Every table's statistics brought up to date, as PostgreSQL's autovacuum does on its own
    during a night. SQLite's change only when told, and the application never tells it: there
    is nothing to imitate (and on the suite's shared database in memory, after other tests in the
    same process, SQLite refused the ANALYZE as a write to a read-only database)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _same_as_cold(client, e) -> dict[str, bytes]:
    warm = _pages(client, e)
    cold = _cold(client, e)
    for lang in LANGS:
        assert warm[lang] == cold[lang], f"{lang}: the kept page differs from a cold render"
    _pages(client, e)  # warm again for the next change
    return warm


def test_the_national_page_after_each_change_is_a_cold_render(client, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = structure.write(structure.validate(synthetic().structure()))
    contests = list(Contest.objects.filter(election=e).select_related("commission"))
    stations = list(Station.objects.filter(election=e).order_by("number"))
    smds = sorted({s.smd_id for s in stations if s.smd_id})
    assert len(smds) >= 2
    first = [s for s in stations if s.smd_id == smds[0]]
    second = [s for s in stations if s.smd_id == smds[1]]
    waiting = [s for s in stations if s not in first[:3] and s not in second[:3]]
    for i, s in enumerate(first[:3] + second[:3]):
        _report(s, contests, i)
    before = _same_as_cold(client, e)
    # The database's statistics change under what was kept, as autovacuum changes them during a
    # run: PostgreSQL then plans a query again, and a kept part read without an order (the
    # stations by kind) came back in another order in the cold render.
    _analyze()

    # A new protocol (both contests of one station): its district and the national list move.
    _report(waiting[0], contests, 40)
    after = _same_as_cold(client, e)
    assert after["en"] != before["en"]

    # An amendment that moves votes in the first district, on its own.
    smd = next(c for c in contests if c.commission_id == smds[0])
    p = Protocol.objects.get(station=first[0], contest=smd, current=True)
    keys = sorted(p.choices)
    moved = {**p.choices, keys[0]: p.choices[keys[0]] + 5}
    _store(first[0], smd, moved, NIGHT + dt.timedelta(hours=3))
    amended = _same_as_cold(client, e)
    assert amended["en"] != after["en"]

    # An amendment that moves nothing but its time: every total the same, the "as of" later.
    _store(first[0], smd, moved, NIGHT + dt.timedelta(hours=4))
    assert _same_as_cold(client, e)["en"] != amended["en"]

    # A tie for first place in the second district.
    smd2 = next(c for c in contests if c.commission_id == smds[1])
    totals = {}
    for p in Protocol.objects.filter(contest=smd2, current=True):
        for k, v in p.choices.items():
            totals[k] = totals.get(k, 0) + v
    top = sorted(totals, key=lambda k: -totals[k])[:2]
    p = Protocol.objects.get(station=second[0], contest=smd2, current=True)
    gap = totals[top[0]] - totals[top[1]]
    _store(second[0], smd2, {**p.choices, top[1]: p.choices[top[1]] + gap},
           NIGHT + dt.timedelta(hours=5))
    tied = _same_as_cold(client, e)
    assert b"Tie" in tied["en"]


def test_the_structures_counts_are_kept_until_the_structure_changes(monkeypatch, tmp_path):
    """The national page's counts over every station (100,000 of them in a country) are read
    once per structure: again after a change the log records, not on every render."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sailau.elections import logged
    from sailau.web.views import _structure_counts

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = structure.write(structure.validate(synthetic().structure()))
    levels, stations, kinds = _structure_counts(e)
    assert stations["n"] == Station.objects.filter(election=e).count()
    with CaptureQueriesContext(connection) as kept:
        assert _structure_counts(e) == (levels, stations, kinds)
    assert not any("elections_station" in q["sql"] for q in kept.captured_queries)

    s = Station.objects.filter(election=e).order_by("number").first()
    c = s.commission
    c.pk, c.number = f"{c.pk}.added", 9999
    c.save(force_insert=True)
    s.pk, s.number, s.registered, s.commission = f"{s.pk}.added", 9999, 777, c
    s.save(force_insert=True)
    logged.write_change(e.id, "a station added")
    _, after, _ = _structure_counts(e)
    assert (after["n"], after["voters"]) == (stations["n"] + 1, stations["voters"] + 777)


def test_the_stations_by_kind_are_listed_in_the_models_order(client, monkeypatch, tmp_path):
    """Ordinary, special, abroad: in every render, whichever order the database groups them in
    (PostgreSQL's follows its plan, which changes with the table's statistics)."""
    from sailau.web.views import _structure_counts

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = structure.write(structure.validate(synthetic().structure()))
    kinds = _structure_counts(e)[2]
    assert list(kinds) == [Station.ORDINARY, Station.SPECIAL, Station.ABROAD]
    page = client.get(f"/en/e/{e.id}/").content.decode()
    assert (f"(ordinary: {kinds['ordinary']}, special: {kinds['special']}, "
            f"abroad: {kinds['abroad']})") in page
