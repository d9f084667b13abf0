"""Bulk downloads: one row per station (the "sailau" CSV format that
`sailau.analysis.sources.read_sailau` reads back) and one row per commission of a level, each
as CSV, Parquet and JSON, and each contest's choices with their names.

The files are language-neutral: one file per name, whatever the language of the page that links
to it, with the names of regions, districts, commissions, parties and candidates in a column per
language of `sailau.languages.LANGUAGES` (kk, kk_latn, ru, en: Kazakh in Latin script made from
the Kazakh, so that its reader finds the names as the /kk-latn/ pages write them; the analysis
format's own `region` and `district` columns keep the state language).
So a file has one SHA-256, the one the snapshot manifest and the downloads page list, in every
language. Bytes are deterministic for the same data (Parquet too: no timestamps in it)."""

import csv
import io
import json

from sailau.analysis.sources import SAILAU_NAMES
from sailau.elections import electorate
from sailau.elections.models import Commission, Contest
from sailau.languages import KAZAKH, LANGUAGES, column
from sailau.law import kinds
from sailau.law.forms import LINE_KEYS
from sailau.protocols.models import Protocol, Tally
from sailau.publish.election_data import ElectionData

LEVELS = (Commission.TERRITORIAL, Commission.DISTRICT, Commission.SMD)
FORMATS = ("csv", "parquet", "json")
# Every line of the law's protocol form (`sailau.law.forms.LINES`), whatever the contest: a
# line the protocol does not have, or an optional one not typed, is an empty cell. One list, so
# that a line a commission can type is never left out of the tables `sailau verify` checks.
FIGURE_COLUMNS = LINE_KEYS
STATION_COLUMNS = ("station_id", "region", "district")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                 "parquet": "application/vnd.apache.parquet"}
# Text columns of the tables; every other column is a count (an integer, or empty when the
# protocol form has no such line).
TEXT_COLUMNS = {"station_id", "region", "district", "commission_id", "parent",
                *SAILAU_NAMES, *(column("name", lang) for lang in LANGUAGES)} - {
    "number", "version"}
# The station table's name columns after `number` and `version` (SAILAU_NAMES): (what, language).
_NAMED = {column(what, lang): (what, lang) for what in ("region", "district") for lang in LANGUAGES}
STATION_NAMES = [_NAMED[col] for col in SAILAU_NAMES[2:]]


def names(obj) -> dict:
    """A record's name in every language offered (its `name(lang)`)."""
    return {lang: obj.name(lang) for lang in LANGUAGES}


def _csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _parquet(header: list[str], rows) -> bytes:
    """The same table as the CSV, typed: counts as 64-bit integers (null where the CSV is
    empty), names and ids as text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    columns = {}
    for i, col in enumerate(header):
        values = [r[i] for r in rows]
        if col in TEXT_COLUMNS:
            columns[col] = pa.array([None if v is None else str(v) for v in values], pa.string())
        else:
            columns[col] = pa.array([None if v in ("", None) else int(v) for v in values],
                                    pa.int64())
    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf, compression="zstd")
    return buf.getvalue()


def _table(fmt: str, header: list[str], rows) -> bytes:
    return _csv(header, rows) if fmt == "csv" else _parquet(header, rows)


def _json(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def choice_names(contest: Contest) -> dict[str, dict]:
    return {ch.key: names(ch) for ch in contest.choices.all()}


def station_rows(data: ElectionData, contest: Contest) -> list[dict]:
    """Every station of the contest that has a current protocol, by station number."""
    stations = contest_stations(contest)
    labels = station_labels(data)
    rows = []
    for sid, version, fig, cho in (Protocol.objects.current().filter(contest=contest)
                                   .values_list("station_id", "version", "figures", "choices")):
        s = stations.get(sid)
        if s is not None:
            rows.append(station_row(s, labels, version, fig, cho))
    rows.sort(key=lambda r: (r["number"], r["station_id"]))
    return rows


def contest_stations(contest: Contest) -> dict[str, tuple]:
    """(id, number, territory, district) of each station of the contest, by id."""
    qs = electorate.stations(contest)
    return {s[0]: s for s in qs.values_list("id", "number", "territory_id", "district_id")}


def station_labels(data: ElectionData) -> dict[str, dict]:
    return {cid: names(c) for cid, c in data.commissions.items()
            if c.level in (Commission.TERRITORIAL, Commission.DISTRICT)}


def station_row(s: tuple, labels: dict, version: int, fig: dict, cho: dict) -> dict:
    return {"station_id": s[0], "number": s[1],
            "region": labels.get(s[2], dict.fromkeys(LANGUAGES, s[2])),
            "district": labels.get(s[3], dict.fromkeys(LANGUAGES, s[3])),
            "version": version, "figures": fig, "choices": cho}


def stations_file(data: ElectionData, contest: Contest, fmt: str, rows=None):
    """`rows`: the contest's `station_rows` if already read (one read serves every format)."""
    rows = station_rows(data, contest) if rows is None else rows
    keys = data.choice_keys[contest.id]
    if fmt == "json":
        body = _json(stations_json_head(data, contest, rows))
    else:
        body = _table(fmt, stations_header(keys), (station_cells(r, keys) for r in rows))
    return body, CONTENT_TYPES[fmt]


