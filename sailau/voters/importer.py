"""Import of a population-register extract into the register and an election's station lists,
at national scale (12 million rows in about 4 minutes, BENCHMARKS.md).

All or nothing by default: an extract with a bad row writes nothing, and the report names every
bad row by row and field. `skip_invalid=True` imports the valid rows and reports the rest.
On SQLite the bulk rows go through staging files (`.stage*.sqlite3` in the data directory),
removed when the import ends and, should a killed import have left some, when the next starts."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sailau import audit
from sailau.accounts.permissions import username
from sailau.elections.models import Election
from sailau.paths import data_dir
from sailau.voters import models as m
from sailau.voters.assign import Assigner
from sailau.voters.services import VOTER_FIELDS, assigner_for, rules_for


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> voters
    unassigned: int = 0
    errors: list = field(default_factory=list)  # extract.RowError
    written: bool = True  # False: rows had errors and nothing was imported

    def to_json(self, lang: str = "en") -> dict:
        """The report, each error's message in `lang` (its code's text and the value)."""
        return {"rows": self.rows, "written": self.written, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "excluded": self.excluded,
                "unassigned": self.unassigned, "rows_with_errors": len({e.row for e in self.errors}),
                "errors": [{"row": e.row, "field": e.field, "code": e.code,
                            "message": e.text(lang)} for e in self.errors]}


def import_extract(path: str | Path, election: Election, user=None, gazetteer=None,
                   today: dt.date | None = None, skip_invalid: bool = False) -> ImportReport:
    """Read and validate the extract (`extract.read_extract` + `validate_frame`, the frame form
    of `parse_extract`: bad rows reported by row and field, the others kept), upsert the
    register by IIN (a re-import updates, never duplicates),
    and give each voter of the file an entry for `election`: eligibility with every reason,
    and the home station the address gives. Entries already moved (absentee certificate,
    transfer) keep where they are.

    Written for 12 million rows (about 4 minutes, BENCHMARKS.md): columns in polars, new rows
    appended in bulk (`_insert_frame`: COPY on PostgreSQL, an ADBC staging file on SQLite),
    changed rows updated one statement each (few on a re-import), all in one transaction with
    its audit record: a crash leaves the register as it was.

    A file with bad rows is not imported at all (`report.written` is False) unless
    `skip_invalid`: an operator who meant to import the whole register should not find part
    of it on the lists."""
    import polars as pl

    from sailau.register.eligibility import eligibility_frame
    from sailau.register.extract import RowError, read_extract, validate_frame

    valid, errs = validate_frame(read_extract(path), gazetteer, today)
    errors = [RowError(r["row"], r["field"], r["code"], r["value"])
              for r in errs.iter_rows(named=True)]
    report = ImportReport(rows=len(valid) + errs["row"].n_unique(), errors=errors)
    if errors and not skip_invalid:
        report.written = False
        return report
    rules = rules_for(election)
    valid = eligibility_frame(valid, election.date, rules)
    valid = valid.join(_stations_frame(valid, assigner_for(election, gazetteer)),
                       on=["region", "locality", "street", "house"], how="left", nulls_equal=True)
    report.unassigned = valid["home"].null_count()
    report.excluded = dict(valid.select(pl.col("reasons").explode().drop_nulls().value_counts())
                           .unnest("reasons").iter_rows())
    # Rows in IIN order: the unique index on IIN (and then the one on the entries' voter id)
    # grows at its end instead of at random pages, several times faster at millions of rows.
    valid = valid.sort("iin")
    with _Stages() as stages, transaction.atomic(), _big_cache():
        _upsert_voters(valid, report, stages)
        ids = _voter_ids()
        _upsert_entries(valid.join(ids, on="iin", maintain_order="left"), election, stages)
        with open(path, "rb") as f:  # 2 GB at 12 million rows: hashed as it is read
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        audit.append(username(user), "voters.import", election.id,
                     {"file_sha256": digest, **{k: v for k, v in report.to_json().items()
                                                if k != "errors"}})
    return report


@contextmanager
def _big_cache(mib: int = 512):
    """SQLite's page cache defaults to 2 MiB, far smaller than the indexes of a national
    register: raise it for the import on this connection, then put it back."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        cur.execute(f"PRAGMA cache_size = {-mib * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(before)}")


