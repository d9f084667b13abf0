"""The migration that made the electorate table fills it for the elections stored before it,
with the stations each contest's area held (what the readers inferred until then)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("elections", "0007_commission_address_languages")]
AFTER = [("elections", "0008_electorate")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_electorate_of_elections_stored_before_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Election, Commission, Station, Contest = (apps.get_model("elections", n) for n in
                                              ("Election", "Commission", "Station", "Contest"))
    e = Election.objects.create(id="e", kind="mazhilis", date="2023-03-19", name_kk="e")

    def commission(cid, level, parent=None):
        return Commission.objects.create(id=cid, election=e, level=level, parent=parent,
                                         name_kk=cid)

    cec = commission("cec", "cec")
    t1, t2 = commission("t1", "territorial", cec), commission("t2", "territorial", cec)
    d1, d2 = commission("d1", "district", t1), commission("d2", "district", t2)
    smd = commission("smd", "smd", cec)
    for n, (d, t, s) in enumerate(((d1, t1, smd), (d1, t1, None), (d2, t2, None)), 1):
        pec = commission(f"p{n}", "precinct", d)
        Station.objects.create(id=pec.id, election=e, commission=pec, district=d, territory=t,
                               smd=s, number=n, address="a", settlement="s", registered=10)
    for cid, c in (("list", cec), ("t1.list", t1), ("smd.1", smd)):
        Contest.objects.create(id=cid, election=e, kind="party_list", ruleset="r", commission=c,
                               name_kk=cid)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Electorate = executor.loader.project_state(AFTER).apps.get_model("elections", "Electorate")
    assert set(Electorate.objects.values_list("contest_id", "station_id")) == {
        ("list", "p1"), ("list", "p2"), ("list", "p3"), ("t1.list", "p1"), ("t1.list", "p2"),
        ("smd.1", "p1")}
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
