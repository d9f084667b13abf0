"""The layout of the published tables (docs/published-files.md): their columns, the cells of a
row, and how CSV, Parquet and JSON are written. Pure Python without Django: the publisher
(`sailau.publish.files.downloads`) writes the tables with these functions, and `sailau verify`
(`sailau.verify.derived`) writes them again from the files it has held to the log and compares,
so that the two cannot drift apart."""

from __future__ import annotations

import csv
import io
import json

from sailau.analysis.sources import SAILAU_NAMES
from sailau.languages import KAZAKH, LANGUAGES, column, pick
from sailau.law import figures
from sailau.law.forms import LINE_KEYS
from sailau.tlog import canonicaljson

# Every line of the law's protocol form (`sailau.law.forms.LINES`), whatever the contest: a
# line the protocol does not have, or an optional one not typed, is an empty cell.
FIGURE_COLUMNS = LINE_KEYS
STATION_COLUMNS = ("station_id", "region", "district")
# Text columns of the tables; every other column is a count (an integer, or empty when the
# protocol form has no such line).
TEXT_COLUMNS = {"station_id", "region", "district", "commission_id", "parent",
                *SAILAU_NAMES, *(column("name", lang) for lang in LANGUAGES)} - {
    "number", "version"}
# The station table's name columns after `number` and `version` (SAILAU_NAMES): (what, language).
_NAMED = {column(what, lang): (what, lang) for what in ("region", "district") for lang in LANGUAGES}
STATION_NAMES = [_NAMED[col] for col in SAILAU_NAMES[2:]]


def name_columns() -> list[str]:
    """A name's columns, one a language offered (`name_kk`, `name_kk_latn`, ...), read from the
    list when a table is written, so that a language added to it has its column."""
    return [column("name", lang) for lang in LANGUAGES]


def names_of(spellings: dict) -> dict:
    """A name in every language offered from its written spellings ({"kk", "ru", "en"}, as a
    published file or the log gives it): Kazakh in Latin script made from the Kazakh, a missing
    spelling read in Kazakh (as the records' `name(lang)` reads it)."""
    spellings = spellings if isinstance(spellings, dict) else {}
    return {lang: pick(spellings, lang) for lang in LANGUAGES}


def csv_bytes(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def parquet_table(header: list[str], rows):
    """The same table as the CSV, typed: counts as 64-bit integers (null where the CSV is
    empty), names and ids as text (a `pyarrow.Table`)."""
    import pyarrow as pa

    rows = list(rows)
    columns = {}
    for i, col in enumerate(header):
        values = [r[i] for r in rows]
        if col in TEXT_COLUMNS or col in name_columns():
            columns[col] = pa.array([None if v is None else str(v) for v in values], pa.string())
        else:
            columns[col] = pa.array([None if v in ("", None) else int(v) for v in values],
                                    pa.int64())
    return pa.table(columns)


def parquet_bytes(header: list[str], rows) -> bytes:
    """The table as Parquet, zstd. Without the column statistics and Arrow's copy of the schema
    in the footer (the types are Parquet's own: a reader gets the same table without them), and
    a dictionary for the text columns only (names repeat, counts hardly do): most tables are
    small and written again all night (a single-member district's one-row table with each
    batch of its stations), and in them the footer was most of the file. A one-row table of
    31 columns 10.6 KB -> 4.0 KB, 350 stations 33 KB -> 20 KB, 10,000 stations within 1 %."""
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    text = [col for col in header if col in TEXT_COLUMNS or col in name_columns()]
    pq.write_table(parquet_table(header, rows), buf, compression="zstd", write_statistics=False,
                   store_schema=False, use_dictionary=text)
    return buf.getvalue()


def json_bytes(doc) -> bytes:
    """The serialisation of every published JSON file of a snapshot."""
    return canonicaljson.encode(doc)


# ------------------------------------------------------------------ a contest's station table

def stations_header(keys: list[str]) -> list[str]:
    return [*STATION_COLUMNS, *FIGURE_COLUMNS, *SAILAU_NAMES, *keys]


def station_row(s: tuple, labels: dict, version: int, fig: dict, cho: dict) -> dict:
    """A station's row: `s` its (id, number, territory id, district id), `labels` commission id
    → name in every language."""
    return {"station_id": s[0], "number": s[1],
            "region": labels.get(s[2], dict.fromkeys(LANGUAGES, s[2])),
            "district": labels.get(s[3], dict.fromkeys(LANGUAGES, s[3])),
            "version": version, "figures": fig, "choices": cho}


def station_cells(r: dict, keys: list[str]) -> list:
    """One station's row of the CSV and Parquet tables."""
    return ([r["station_id"], r["region"][KAZAKH], r["district"][KAZAKH]]
            + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["number"], r["version"]] + [r[what][lang] for what, lang in STATION_NAMES]
            + [r["choices"].get(k, 0) for k in keys])


def stations_document(election: str, contest: str, keys: list[str], choice_names: dict,
                      rows) -> dict:
    return {"election": election, "contest": contest, "choices": keys,
            "choice_names": choice_names, "stations": rows}


# ------------------------------------------------------------ a contest's table of one level

def level_header(keys: list[str]) -> list[str]:
    return ["commission_id", "number", *name_columns(), "parent", "stations_reported",
            "stations_expected", *FIGURE_COLUMNS, *keys]


def level_cells(r: dict, keys: list[str]) -> list:
    return ([r["commission_id"], r["number"], *(r["name"][lang] for lang in LANGUAGES),
             r["parent"], r["stations_reported"], r["stations_expected"]]
            + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["choices"].get(k, 0) for k in keys])


def level_document(election: str, contest: str, level: str, keys: list[str],
                   choice_names: dict, rows) -> dict:
    return {"election": election, "contest": contest, "level": level, "choices": keys,
            "choice_names": choice_names, "commissions": rows}


# ------------------------------------------------------------------------ a contest's choices

def choices_header() -> list[str]:
    return ["key", "order", "party", *name_columns()]


def choice_cells(key: str, order: int, party: str | None, name: dict) -> list:
    return [key, order, party or "", *(name[lang] for lang in LANGUAGES)]


# ----------------------------------------------------- a contest's results over time (progress)

def progress_json(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode()


def progress_header(keys: list[str]) -> list[str]:
    return ["at", "stations_reported", "stations_expected", "invalid", *keys]


def progress_cells(pt: dict, keys: list[str]) -> list:
    return [pt["at"], pt["reported"], pt["expected"], pt["invalid"],
            *(pt["votes"][k] for k in keys)]


def progress_points(arrivals, keys: list[str], expected: int) -> list[dict]:
    """The totals after each arrival, `arrivals` being (at, invalid, choices) in the order the
    stations reported (as `sailau.publish.files.arrivals.Progress.cumulate` adds them): the shares
    are percent of the ballots found so far (votes of every key + invalid), 2 decimals."""
    votes: dict = {}
    invalid, out = 0, []
    for i, (at, inv, choices) in enumerate(arrivals, 1):
        for k, v in choices.items():
            votes[k] = votes.get(k, 0) + v
        invalid += inv
        found = figures.counted({"invalid": invalid}, votes)
        out.append({"at": at, "reported": i, "expected": expected,
                    "votes": {k: votes.get(k, 0) for k in keys}, "invalid": invalid,
                    "shares": {k: figures.published_share(votes.get(k, 0), found)
                               for k in keys}})
    return out


def progress_document(contest: str, expected: int, reported: int, as_of: str | None,
                      points: list) -> dict:
    return {"contest": contest, "stations_expected": expected, "stations_reported": reported,
            "as_of": as_of, "points": points}