def _stations_frame(valid, assigner: Assigner):
    """Home station per distinct address (far fewer addresses than persons)."""
    import polars as pl

    addresses = valid.select("region", "locality", "street", "house").unique()
    homes = []
    for region, locality, street, house in addresses.iter_rows():
        st = assigner.station_for(region, locality, street, house)
        homes.append(st.id if st else None)
    return addresses.with_columns(home=pl.Series(homes, dtype=pl.String))


def _existing_voters():
    """The register's current rows, as (iin, signature of every other field), read a chunk at a
    time: 12 million voters as Python tuples would not fit in memory."""
    import polars as pl

    schema = {"iin": pl.String, **{f: pl.String for f in VOTER_FIELDS},
              "birth_date": pl.Date, "legal_capacity": pl.Boolean, "in_detention": pl.Boolean}
    return _read_frame(f"SELECT {', '.join(schema)} FROM voters_voter", [], schema,
                       lambda part: part.select("iin", _signature(part).alias("_old")))


def _read_frame(sql: str, params, schema: dict, each=None):
    """A query's rows as one polars frame, fetched a chunk at a time (from a server-side cursor
    on PostgreSQL), each chunk turned into a frame (and reduced by `each`) before the next."""
    import polars as pl
    from django.db import connection

    parts = []
    with connection.chunked_cursor() as cur:
        cur.execute(sql, params)
        while rows := cur.fetchmany(CHUNK):
            part = pl.DataFrame(rows, schema=schema, orient="row")
            parts.append(each(part) if each else part)
    if not parts:
        empty = pl.DataFrame(schema=schema)
        return each(empty) if each else empty
    return pl.concat(parts)


def _signature(frame):
    import polars as pl

    parts = []
    for f in VOTER_FIELDS:
        c = pl.col(f)
        if f in ("legal_capacity", "in_detention"):
            c = c.cast(pl.Boolean).cast(pl.Int8)
        parts.append(c.cast(pl.String).fill_null(""))
    return pl.concat_str(parts, separator="\x1f")


def _upsert_voters(valid, report: ImportReport, stages: _Stages | None = None) -> None:
    import polars as pl
    from django.db import connection

    if m.Voter.objects.exists():
        old = _existing_voters()
        sig = valid.select("iin", _signature(valid).alias("_new")).join(old, on="iin", how="left")
        new_iins = sig.filter(pl.col("_old").is_null())["iin"]
        changed_iins = sig.filter(pl.col("_old").is_not_null() & (pl.col("_old") != pl.col("_new")))["iin"]
    else:
        new_iins, changed_iins = valid["iin"], valid["iin"].clear()
    report.created, report.updated = len(new_iins), len(changed_iins)
    report.unchanged = len(valid) - report.created - report.updated
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # Dates as the ISO text both databases read; the time of this import on every row.
    frame = valid.select("iin", *VOTER_FIELDS).with_columns(
        pl.col("birth_date").dt.strftime("%Y-%m-%d"),
        updated_at=pl.lit(now.isoformat() if hasattr(now, "isoformat") else now))

    def part(iins):
        return frame.filter(pl.col("iin").is_in(iins.implode())) if len(iins) < len(frame) else frame

    with connection.cursor() as cur:
        if len(new_iins):
            _insert_frame(cur, "voters_voter", part(new_iins), stages)
        if len(changed_iins):
            sets = ", ".join(f"{f} = %s" for f in (*VOTER_FIELDS, "updated_at"))
            cur.executemany(f"UPDATE voters_voter SET {sets} WHERE iin = %s",
                            _rows(part(changed_iins).select(*VOTER_FIELDS, "updated_at", "iin")))


CHUNK = 100_000


