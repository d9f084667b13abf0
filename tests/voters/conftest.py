import csv
import datetime as dt

import pytest

from sailau.register.extract import COLUMNS
from sailau.register.iin import make_iin


def person(serial: int, born=dt.date(1980, 5, 17), sex="M", **kw) -> dict:
    row = {"iin": make_iin(born, sex if sex in ("M", "F") else "M", serial), "last_name": "Серікбаев", "first_name": "Ерлан",
           "patronymic": "Маратұлы", "birth_date": born.isoformat(), "sex": sex,
           "citizenship": "KAZ", "region": "Астана", "locality": "Астана", "street": "Абая",
           "house": str(serial % 50 + 1), "apartment": "", "legal_capacity": "1",
           "in_detention": "0"}
    row.update(kw)
    return row


def write_extract(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def election(db):
    """Ten stations made by the factories, each city a territory of its own: five in Astana
    (where the extracts' voters live), five in Kokshetau."""
    from tests import factories as f

    election = f.ElectionFactory()
    for city, city_ru in (("Астана", "Астана"), ("Көкшетау", "Кокшетау")):
        first = f.StationFactory(election=election, settlements={"kk": city, "ru": city_ru}, addresses={"kk": f"{city}, Абай көшесі, 1"})
        for house in range(2, 6):
            f.beside(first, settlements={"kk": city, "ru": city_ru},
                     addresses={"kk": f"{city}, Абай көшесі, {house}"})
    return election


@pytest.fixture
def admin(db, election):
    """A CEC administrator of the election (a superuser has no shortcut past the roles)."""
    from sailau.accounts.models import Role
    from tests import factories as f

    return f.RoleFactory(kind=Role.ADMIN, commission=f.CecFactory(election=election),
                         user=f.UserFactory(username="registrar", password="pw")).user


@pytest.fixture
def imported(election, tmp_path):
    """Six voters in Astana: eligible ones, a minor, a non-citizen."""
    from sailau.voters.importer import import_extract

    rows = [person(i) for i in range(1, 5)]
    rows.append(person(5, born=election.date - dt.timedelta(days=365 * 17)))
    rows.append(person(6, citizenship="RUS"))
    path = write_extract(tmp_path / "extract.csv", rows)
    return rows, import_extract(path, election, today=election.date)
