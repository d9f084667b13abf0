"""Multi-row INSERT and UPDATE by `executemany`, for the hot paths of the chain (a bulk
submission writes tens of thousands of rows; Django's bulk_create/bulk_update spend most of their
time building SQL). Values go through each field's own `get_db_prep_save`, so JSON, dates and
foreign keys are stored exactly as the ORM would store them, on SQLite and PostgreSQL alike."""

from django.db import connections, router


def _fields(model, names):
    return [model._meta.get_field(n) for n in names]


def insert_rows(model, names: list[str], rows, ignore_conflicts: bool = False) -> None:
    rows = list(rows)
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    qn = conn.ops.quote_name
    fields = _fields(model, names)
    sql = (f"INSERT INTO {qn(model._meta.db_table)} "
           f"({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})"
           + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""))
    with conn.cursor() as cur:
        cur.executemany(sql, [tuple(f.get_db_prep_save(v, conn) for f, v in zip(fields, row))
                              for row in rows])


def update_rows(model, names: list[str], rows) -> None:
    """`rows`: tuples of the new values of `names`, then the primary key."""
    rows = list(rows)
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    qn = conn.ops.quote_name
    fields = _fields(model, names)
    pk = model._meta.pk
    sql = (f"UPDATE {qn(model._meta.db_table)} SET "
           + ", ".join(f"{qn(f.column)} = %s" for f in fields)
           + f" WHERE {qn(pk.column)} = %s")
    with conn.cursor() as cur:
        cur.executemany(sql, [tuple(f.get_db_prep_save(v, conn) for f, v in zip(fields, row[:-1]))
                              + (pk.get_db_prep_save(row[-1], conn),) for row in rows])
