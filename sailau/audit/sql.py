"""Multi-row INSERT and UPDATE by `executemany`, for the hot paths of the chain (a bulk
submission writes tens of thousands of rows; Django's bulk_create/bulk_update spend most of their
time building SQL and model instances). Values are converted once per column as the ORM would
convert them: plain columns (text, integers, booleans, foreign keys to them) pass through, JSON
goes through the backend's own `adapt_json_value`, and any other field through its
`get_db_prep_save`, memoised for repeated values (a chunk's records share one timestamp). So
what is stored is what `Model.save()` stores, on SQLite and PostgreSQL alike."""

from django.db import connections, router

# Fields whose database value is the Python value itself (None stays NULL).
_PLAIN = {"CharField", "TextField", "IntegerField", "BigIntegerField", "SmallIntegerField",
          "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField",
          "BooleanField", "AutoField", "BigAutoField", "SmallAutoField", "SlugField"}


PG_ROWS = 100  # rows per INSERT ... ON CONFLICT statement on PostgreSQL


def _fields(model, names):
    return [model._meta.get_field(n) for n in names]


def _converter(field, conn):
    """A function value → database value for this column, or None when it is the identity."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _PLAIN:  # callers pass values of the column's type
        return None
    if kind == "JSONField" and not field.is_relation:
        adapt, encoder = conn.ops.adapt_json_value, field.encoder

        def json_value(v):
            return None if v is None else adapt(v, encoder)
        return json_value
    if kind == "BinaryField" and conn.vendor == "sqlite" and not field.is_relation:
        # sqlite3 binds bytes as the BLOB it binds for the memoryview the field would make of
        # them; each leaf's data and hash is its own value, so the memo below would only grow
        def blob(v):
            return v if type(v) is bytes else field.get_db_prep_save(v, conn)
        return blob
    memo = {}
    if kind == "DateTimeField" and not field.is_relation:
        # What DateTimeField.get_db_prep_save ends in, for the aware datetimes the chain uses.
        adapt_dt = conn.ops.adapt_datetimefield_value

        def to_db(v):
            if getattr(v, "tzinfo", None) is None:  # naive or not a datetime: the ORM's way
                return field.get_db_prep_save(v, conn)
            return adapt_dt(v)
    else:
        def to_db(v):
            return field.get_db_prep_save(v, conn)

    def prep(v):
        try:
            return memo[v]
        except KeyError:
            out = memo[v] = to_db(v)
            return out
        except TypeError:  # unhashable
            return to_db(v)
    return prep


def _convert(fields, conn, rows, raw=()):
    conv = [None if f.name in raw else _converter(f, conn) for f in fields]
    if not any(conv):
        return [tuple(r) for r in rows]
    idx = [(i, c) for i, c in enumerate(conv) if c]
    out = []
    for row in rows:
        row = list(row)
        for i, c in idx:
            row[i] = c(row[i])
        out.append(row)
    return out


def insert_rows(model, names: list[str], rows, ignore_conflicts: bool = False,
                raw: tuple[str, ...] = ()) -> None:
    """`raw`: columns whose values are already what the database stores (e.g. JSON text)."""
    rows = list(rows)
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    qn = conn.ops.quote_name
    fields = _fields(model, names)
    head = (f"INSERT INTO {qn(model._meta.db_table)} "
            f"({', '.join(qn(f.column) for f in fields)}) VALUES ")
    one = f"({', '.join(['%s'] * len(fields))})"
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    values = _convert(fields, conn, rows, raw)
    with conn.cursor() as cur:
        if conn.vendor != "postgresql":  # SQLite: executemany is one prepared statement
            cur.executemany(head + one + tail, values)
            return
        # PostgreSQL: executemany sends a statement per row (a bulk run writes ~10 rows per
        # protocol). COPY streams them all at once; with ON CONFLICT, which COPY lacks,
        # statements of many rows each (short enough for psycopg to cache their parsing).
        if not ignore_conflicts:
            columns = ", ".join(qn(f.column) for f in fields)
            # The raw psycopg cursor raises psycopg's own errors; wrapped, a unique violation
            # is Django's IntegrityError like any other write's (the chain answers a race lost
            # on it with a 409, and answered a bare UniqueViolation with a 500).
            with (conn.wrap_database_errors,
                  cur.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN")
                  as cp):
                for row in values:
                    cp.write_row(row)
            return
        for i in range(0, len(values), PG_ROWS):
            part = values[i:i + PG_ROWS]
            cur.execute(head + ", ".join([one] * len(part)) + tail,
                        [v for row in part for v in row])


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
        cur.executemany(sql, _convert([*fields, pk], conn, rows))
