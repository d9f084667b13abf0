"""Every change to the register and the lists: import of an extract, absentee certificates,
transfers, mobile-voting requests, same-day additions. Each checks the law's deadline (from the
election's rule set, `sailau.law.eligibility`), changes the database in one transaction and
writes an audit record without personal data."""

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
from sailau.elections.models import Election, Station
from sailau.law.eligibility import KZ_1995, VoterRules
from sailau.paths import data_dir
from sailau.voters import models as m
from sailau.voters.access import iin_hash
from sailau.voters.assign import Assigner, StationInfo

VOTER_FIELDS = ("last_name", "first_name", "patronymic", "birth_date", "sex", "citizenship",
                "region", "locality", "street", "house", "apartment", "legal_capacity",
                "in_detention")


class VoterError(ValueError):
    """A request the law or the list refuses; `field` names what is wrong."""

    def __init__(self, code: str, field: str, message: str, status: int = 422):
        self.code, self.field, self.message, self.status = code, field, message, status
        super().__init__(message)

    def to_json(self) -> dict:
        return {"error": self.code, "field": self.field, "message": self.message}


def rules_for(election: Election) -> VoterRules:
    """The voter rules of the election's rule set (every contest of one election shares them)."""
    from sailau.law import get_ruleset

    name = election.contests.values_list("ruleset", flat=True).first()
    return get_ruleset(name).voter_rules if name else KZ_1995


def local(day: dt.date, naive: dt.datetime) -> dt.datetime:
    return timezone.make_aware(naive, timezone.get_current_timezone())


def assigner_for(election: Election, gazetteer=None) -> Assigner:
    stations = [StationInfo(*row) for row in election.stations.filter(kind=Station.ORDINARY)
                .values_list("id", "number", "territory_id", "settlement", "settlement_ru")]
    return Assigner(stations, gazetteer)


# --- import -------------------------------------------------------------------------------

@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> voters
    unassigned: int = 0
    errors: list = field(default_factory=list)  # extract.RowError

    def to_json(self) -> dict:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "excluded": self.excluded,
                "unassigned": self.unassigned, "rows_with_errors": len({e.row for e in self.errors}),
                "errors": [{"row": e.row, "field": e.field, "code": e.code, "message": e.message}
                           for e in self.errors]}


def import_extract(path: str | Path, election: Election, user=None, gazetteer=None,
                   today: dt.date | None = None) -> ImportReport:
    """Read and validate the extract (`extract.read_extract` + `validate_frame`, the frame form
    of `parse_extract`: bad rows reported by row and field, the others kept), upsert the
    register by IIN (a re-import updates, never duplicates),
    and give each voter of the file an entry for `election`: eligibility with every reason,
    and the home station the address gives. Entries already moved (absentee certificate,
    transfer) keep where they are.

    Written for 12 million rows (about 4 minutes, BENCHMARKS.md): columns in polars, new rows
    appended in bulk (`_insert_frame`: COPY on PostgreSQL, an ADBC staging file on SQLite),
    changed rows updated one statement each (few on a re-import), all in one transaction with
    its audit record: a crash leaves the register as it was."""
    import polars as pl

    from sailau.register.eligibility import eligibility_frame
    from sailau.register.extract import RowError, read_extract, validate_frame

    valid, errs = validate_frame(read_extract(path), gazetteer, today)
    errors = [RowError(r["row"], r["field"], r["code"], f"{r['message']}: {r['value']!r}")
              for r in errs.iter_rows(named=True)]
    report = ImportReport(rows=len(valid) + errs["row"].n_unique(), errors=errors)
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
        return self

    def __exit__(self, *exc):
        from django.db import OperationalError, connection

        for alias, path in self.attached:
            try:
                with connection.cursor() as cur:
                    cur.execute(f"DETACH DATABASE {alias}")
            except OperationalError:  # inside an outer transaction still: detached on close
                pass
            path.unlink(missing_ok=True)


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


# --- list entries -------------------------------------------------------------------------

def entry_by_iin(election: Election, iin: str, user) -> m.ListEntry:
    """The voter's list entry, for staff of the election only: asked before anything else, so
    that whether an IIN is registered is never told to an account without a role."""
    from sailau.voters.permissions import require_staff

    require_staff(user, election.id, "look up a voter by IIN")
    e = (m.ListEntry.objects.select_related("voter", "station", "home_station")
         .filter(election=election, voter__iin=(iin or "").strip()).first())
    if e is None:
        raise VoterError("not_found", "iin", "no voter with this IIN in this election's register",
                         404)
    return e


def _now(at):
    return at or timezone.now()


def _station(election: Election, number) -> Station:
    st = Station.objects.filter(election=election, number=number).first()
    if st is None:
        raise VoterError("unknown_station", "station", f"no station {number} in {election.id}")
    return st