# The parts of a station table, also kept per station by `national_tables` (which must give
# the same bytes without reading every protocol again).

def stations_header(keys: list[str]) -> list[str]:
    return [*STATION_COLUMNS, *FIGURE_COLUMNS, *SAILAU_NAMES, *keys]


def station_cells(r: dict, keys: list[str]) -> list:
    """One station's row of the CSV and Parquet tables."""
    return ([r["station_id"], r["region"][KAZAKH], r["district"][KAZAKH]]
            + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["number"], r["version"]] + [r[what][lang] for what, lang in STATION_NAMES]
            + [r["choices"].get(k, 0) for k in keys])


def stations_json_head(data: ElectionData, contest: Contest, rows) -> dict:
    """The JSON table's document, its `stations` being `rows`."""
    return {"election": data.election.id, "contest": contest.id,
            "choices": data.choice_keys[contest.id], "choice_names": choice_names(contest),
            "stations": rows}


def level_rows(data: ElectionData, contest: Contest, level: str) -> list[dict]:
    tallies = {t.commission_id: t for t in Tally.objects.filter(contest=contest)}
    out = []
    for c in sorted((c for c in data.commissions.values() if c.level == level),
                    key=lambda c: (c.number, c.id)):
        t = tallies.get(c.id)
        if t is None:  # a commission this contest does not cover (another SMD)
            continue
        out.append({"commission_id": c.id, "number": c.number, "name": names(c),
                    "parent": c.parent_id, "stations_reported": t.stations_reported,
                    "stations_expected": t.stations_expected, "figures": t.figures,
                    "choices": t.choices})
    return out


def level_file(data: ElectionData, contest: Contest, level: str, fmt: str, rows=None):
    rows = level_rows(data, contest, level) if rows is None else rows
    keys = data.choice_keys[contest.id]
    if fmt == "json":
        body = _json({"election": data.election.id, "contest": contest.id, "level": level,
                      "choices": keys, "choice_names": choice_names(contest),
                      "commissions": rows})
    else:
        body = _table(fmt, ["commission_id", "number",
                            *(column("name", lang) for lang in LANGUAGES),
                            "parent", "stations_reported", "stations_expected",
                            *FIGURE_COLUMNS, *keys], (
            [r["commission_id"], r["number"], *(r["name"][lang] for lang in LANGUAGES),
             r["parent"], r["stations_reported"], r["stations_expected"]]
            + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["choices"].get(k, 0) for k in keys] for r in rows))
    return body, CONTENT_TYPES[fmt]


def choices_file(contest: Contest) -> bytes:
    """`choices.csv`: what each choice column of the contest's tables is, named in every
    language (a party, a candidate of a single-member district, yes/no, against all)."""
    return _csv(["key", "order", "party", *(column("name", lang) for lang in LANGUAGES)], (
        [ch.key, ch.order, ch.party_id or "", *(ch.name(lang) for lang in LANGUAGES)]
        for ch in sorted(contest.choices.all(), key=lambda ch: ch.order)))


# 2: an outcome not computed says why as data (`outcome.reason`); a file without `format` is 1.
OUTCOME_FORMAT = "sailau-outcome/2"


def outcome_file(contest: Contest) -> bytes:
    """`outcome.json`: the contest's outcome under its rule set from its national (or
    district) totals, and what the rule set needs besides the votes (seats, the parties'
    registration order), so that `sailau verify` can decide again from the station files."""
    from sailau.law.outcomes.types import Computed
    from sailau.protocols import tabulation

    tally = Tally.objects.filter(contest=contest, commission_id=contest.commission_id).first()
    result = tabulation.outcome(tally) if tally else None
    return _json({"format": OUTCOME_FORMAT,
                  "contest": contest.id, "ruleset": contest.ruleset, "kind": contest.kind,
                  "commission": contest.commission_id, "seats": contest.seats,
                  "registration_order": tabulation.registration_order(contest)
                  if kinds.REGISTRATION_ORDER in contest.contest_kind.needs else [],
                  "computed": isinstance(result, Computed),
                  "outcome": result.to_json() if result else None})


def levels_of(contest: Contest) -> list[str]:
    """The per-level tables a contest has: the levels of its tallies below its own."""
    return {Commission.CEC: [Commission.TERRITORIAL, Commission.DISTRICT],
            Commission.TERRITORIAL: [Commission.TERRITORIAL, Commission.DISTRICT],
            Commission.DISTRICT: [Commission.DISTRICT]}.get(contest.commission.level,
                                                            [Commission.SMD])


def contest_files(data: ElectionData, contest: Contest, put, levels=True, stations=True):
    """Hand a contest's tables to `put(name, bytes)`: its choices, per-level tables (if
    `levels`) and station tables (if `stations`), each in every format, each table read once."""
    put(f"contests/{contest.id}/choices.csv", choices_file(contest))
    if stations:
        rows = station_rows(data, contest)
        for fmt in FORMATS:
            put(f"contests/{contest.id}/stations.{fmt}",
                stations_file(data, contest, fmt, rows)[0])
    if levels:
        put(f"contests/{contest.id}/outcome.json", outcome_file(contest))
        for level in levels_of(contest):
            rows = level_rows(data, contest, level)
            for fmt in FORMATS:
                put(f"contests/{contest.id}/{level}.{fmt}",
                    level_file(data, contest, level, fmt, rows)[0])