def _rows(frame):
    """The frame's rows as tuples for `executemany`, made column by column in C (`to_list` and
    `zip`), a chunk at a time: polars' `iter_rows` costs about as much as SQLite's insert."""
    for off in range(0, len(frame), CHUNK):
        part = frame.slice(off, CHUNK)
        yield from zip(*(part[c].to_list() for c in part.columns))


def _insert_frame(cur, table: str, frame, stages: _Stages | None = None) -> None:
    """Append the frame's rows (columns named as the table's) to `table`, inside the caller's
    transaction. PostgreSQL: COPY of the frame as CSV (its CSV tells NULL from '').
    SQLite: binding values from Python costs more than SQLite's own insert, so the frame goes,
    as Arrow, through the ADBC SQLite driver into a staging file, which this connection then
    attaches and copies from in one INSERT ... SELECT (1M voters: 4.6 s → 2.8 s, and no
    Python object a value). Small frames, or without `stages`, take `executemany`."""
    from django.db import connection

    cols = ", ".join(frame.columns)
    if connection.vendor == "postgresql":
        with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as cp:
            for off in range(0, len(frame), CHUNK):
                cp.write(frame.slice(off, CHUNK).write_csv(include_header=False).encode())
        return
    if stages is None or len(frame) <= CHUNK:
        marks = ", ".join(["%s"] * len(frame.columns))
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", _rows(frame))
        return
    alias = stages.ingest(frame)
    cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {alias}.rows ORDER BY rowid")


class _Stages:
    """Staging files of one import, written by the ADBC SQLite driver and attached to this
    connection. SQLite detaches a database only outside a transaction that read it, so they
    are detached and deleted when the import's transaction is over."""

    def __init__(self):
        self.attached: list[tuple[str, Path]] = []

    def ingest(self, frame) -> str:
        import adbc_driver_sqlite.dbapi as adbc
        from django.db import connection

        alias = f"stage{len(self.attached)}"
        path = data_dir() / f".{alias}-{os.getpid()}-{threading.get_ident()}.sqlite3"
        path.unlink(missing_ok=True)
        self.attached.append((alias, path))
        with adbc.connect(str(path)) as staging:
            with staging.cursor() as sc:
                sc.adbc_ingest("rows", frame, mode="create")
            staging.commit()
        with connection.cursor() as cur:
            cur.execute(f"ATTACH DATABASE %s AS {alias}", [str(path)])
        return alias

    def __enter__(self):
        remove_stale_stages()
        return self

    def __exit__(self, *exc):
        from django.db import OperationalError, connection

        for alias, path in self.attached:
            try:
                with connection.cursor() as cur:
                    cur.execute(f"DETACH DATABASE {alias}")
            except OperationalError:  # inside an outer transaction still: detached on close
                pass
            finally:
                _unlink(path)