def _deadline(at: dt.datetime, deadline_naive: dt.datetime, field_: str, what: str) -> None:
    deadline = local(deadline_naive.date(), deadline_naive)
    if at > deadline:
        raise VoterError("deadline_passed", field_,
                         f"{what}: the deadline was {deadline:%Y-%m-%d %H:%M} (local time)")


def issue_absentee(entry: m.ListEntry, user, at: dt.datetime | None = None) -> m.AbsenteeCertificate:
    """The voter leaves the home list and may vote at any station with the certificate."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    rules = rules_for(election)
    start, end = rules.absentee_window(election.date)
    if at < local(start.date(), start):
        raise VoterError("too_early", "at", f"absentee certificates are issued from "
                         f"{start:%Y-%m-%d %H:%M}")
    _deadline(at, end, "at", "absentee certificate")
    # Permission first: the answer must not tell someone else's staff what state a voter is in.
    if entry.station_id is not None:
        require(user, entry.station, "issue an absentee certificate")
    if entry.state != m.ListEntry.ON_LIST or entry.station_id is None:
        raise VoterError("not_on_list", "iin", f"the voter is not on a station list "
                         f"({entry.get_state_display()})", 409)
    with transaction.atomic():
        home = entry.station
        cert = m.AbsenteeCertificate.objects.create(
            number=f"{home.number}-{entry.pk}", entry=entry, home_station=home, issued_at=at,
            issued_by=username(user))
        entry.state, entry.station = m.ListEntry.ABSENTEE, None
        entry.save(update_fields=["state", "station"])
        audit.append(username(user), "voters.absentee_issued", f"entry:{entry.pk}",
                     {"certificate": cert.number, "home_station": home.number})
    return cert


def redeem_absentee(election: Election, number: str, station_number, user,
                    at: dt.datetime | None = None) -> m.AbsenteeCertificate:
    """Once, at any station of the election. A second presentation is refused, recorded as a
    `RefusedRedemption` and in the audit chain, and shows in the oversight report."""
    from sailau.voters.permissions import require

    at = _now(at)
    station = _station(election, station_number)
    require(user, station, "redeem an absentee certificate")
    cert = (m.AbsenteeCertificate.objects.select_related("entry", "redeemed_station")
            .filter(number=(number or "").strip(), entry__election=election).first())
    if cert is None:
        raise VoterError("unknown_certificate", "certificate", "no such absentee certificate", 404)
    with transaction.atomic():
        locked = m.AbsenteeCertificate.objects.select_for_update().get(pk=cert.pk)
        if locked.redeemed_at is None:
            locked.redeemed_at, locked.redeemed_station, locked.redeemed_by = at, station, username(user)
            locked.save(update_fields=["redeemed_at", "redeemed_station", "redeemed_by"])
            audit.append(username(user), "voters.absentee_redeemed", f"entry:{cert.entry_id}",
                         {"certificate": cert.number, "station": station.number})
            return locked
        m.RefusedRedemption.objects.create(certificate=locked, station=station, at=at,
                                           by=username(user))
        audit.append(username(user), "voters.absentee_refused", f"entry:{cert.entry_id}",
                     {"certificate": cert.number, "station": station.number,
                      "first_station": locked.redeemed_station.number})
    raise VoterError("already_redeemed", "certificate",
                     f"certificate {cert.number} was already redeemed at station "
                     f"{locked.redeemed_station.number} on {timezone.localtime(locked.redeemed_at):%Y-%m-%d %H:%M};"
                     " this attempt is refused and reported", 409)


def transfer(entry: m.ListEntry, station_number, address: str, user,
             at: dt.datetime | None = None) -> m.Transfer:
    """To the list of the station of the voter's temporary residence."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    _deadline(at, rules_for(election).transfer_deadline(election.date), "at", "transfer")
    if not address.strip():
        raise VoterError("required", "address", "the address of temporary residence is required")
    to = _station(election, station_number)
    # Both lists change: staff must cover the home station as well as the new one, and are
    # checked before the voter's state is told.
    require(user, to, "transfer a voter")
    if entry.station_id is not None:
        require(user, entry.station, "transfer a voter off this station's list")
    if entry.state != m.ListEntry.ON_LIST or entry.station_id is None:
        raise VoterError("not_on_list", "iin", f"the voter is not on a home list "
                         f"({entry.get_state_display()})", 409)
    if to.pk == entry.station_id:
        raise VoterError("same_station", "station", "the voter is already on that station's list")
    with transaction.atomic():
        t = m.Transfer.objects.create(entry=entry, from_station=entry.station, to_station=to,
                                      address=address.strip(), at=at, by=username(user))
        entry.state, entry.station = m.ListEntry.TRANSFERRED, to
        entry.save(update_fields=["state", "station"])
        audit.append(username(user), "voters.transferred", f"entry:{entry.pk}",
                     {"from": t.from_station.number, "to": to.number})
    return t


