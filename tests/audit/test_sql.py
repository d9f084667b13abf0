"""`insert_rows`/`update_rows` store what the ORM would store: JSON, aware datetimes in any
zone, foreign keys, booleans, NULLs (SQLite, and PostgreSQL when the suite runs on it)."""

import datetime as dt
import zoneinfo

import pytest

from sailau.audit.models import Record
from sailau.audit.sql import insert_rows, update_rows

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_the_orm_writes_them():
    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    at = dt.datetime(2023, 3, 19, 23, 59, 1, 5, tzinfo=almaty)
    payload = {"é": ["ü", 1, None, True], "n": {"k": -3}}
    Record.objects.create(seq=1, at=at, actor="orm", action="a", subject="s", payload=payload,
                          prev_hash="0", hash="h1")
    insert_rows(Record, ["seq", "at", "actor", "action", "subject", "payload", "prev_hash",
                         "hash"],
                [(n, at, "bulk", "a", "s", payload, "0", f"h{n}") for n in range(2, 1203)])
    orm, bulk = Record.objects.get(seq=1), Record.objects.get(seq=1202)
    assert bulk.at == orm.at == at and bulk.payload == orm.payload == payload
    assert Record.objects.filter(at=at).count() == 1202  # the same stored form: equal lookups
    assert Record.objects.filter(payload__n__k=-3).count() == 1202
    update_rows(Record, ["actor", "at"], [("moved", at + dt.timedelta(hours=1), n)
                                          for n in (1, 1202)])
    assert set(Record.objects.filter(actor="moved").values_list("seq", flat=True)) == {1, 1202}
    assert Record.objects.get(seq=1202).at == at + dt.timedelta(hours=1)


def test_raw_json_text_is_stored_as_the_same_value():
    from django.db import connection

    from sailau.audit import canonical

    payload = {"b": [1, 2], "a": "қ"}
    raw = ("payload",) if connection.vendor == "sqlite" else ()
    value = canonical(payload) if raw else payload
    insert_rows(Record, ["seq", "at", "actor", "action", "subject", "payload", "prev_hash",
                         "hash"],
                [(7, dt.datetime(2023, 3, 19, tzinfo=dt.UTC), "x", "a", "s", value, "0", "h")],
                raw=raw)
    assert Record.objects.get(seq=7).payload == payload


def test_binary_columns_are_stored_as_the_orm_stores_them():
    """bytes (passed through on SQLite), a memoryview and a bytearray: the same blob as
    `Model.save()` writes, found by the same lookup."""
    from django.db import connection

    from sailau.ledger.models import Leaf

    at = dt.datetime(2023, 3, 19, tzinfo=dt.UTC)
    Leaf.objects.create(election_id="e", kind="k", subject="orm", data=b"\x00\xffdata",
                        hash=b"\x01" * 32, created_at=at)
    insert_rows(Leaf, ["election_id", "kind", "subject", "data", "hash", "created_at"],
                [("e", "k", "bytes", b"\x00\xffdata", b"\x01" * 32, at),
                 ("e", "k", "memoryview", memoryview(b"\x00\xffdata"), bytearray(b"\x01" * 32),
                  at)])
    assert Leaf.objects.filter(data=b"\x00\xffdata", hash=b"\x01" * 32).count() == 3
    for leaf in Leaf.objects.all():
        assert bytes(leaf.data) == b"\x00\xffdata" and bytes(leaf.hash) == b"\x01" * 32
    with connection.cursor() as cur:  # the stored type itself, not only what reads back
        cur.execute("SELECT DISTINCT " + ("typeof(data)" if connection.vendor == "sqlite"
                                          else "pg_typeof(data)::text") + " FROM ledger_leaf")
        assert len(cur.fetchall()) == 1