def _unlink(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
              path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def remove_stale_stages() -> int:
    """Remove the staging files of imports that were killed (their process is gone): 7 killed
    national imports left about 1 GB. A running import's files are kept. Returns how many."""
    n = 0
    for path in data_dir().glob(".stage*-*-*.sqlite3"):
        try:
            pid = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pid == os.getpid() or _running(pid):
            continue
        _unlink(path)
        n += 1
    return n


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _voter_ids():
    import polars as pl

    return _read_frame("SELECT iin, id FROM voters_voter", [],
                       {"iin": pl.String, "voter_id": pl.Int64})


def _upsert_entries(frame, election: Election, stages: _Stages | None = None) -> None:
    import polars as pl
    from django.db import connection

    E = m.ListEntry
    old = _read_frame(
        "SELECT voter_id, id, state, station_id, home_station_id, eligible, "
        "CAST(reasons AS TEXT) FROM voters_listentry WHERE election_id = %s", [election.id],
        {"voter_id": pl.Int64, "entry_id": pl.Int64, "old_state": pl.String,
         "old_station": pl.String, "old_home": pl.String, "old_eligible": pl.Boolean,
         "old_reasons": pl.String})
    frame = frame.join(old, on="voter_id", how="left")
    moved = pl.col("old_state").is_in([E.ABSENTEE, E.TRANSFERRED]).fill_null(False)
    frame = frame.with_columns(
        state=pl.when(~pl.col("eligible")).then(pl.lit(E.EXCLUDED))
        .when(moved).then(pl.col("old_state")).otherwise(pl.lit(E.ON_LIST)),
        station=pl.when(~pl.col("eligible")).then(pl.lit(None, dtype=pl.String))
        .when(moved).then(pl.col("old_station")).otherwise(pl.col("home")),
        # The codes are plain ASCII words: a JSON list is a join, no per-row Python call.
        reasons_json=pl.when(pl.col("reasons").list.len() == 0).then(pl.lit("[]")).otherwise(
            pl.concat_str([pl.lit('["'), pl.col("reasons").list.join('", "'), pl.lit('"]')])),
    )
    new = frame.filter(pl.col("entry_id").is_null())
    # Only entries whose values change are written: a monthly re-import of an unchanged
    # national extract would otherwise rewrite millions of rows one statement at a time.
    # (Both databases print a JSON list of strings with ", " between items, as written here.)
    upd = frame.filter(pl.col("entry_id").is_not_null() & ~(
        pl.col("home").eq_missing(pl.col("old_home"))
        & pl.col("station").eq_missing(pl.col("old_station"))
        & pl.col("eligible").eq_missing(pl.col("old_eligible"))
        & pl.col("reasons_json").eq_missing(pl.col("old_reasons"))
        & pl.col("state").eq_missing(pl.col("old_state"))))
    with connection.cursor() as cur:
        # Into an empty table, the (station, state) index is built once at the end (one sort)
        # rather than grown at random pages row by row, and PostgreSQL checks the foreign keys
        # with one join each rather than a trigger a row: most of a national first import.
        bulk = _bulk_load(cur, E) if len(new) > CHUNK and not E.objects.exists() else nullcontext()
        with bulk:
            if len(new):
                _insert_frame(cur, "voters_listentry", new.select(
                    pl.lit(election.id).alias("election_id"), "voter_id",
                    pl.col("home").alias("home_station_id"), pl.col("station").alias("station_id"),
                    "eligible", pl.col("reasons_json").alias("reasons"), "state",
                    pl.lit(False).alias("same_day")), stages)
        if len(upd):
            cur.executemany(
                "UPDATE voters_listentry SET home_station_id = %s, station_id = %s, eligible = %s, "
                "reasons = %s, state = %s WHERE id = %s",
                _rows(upd.select("home", "station", "eligible", "reasons_json", "state", "entry_id")))


@contextmanager
def _bulk_load(cur, model):
    """Drop the model's secondary indexes (and, on PostgreSQL, its foreign keys) for a bulk
    insert into an empty table and create them again after, inside the same transaction."""
    from django.db import connection

    qn, table = connection.ops.quote_name, model._meta.db_table
    indexes = [(i.name, [model._meta.get_field(f).column for f in i.fields])
               for i in model._meta.indexes]
    fks = []
    if connection.vendor == "postgresql":
        fks = [(name, c["columns"][0], c["foreign_key"])
               for name, c in connection.introspection.get_constraints(cur, table).items()
               if c["foreign_key"]]
    for name, _cols in indexes:
        cur.execute(f"DROP INDEX {qn(name)}")
    _fire_deferred_checks(cur, fks)
    for name, _col, _target in fks:
        cur.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    yield
    for name, cols in indexes:
        cur.execute(f"CREATE INDEX {qn(name)} ON {qn(table)} ({', '.join(map(qn, cols))})")
    _fire_deferred_checks(cur, fks)
    for name, col, (ref_table, ref_col) in fks:  # as Django makes them
        cur.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} FOREIGN KEY ({qn(col)}) "
                    f"REFERENCES {qn(ref_table)} ({qn(ref_col)}) DEFERRABLE INITIALLY DEFERRED")


def _fire_deferred_checks(cur, fks) -> None:
    """PostgreSQL alters no table (nor the tables its keys point to) with checks still deferred
    in the transaction: run them now."""
    if fks:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


