import datetime as dt

import pytest

from sailau.register.extract import COLUMNS
from sailau.register.iin import make_iin

HEADER = ",".join(COLUMNS)


def person(born=dt.date(1985, 3, 14), sex="M", serial=123, last="Ахметов", first="Нурлан",
           patronymic="Серикович", region="г. Алматы", locality="Алматы", capacity="1", detention="0"):
    iin = make_iin(born, sex, serial)
    while iin is None:  # a serial with no check digit: take the next one
        serial += 1000
        iin = make_iin(born, sex, serial)
    return [iin, last, first, patronymic, born.isoformat(), sex, "KZ", region, locality, "Абая", "10",
            "5", capacity, detention]


@pytest.fixture
def write_extract(tmp_path):
    """Write rows (lists of fields, or raw bytes lines) under the standard header; return the path."""
    def write(rows, name="extract.csv"):
        p = tmp_path / name
        with open(p, "wb") as f:
            f.write((HEADER + "\n").encode())
            f.writelines(r if isinstance(r, bytes) else (",".join(r) + "\n").encode() for r in rows)
        return p
    return write