def request_mobile(entry: m.ListEntry, reason: str, user, at: dt.datetime | None = None) -> m.MobileRequest:
    """A written request to vote outside the station (illness, disability, care)."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    if entry.station_id is not None:  # permission first, as everywhere: then the deadline
        require(user, entry.station, "record a mobile-voting request")
    _deadline(at, rules_for(election).mobile_deadline(election.date), "at", "mobile-voting request")
    if not reason.strip():
        raise VoterError("required", "reason", "the reason for voting outside the station is required")
    if entry.state not in (m.ListEntry.ON_LIST, m.ListEntry.TRANSFERRED) or entry.station_id is None:
        raise VoterError("not_on_list", "iin", f"the voter is not on a station list "
                         f"({entry.get_state_display()})", 409)
    if entry.mobile_requests.exists():
        raise VoterError("duplicate", "iin", "this voter already has a mobile-voting request", 409)
    with transaction.atomic():
        r = m.MobileRequest.objects.create(entry=entry, station=entry.station, reason=reason.strip(),
                                           at=at, by=username(user))
        audit.append(username(user), "voters.mobile_request", f"entry:{entry.pk}",
                     {"station": entry.station.number})
    return r


@dataclass(frozen=True)
class Person:
    """Who is added on election day when the register does not know them."""

    iin: str
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""  # birth date and sex come from the IIN
    region: str = ""
    locality: str = ""
    street: str = ""
    house: str = ""
    apartment: str = ""


def add_same_day(election: Election, station_number, person: Person, reason: str,
                 document_kind: str, document_number: str, user, reason_text: str = "",
                 at: dt.datetime | None = None) -> m.SameDayAddition:
    """On election day only; logged with the reason, the document shown and who added it.
    Refused when the person is on another list, holds an absentee certificate, or is not
    eligible: an addition must never give anyone a second vote."""
    from sailau.register.eligibility import eligibility
    from sailau.register.iin import IinError, parse_iin
    from sailau.voters.permissions import require

    at = _now(at)
    station = _station(election, station_number)
    require(user, station, "add a voter on election day")
    if timezone.localtime(at).date() != election.date:
        raise VoterError("not_election_day", "at", f"same-day additions are made on election "
                         f"day ({election.date}) only")
    if reason not in dict(m.SameDayAddition.REASONS):
        raise VoterError("unknown", "reason", f"reason must be one of "
                         f"{', '.join(dict(m.SameDayAddition.REASONS))}")
    if document_kind not in dict(m.SameDayAddition.DOCUMENTS):
        raise VoterError("unknown", "document_kind", f"document must be one of "
                         f"{', '.join(dict(m.SameDayAddition.DOCUMENTS))}")
    if not document_number.strip():
        raise VoterError("required", "document_number", "the number of the document shown is required")
    if reason == "other" and not reason_text.strip():
        raise VoterError("required", "reason_text", "say what the other reason is")
    try:
        info = parse_iin(person.iin.strip())
    except IinError as exc:
        raise VoterError("invalid", "iin", str(exc)) from None
    rules = rules_for(election)
    with transaction.atomic():
        voter = m.Voter.objects.filter(iin=person.iin.strip()).first()
        if voter is None:
            missing = [f for f in ("last_name", "first_name", "locality") if not getattr(person, f).strip()]
            if missing:
                raise VoterError("required", missing[0], "not in the register: name and locality "
                                 "are required")
            voter = m.Voter.objects.create(
                iin=person.iin.strip(), last_name=person.last_name.strip(),
                first_name=person.first_name.strip(), patronymic=person.patronymic.strip(),
                birth_date=info.birth_date, sex=info.sex, citizenship="KAZ",
                region=person.region.strip(), locality=person.locality.strip(),
                street=person.street.strip(), house=person.house.strip(),
                apartment=person.apartment.strip())
        entry = m.ListEntry.objects.filter(election=election, voter=voter).first()
        if entry is not None and entry.state != m.ListEntry.EXCLUDED:
            where = entry.station.number if entry.station else None
            raise VoterError("already_listed", "iin", (
                f"already on the list of station {where}" if where else
                f"not addable: {entry.get_state_display()}"), 409)
        ok = eligibility(voter, election.date, rules)
        if not ok.eligible and reason not in ("court_decision", "commission_decision"):
            raise VoterError("not_eligible", "iin", f"not eligible: {', '.join(ok.reasons)}")
        if entry is None:
            entry = m.ListEntry(election=election, voter=voter, home_station=station)
        entry.station, entry.state, entry.same_day = station, m.ListEntry.ON_LIST, True
        entry.eligible, entry.reasons = True, [] if ok.eligible else list(ok.reasons)
        entry.save()
        a = m.SameDayAddition.objects.create(
            entry=entry, station=station, reason=reason, reason_text=reason_text.strip(),
            document_kind=document_kind, document_number=document_number.strip(), at=at,
            added_by=user)
        audit.append(username(user), "voters.same_day_addition", f"entry:{entry.pk}",
                     {"station": station.number, "reason": reason, "document_kind": document_kind,
                      "iin_hmac": iin_hash(voter.iin)})
    return a
