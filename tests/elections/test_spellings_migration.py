"""The migration that keeps names, addresses and settlements as one mapping by language moves
the rows' spellings from their columns into it, and back when it is undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("elections", "0010_choice_order_by_key")]
AFTER = [("elections", "0011_spellings_by_language")]


def _models(executor, state):
    apps = executor.loader.project_state(state).apps
    return (apps.get_model("elections", n) for n in ("Election", "Commission", "Station",
                                                     "Contest", "Choice"))


@pytest.mark.django_db(transaction=True)
def test_the_spellings_move_into_the_mappings_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Election, Commission, Station, Contest, Choice = _models(executor, BEFORE)
    e = Election.objects.create(id="e", kind="mazhilis", date="2023-03-19", name_kk="Сайлау",
                                name_ru="Выборы", name_en="Election")
    cec = Commission.objects.create(id="cec", election=e, level="cec", name_kk="ОСК",
                                    name_ru="ЦИК", address="Астана", address_en="Astana")
    pec = Commission.objects.create(id="p1", election=e, level="precinct", parent=cec,
                                    name_kk="№1 УСК")
    Station.objects.create(id="p1", election=e, commission=pec, district=cec, territory=cec,
                           number=1, address="Абай көшесі, 1", address_ru="улица Абая, 1",
                           settlement="Астана", registered=10)
    contest = Contest.objects.create(id="c", election=e, kind="party_list", ruleset="r",
                                     commission=cec, name_kk="Тізім", name_en="List")
    Choice.objects.create(contest=contest, key="a", name_kk="А", name_ru="А-ру")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Election, Commission, Station, Contest, Choice = _models(executor, AFTER)
    assert Election.objects.get().names == {"kk": "Сайлау", "ru": "Выборы", "en": "Election"}
    assert Commission.objects.get(id="cec").names == {"kk": "ОСК", "ru": "ЦИК"}
    assert Commission.objects.get(id="cec").addresses == {"kk": "Астана", "en": "Astana"}
    assert Commission.objects.get(id="p1").addresses == {}  # no empty spelling is kept
    station = Station.objects.get()
    assert station.addresses == {"kk": "Абай көшесі, 1", "ru": "улица Абая, 1"}
    assert station.settlements == {"kk": "Астана"}
    assert Contest.objects.get().names == {"kk": "Тізім", "en": "List"}
    assert Choice.objects.get().names == {"kk": "А", "ru": "А-ру"}
    # the JSON key lookups the readers use, on this database
    assert Station.objects.filter(settlements__kk="Астана").count() == 1
    assert list(Commission.objects.order_by("-names__kk").values_list("id", flat=True)) == [
        "p1", "cec"]  # "№1 УСК" after "ОСК"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Election, Commission, Station, Contest, Choice = _models(executor, BEFORE)
    assert (Election.objects.values_list("name_kk", "name_ru", "name_en").get()
            == ("Сайлау", "Выборы", "Election"))
    assert (Commission.objects.filter(id="cec").values_list("address", "address_ru", "address_en")
            .get() == ("Астана", "", "Astana"))
    assert (Station.objects.values_list("address", "address_ru", "settlement", "settlement_ru")
            .get() == ("Абай көшесі, 1", "улица Абая, 1", "Астана", ""))
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
