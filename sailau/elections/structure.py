"""Import and export of a whole election structure (commissions, stations, parties, contests,
choices, candidates, members) as one JSON document or a folder of CSV files, one per table.

Everything is checked before anything is written; errors name the file, the row and the field.
The demo writes its synthetic election through here too, so the file format is exercised at
national scale every time the demo is built."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import ProtectedError

from sailau import languages
from sailau.audit.sql import insert_rows
from sailau.elections import electorate, keys, logged
from sailau.elections import models as m
from sailau.elections.structure_checks import check_against_all_present, check_references
from sailau.errors import BadInput, Code
from sailau.languages import KAZAKH, column
from sailau.tlog import canonicaljson

FORMAT = "sailau-structure/1"
BATCH = 2000
# The largest value of a PositiveIntegerField on every supported database (PostgreSQL's
# `integer`): a larger one would end in an OverflowError or a DataError half-way through.
MAX_INT = 2**31 - 1


class StructureError(BadInput):
    """The structure cannot be imported; `errors` lists every problem found (file:row:field)."""

    @classmethod
    def listing(cls, errors: list[str]) -> StructureError:
        """The refusal of a structure with these problems (the first 50 in the message)."""
        shown = "\n".join(errors[:50])
        more = f"\n... and {len(errors) - 50} more" if len(errors) > 50 else ""
        return cls(code=Code.STRUCTURE, message=f"{len(errors)} error(s):\n{shown}{more}",
                   detail={"errors": errors})

    @property
    def errors(self) -> list[str]:
        return self.detail["errors"]


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise TypeError("expected a whole number")
    if isinstance(v, int):
        i = v
    else:
        s = str(v).strip()
        if not s.lstrip("-").isdigit():
            raise ValueError(f"expected a whole number, got {v!r}")
        i = int(s)
    if i < 0:
        raise ValueError(f"must not be negative, got {i}")
    if i > MAX_INT:
        raise ValueError(f"must be at most {MAX_INT}, got {i}")
    return i


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "y"):
        return True
    if s in ("0", "false", "no", "n", ""):
        return False
    raise ValueError(f"expected true or false, got {v!r}")


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.date):
        return v
    if not isinstance(v, str):
        raise TypeError(f"expected a date (YYYY-MM-DD), got {v!r}")
    try:
        return dt.date.fromisoformat(v.strip())
    except ValueError:
        raise ValueError(f"expected a date (YYYY-MM-DD), got {v!r}") from None


def _str(v: Any) -> str:
    if isinstance(v, (dict, list)):
        raise TypeError("expected text, got a list or an object")
    s = "" if v is None else str(v).strip()
    # PostgreSQL refuses NUL in text and neither database stores a lone surrogate.
    if "\x00" in s:
        raise ValueError("contains a NUL character")
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode text") from None
    return s


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[Any], Any] = _str
    required: bool = True
    choices: tuple[str, ...] = ()


def _f(name, parse=_str, required=True, choices=()):
    return Field(name, parse, required, tuple(choices))


def _keys(choices) -> tuple[str, ...]:
    return tuple(k for k, _ in choices)


NAMES = [_f("name_kk"), _f("name_ru", required=False), _f("name_en", required=False)]
TABLES: dict[str, list[Field]] = {
    "commissions": [_f("id"), _f("level", choices=_keys(m.Commission.LEVELS)),
                    _f("parent", required=False), _f("number", _int), *NAMES,
                    _f("address", required=False), _f("address_ru", required=False),
                    _f("address_en", required=False)],
    "stations": [_f("id"), _f("commission"), _f("district"), _f("territory"),
                 _f("smd", required=False), _f("territorial_smd", required=False),
                 _f("district_smd", required=False), _f("number", _int),
                 _f("kind", choices=_keys(m.Station.KINDS)), _f("settlement"),
                 _f("settlement_ru", required=False), _f("address"),
                 _f("address_ru", required=False), _f("urban", _bool), _f("registered", _int)],
    "parties": [_f("id"), _f("short"), *NAMES, _f("color", required=False),
                _f("registration_order", _int)],
    "contests": [_f("id"), _f("kind", choices=_keys(m.Contest.KINDS)), _f("ruleset"),
                 _f("seats", _int), _f("commission"), *NAMES],
    "choices": [_f("contest"), _f("key"), _f("party", required=False), _f("order", _int),
                *NAMES],
    "candidates": [_f("id"), _f("contest"), _f("choice", required=False),
                   _f("party", required=False), _f("list_position", _int, required=False),
                   _f("full_name"), _f("birth_date", _date, required=False),
                   _f("woman", _bool, required=False), _f("disability", _bool, required=False),
                   _f("status", required=False,
                      choices=_keys(m.Candidate._meta.get_field("status").choices)),
                   _f("status_reason", required=False)],
    "members": [_f("commission"), _f("full_name"), _f("role", choices=_keys(m.Member.ROLES)),
                _f("nominated_by"), _f("party", required=False)],
    # Who votes in a contest (`electorate`), optional: a contest listed here nowhere gets the
    # stations of its commission's area.
    "electorate": [_f("contest"), _f("station")],
}
ELECTION_FIELDS = [_f("id"), _f("kind", choices=_keys(m.Election.KINDS)), _f("date", _date),
                   *NAMES, _f("synthetic", _bool, required=False)]
# The written languages the format's first columns are in (`name_kk`, `name_ru`, `name_en`,
# `address`, `address_ru`, ...). A written language listed after them takes, in every table with
# a name, address or settlement, the optional column `<field>_<code>` (`name_xx`), read and
# written from the list (`fields`): a new language is a list entry, not a change of this file.
FORMAT_LANGUAGES = (KAZAKH, languages.RUSSIAN, languages.ENGLISH)


def fields(table: str) -> list[Field]:
    """The columns of `table` ("election" or one of TABLES): its own, then one optional column
    of each of its spelled fields for each written language after FORMAT_LANGUAGES, read from
    the list at each call."""
    own = ELECTION_FIELDS if table == "election" else TABLES[table]
    names = {f.name for f in own}
    extra = [_f(format_column(field, lang), required=False)
             for field in m.SPELLINGS if format_column(field, KAZAKH) in names
             for lang in languages.WRITTEN if lang not in FORMAT_LANGUAGES]
    return [*own, *extra]


MODELS = {"election": m.Election, "commissions": m.Commission, "stations": m.Station,
          "parties": m.Party, "contests": m.Contest, "choices": m.Choice,
          "candidates": m.Candidate, "members": m.Member, "electorate": m.Electorate}


@functools.cache  # asked for each text of each row (590,000 times for the national demo)
def _max_length(table: str, name: str) -> int | None:
    """The longest text the column behind `table.name` holds (a reference: its target's id):
    of the models and the written languages alone, the same for every row."""
    spelling = next((field for field in m.SPELLINGS for lang in languages.WRITTEN
                     if format_column(field, lang) == name), None)
    if spelling:  # a column of one language of a mapping of spellings
        return m.SPELLING_LENGTHS[spelling]
    try:
        f = MODELS[table]._meta.get_field(name)
    except FieldDoesNotExist:  # a column of the file with no field of that name
        return None
    if f.is_relation:
        f = f.target_field
    return getattr(f, "max_length", None)


# ---------------------------------------------------------------- reading


def read(path: Path) -> dict:
    """A structure document from a JSON file or a folder of CSV files (election.csv + tables)."""
    path = Path(path)
    if path.is_dir():
        doc: dict[str, Any] = {"format": FORMAT, "_files": {}}
        for table in ["election", *TABLES]:
            f = path / f"{table}.csv"
            doc["_files"][table] = f.name
            if not f.exists():
                if table == "election":
                    raise StructureError.listing(
                        [f"{f}: missing (every structure needs election.csv)"])
                doc[table] = []
                continue
            try:
                with f.open(newline="", encoding="utf-8-sig") as fh:
                    rows = list(csv.DictReader(fh))
            except UnicodeDecodeError as exc:
                raise StructureError.listing([(f"{f.name}: not UTF-8 text ({exc.reason} at byte "
                                       f"{exc.start})")]) from None
            doc[table] = rows[0] if table == "election" and rows else rows
        return doc
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StructureError.listing(
            [f"{path.name}: not a valid UTF-8 JSON document: {exc}"]) from None


def validate(doc: dict) -> dict:
    """Parse and check every row; returns the clean document or raises StructureError."""
    errors: list[str] = []
    files = doc.get("_files", {})

    def where(table: str, row: int | None) -> str:
        name = files.get(table, table)
        # CSV rows: +2 for the header and 1-based numbering, so the number matches an editor.
        return f"{name}" if row is None else (
            f"{name}:row {row + 2}" if files else f"{name}[{row}]")

    def parse(table: str, idx: int | None, raw: Any, fields: list[Field]) -> dict:
        out: dict[str, Any] = {}
        if not isinstance(raw, dict):
            errors.append(f"{where(table, idx)}: expected an object with fields")
            return out
        for f in fields:
            v = raw.get(f.name)
            if v is None or v == "":
                if f.required:
                    errors.append(f"{where(table, idx)}: field '{f.name}' is required")
                out[f.name] = None
                continue
            try:
                out[f.name] = f.parse(v)
            except (ValueError, TypeError) as exc:
                errors.append(f"{where(table, idx)}: field '{f.name}': {exc}")
                out[f.name] = None  # reported; later checks see it as absent
                continue
            if f.choices and out[f.name] not in f.choices:
                errors.append(f"{where(table, idx)}: field '{f.name}': {v!r} is not one of "
                              f"{', '.join(f.choices)}")
            limit = _max_length(table, f.name) if isinstance(out[f.name], str) else None
            if limit and len(out[f.name]) > limit:
                errors.append(f"{where(table, idx)}: field '{f.name}': {len(out[f.name])} "
                              f"characters, at most {limit}")
        return out

    if not isinstance(doc, dict):
        raise StructureError.listing(["document: expected an object with 'election' and tables"])
    if doc.get("format", FORMAT) != FORMAT:
        errors.append(f"format: expected {FORMAT!r}, got {doc.get('format')!r}")
    clean = {"election": parse("election", None, doc.get("election"), fields("election"))}
    for table in TABLES:
        rows = doc.get(table, [])
        if not isinstance(rows, list):
            errors.append(f"{where(table, None)}: expected a list of rows")
            rows = []
        columns = fields(table)
        clean[table] = [parse(table, i, r, columns) for i, r in enumerate(rows)]
    check_references(clean, errors, where)
    check_against_all_present(clean, errors, where)
    if errors:
        raise StructureError.listing(errors)
    return clean


# ---------------------------------------------------------------- writing


def format_column(field: str, lang: str) -> str:
    """The format's column of `field` ("name", "address", "settlement") in `lang`: `name_kk`,
    `address_ru`; the Kazakh address and settlement in the bare `address`, `settlement`. The
    columns a table has are its own (`fields`: a station has no `address_en`); a written
    language after the format's first three has `<field>_<code>` in each table that spells
    `field`."""
    return field if lang == KAZAKH and field != "name" else column(field, lang)


def _spelled(r: dict, field: str) -> dict[str, str]:
    """A row's spellings of `field` as a record keeps them (`names`, `addresses`, ...): the
    format's columns that the row has, by written language."""
    return m.spelled({lang: r[col] for lang in languages.WRITTEN
                      if (col := format_column(field, lang)) in r}, m.SPELLINGS[field])


def _names(r: dict) -> dict:
    return {"names": _spelled(r, "name")}


def _exported(table: str, row: dict, spelled: dict[str, dict]) -> dict:
    """A row of `table` as the format writes it: the record's spellings (`spelled`: field ->
    mapping by language) in the table's own columns of them, "" where a language has none."""
    out = {}
    for f in fields(table):
        if f.name in row:
            out[f.name] = row[f.name]
            continue
        out[f.name] = next((mapping.get(lang) or "" for field, mapping in spelled.items()
                            for lang in languages.WRITTEN
                            if format_column(field, lang) == f.name), "")
    return out


@transaction.atomic
def write(doc: dict, replace: bool = False, *, first_round: dict | None = None,
          server_keys: bool = True) -> m.Election:
    """Store a validated document. An election with the same id is an error unless `replace`.
    `first_round`: a second round's link to its first (`elections.rounds`), logged right after
    the structure's leaves. `server_keys=False`: no commission gets a key the server holds (each
    makes its own, docs/commission-keys.md; the demo's commissions do)."""
    e = doc["election"]
    existing = m.Election.objects.filter(id=e["id"])
    if existing.exists():
        if not replace:
            raise StructureError.listing([f"election: {e['id']!r} exists already (use --replace)"])
        try:
            existing.delete()
        except ProtectedError:
            # Results are never deleted with a structure: they must be withdrawn on their own.
            raise StructureError.listing(
                [(f"election: {e['id']!r} has results; its structure cannot "
          "be replaced")]) from None
    election = m.Election.objects.create(id=e["id"], kind=e["kind"], date=e["date"],
                                         synthetic=bool(e["synthetic"]), **_names(e))
    eid = election.id
    # The commissions, stations and members (a national structure's 10,000, 10,000 and 84,000
    # rows) by the bulk writer: bulk_create's model instances and SQL cost seconds. The values
    # are the parsed document's, of each column's type; the same rows either way.
    insert_rows(m.Commission, ["id", "election", "level", "parent", "number", "addresses",
                               "names"],
                [(c["id"], eid, c["level"], c["parent"], c["number"], _spelled(c, "address"),
                  _spelled(c, "name")) for c in doc["commissions"]])
    insert_rows(m.Station, ["election", "commission", "district", "territory", "smd",
                            "territorial_smd", "district_smd", "id", "number", "kind",
                            "settlements", "addresses", "urban", "registered"],
                [(eid, s["commission"], s["district"], s["territory"], s["smd"],
                  s["territorial_smd"], s["district_smd"], s["id"], s["number"], s["kind"],
                  _spelled(s, "settlement"), _spelled(s, "address"), s["urban"],
                  s["registered"])
                 for s in doc["stations"]])
    m.Party.objects.bulk_create(
        [m.Party(id=p["id"], election_id=eid, short=p["short"], color=p["color"] or "#777777",
                 registration_order=p["registration_order"], **_names(p))
         for p in doc["parties"]])
    m.Contest.objects.bulk_create(
        [m.Contest(id=c["id"], election_id=eid, kind=c["kind"], ruleset=c["ruleset"],
                   seats=c["seats"], commission_id=c["commission"], **_names(c))
         for c in doc["contests"]])
    m.Choice.objects.bulk_create(
        [m.Choice(contest_id=c["contest"], key=c["key"], party_id=c["party"], order=c["order"],
                  **_names(c)) for c in doc["choices"]], batch_size=BATCH)
    choice_pk = {(c.contest_id, c.key): c.pk
                 for c in m.Choice.objects.filter(contest__election_id=eid)}
    m.Candidate.objects.bulk_create(
        [m.Candidate(id=c["id"], contest_id=c["contest"],
                     choice_id=choice_pk.get((c["contest"], c["choice"])), party_id=c["party"],
                     list_position=c["list_position"], full_name=c["full_name"],
                     birth_date=c["birth_date"], woman=bool(c["woman"]),
                     disability=bool(c["disability"]), status=c["status"] or "registered",
                     status_reason=c["status_reason"] or "")
         for c in doc["candidates"]], batch_size=BATCH)
    insert_rows(m.Member, ["commission", "full_name", "role", "nominated_by", "party"],
                [(x["commission"], x["full_name"], x["role"], x["nominated_by"], x["party"])
                 for x in doc["members"]])
    electorate.write_structure(eid, [(x["contest"], x["station"]) for x in doc["electorate"]])
    # The structure's leaves in the published log, then every commission's signing key (sealed,
    # see `keys`), each key a leaf after them: all in this transaction.
    logged.write_structure(eid, first_round)
    if server_keys:
        keys.issue(c["id"] for c in doc["commissions"])
    _record(doc, replace)
    return election


def _record(doc: dict, replace: bool) -> None:
    """The import's audit record, in its transaction: what was imported (counts and the
    SHA-256 of the validated document) and whether it replaced an election. It also marks, for
    `sailau audit verify`, where the records of a replaced election's results end."""
    from sailau import audit

    body = canonicaljson.encode(doc, default=str)
    audit.append("system", "structure.imported", doc["election"]["id"], {
        "replace": bool(replace), "sha256": hashlib.sha256(body).hexdigest(),
        **{k: len(doc[k]) for k in ("commissions", "stations", "parties", "contests",
                                        "choices", "candidates", "members")}})


def import_path(path: Path, replace: bool = False) -> m.Election:
    return write(validate(read(path)), replace=replace)


# ---------------------------------------------------------------- exporting


def export(election: m.Election) -> dict:
    """The structure of `election` as a document that `validate` accepts."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "election": _exported("election", {
            "id": election.id, "kind": election.kind, "date": election.date.isoformat(),
            "synthetic": election.synthetic}, {"name": election.names}),
    }
    cols = {t: [f.name for f in fs] for t, fs in TABLES.items()}
    doc["commissions"] = [
        _exported("commissions", dict(zip(("id", "level", "parent", "number"), r[:4])),
                  {"name": r[4], "address": r[5]})
        for r in election.commissions.order_by("level", "id").values_list(
            "id", "level", "parent_id", "number", "names", "addresses")]
    doc["stations"] = [
        _exported("stations", dict(zip(
            ("id", "commission", "district", "territory", "smd", "territorial_smd",
             "district_smd", "number", "kind", "urban", "registered"), r[:11])),
            {"settlement": r[11], "address": r[12]})
        for r in election.stations.values_list(
            "id", "commission_id", "district_id", "territory_id", "smd_id", "territorial_smd_id",
            "district_smd_id", "number", "kind", "urban", "registered", "settlements",
            "addresses")]
    doc["parties"] = [
        _exported("parties", dict(zip(("id", "short", "color", "registration_order"), r[:4])),
                  {"name": r[4]})
        for r in election.parties.values_list("id", "short", "color", "registration_order",
                                              "names")]
    doc["contests"] = [
        _exported("contests", dict(zip(("id", "kind", "ruleset", "seats", "commission"), r[:5])),
                  {"name": r[5]})
        for r in election.contests.values_list("id", "kind", "ruleset", "seats",
                                               "commission_id", "names")]
    doc["choices"] = [
        _exported("choices", dict(zip(("contest", "key", "party", "order"), r[:4])),
                  {"name": r[4]})
        for r in m.Choice.objects.filter(contest__election=election).values_list(
            "contest_id", "key", "party_id", "order", "names")]
    doc["candidates"] = [
        {**dict(zip(cols["candidates"], r)),
         "birth_date": r[6].isoformat() if r[6] else None}
        for r in m.Candidate.objects.filter(contest__election=election).values_list(
            "id", "contest_id", "choice__key", "party_id", "list_position", "full_name",
            "birth_date", "woman", "disability", "status", "status_reason")]
    doc["members"] = [dict(zip(cols["members"], r)) for r in m.Member.objects.filter(
        commission__election=election).values_list(
            "commission_id", "full_name", "role", "nominated_by", "party_id")]
    doc["electorate"] = [dict(zip(cols["electorate"], r)) for r in m.Electorate.objects.filter(
        contest__election=election).order_by("contest_id", "station_id").values_list(
            "contest_id", "station_id")]
    return doc


def export_path(election: m.Election, path: Path) -> None:
    """Write JSON when `path` ends in .json, otherwise a folder of CSV files."""
    doc = export(election)
    path = Path(path)
    if path.suffix == ".json":
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    path.mkdir(parents=True, exist_ok=True)
    tables = {t: ([f.name for f in fields(t)], [doc[t]] if t == "election" else doc[t])
              for t in ("election", *TABLES)}
    for table, (header, rows) in tables.items():
        with (path / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=header)
            w.writeheader()
            w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
