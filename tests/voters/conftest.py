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
def election(small_election):
    from sailau.elections.models import Election

    return Election.objects.get()


@pytest.fixture
def admin(db, election):
    """A CEC administrator of the election (a superuser has no shortcut past the roles)."""
    from django.contrib.auth import get_user_model

    from sailau.accounts.models import Role
    from sailau.elections.models import Commission

    user = get_user_model().objects.create_user("registrar", password="pw")
    Role.objects.create(user=user, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    return user


@pytest.fixture
def imported(election, tmp_path):
    """Six voters in Astana: eligible ones, a minor, a non-citizen."""
    from sailau.voters.importer import import_extract

    rows = [person(i) for i in range(1, 5)]
    rows.append(person(5, born=election.date - dt.timedelta(days=365 * 17)))
    rows.append(person(6, citizenship="RUS"))
    path = write_extract(tmp_path / "extract.csv", rows)
    return rows, import_extract(path, election, today=election.date)
