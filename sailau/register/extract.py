"""The population-register extract: a UTF-8 CSV with the columns in `COLUMNS`.

`read_extract` reads every data row as text (numbered from 1, as a reviewer counts them);
`validate_frame` checks every field of every row at once (polars expressions, so 12 million rows
take minutes, not hours) and returns the typed valid rows and one error per (row, field) with a
stable code; `parse_extract` does both and returns plain `Record`s for the register app.
A row with any error is left out and every other row is kept: one bad row never stops an import.

Every message, a row's and a file's, is the one error model's (sailau.errors: the code's text in
kk, ru and en, from errors/register_texts.py); a report is written in the language asked for."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from sailau import clock
from sailau.errors import MESSAGES, BadInput, Code
from sailau.languages import ENGLISH, pick
from sailau.register.gazetteer import Gazetteer, place_key
from sailau.register.iin import WEIGHTS_1, WEIGHTS_2

COLUMNS = (
    "iin", "last_name", "first_name", "patronymic", "birth_date", "sex", "citizenship",
    "region", "locality", "street", "house", "apartment", "legal_capacity", "in_detention",
)
REQUIRED = ("iin", "last_name", "first_name", "birth_date", "sex", "citizenship", "region",
            "locality", "legal_capacity", "in_detention")
NAME_FIELDS = ("last_name", "first_name", "patronymic")

SEX_VALUES = {
    "m": "M", "м": "M", "male": "M", "муж": "M", "мужской": "M", "ер": "M", "е": "M",
    "f": "F", "ж": "F", "female": "F", "жен": "F", "женский": "F", "әйел": "F", "ә": "F",
}
TRUE_VALUES = ("1", "true", "yes", "y", "t", "да", "иә", "ия")
FALSE_VALUES = ("0", "false", "no", "n", "f", "нет", "жоқ")
# Kazakhstan's citizenship under any spelling becomes the ICAO code KAZ; XXX is ICAO's code for
# a stateless person. Other states are expected as ISO 3166 alpha-3 codes.
CITIZENSHIP_ALIASES = {
    "KZ": "KAZ", "KAZ": "KAZ", "РК": "KAZ", "КАЗАХСТАН": "KAZ", "ҚАЗАҚСТАН": "KAZ",
    "KAZAKHSTAN": "KAZ", "ЛБГ": "XXX", "STATELESS": "XXX", "XXX": "XXX",
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
OLDEST_BIRTH = dt.date(1880, 1, 1)

# The longest value each text field may have (the voter list's columns): a longer one is refused
# with its row, not cut short nor left to fail the whole import in the database.
MAX_LENGTH = {"last_name": 100, "first_name": 100, "patronymic": 100, "street": 150,
              "house": 20, "apartment": 20}
# Every code a row's field can have; its text in each language is in the one catalogue.
ROW_CODES = (Code.ENCODING, Code.CONTROL, Code.REQUIRED, Code.FORMAT, Code.CENTURY, Code.DATE,
             Code.UNUSABLE, Code.CHECK_DIGIT, Code.FUTURE, Code.TOO_OLD, Code.IIN_MISMATCH,
             Code.UNKNOWN, Code.INVALID_CHARS, Code.TOO_LONG, Code.NOT_BOOLEAN,
             Code.DUPLICATE_IIN)


def row_messages(lang: str = ENGLISH) -> dict[str, str]:
    """Each row code's text in `lang` (kk, kk-latn, ru, en), keyed by the code's value."""
    return {str(code): pick(MESSAGES[code], lang) for code in ROW_CODES}


class ExtractError(BadInput, ValueError):
    """The file as a whole cannot be read (empty, a header not in UTF-8, columns missing or
    named twice): nothing of it is validated. Its `text(lang)` reads in kk, ru and en."""

    @classmethod
    def of_columns(cls, code: Code, columns: list[str]) -> ExtractError:
        """The header's fault `code` (columns missing, or named twice), the `columns` named
        after the code's text in every language."""
        listed = ", ".join(columns)
        return cls(code=code, field="header", detail={"columns": list(columns)},
                   message=MESSAGES[code].map(lambda text: f"{text}: {listed}"))


@dataclass(frozen=True)
class RowError:
    """One bad field of one row: its code's text and the value as read, in any language."""

    row: int  # 1-based data row
    field: str
    code: str
    value: str

    def text(self, lang: str = ENGLISH) -> str:
        """The message in `lang`: the code's text, then the value as read (quoted, so that a
        stray space or an empty value shows)."""
        return f"{pick(MESSAGES[Code(self.code)], lang)}: {self.value!r}"

    @property
    def message(self) -> str:
        """The message in English, for logs."""
        return self.text(ENGLISH)


@dataclass(frozen=True)
class Record:
    row: int
    iin: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date
    sex: str
    citizenship: str
    region: str
    locality: str
    street: str
    house: str
    apartment: str
    legal_capacity: bool
    in_detention: bool


def read_header(path: str | Path) -> list[str]:
    with open(path, "rb") as f:
        first = f.readline()
    if not first.strip():
        raise ExtractError(code=Code.EXTRACT_EMPTY)
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractError(code=Code.EXTRACT_ENCODING, field="header") from None
    return [h.strip().lower() for h in next(csv.reader(io.StringIO(line)))]


def read_extract(path: str | Path):
    """Every data row as text, with `row` (1-based). Invalid UTF-8 bytes become U+FFFD, which
    validation reports as an encoding error of that field."""
    import polars as pl

    header = read_header(path)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ExtractError.of_columns(Code.EXTRACT_MISSING_COLUMNS, missing)
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ExtractError.of_columns(Code.EXTRACT_REPEATED_COLUMNS, repeated)
    df = pl.read_csv(
        path, has_header=False, skip_rows=1, new_columns=header, infer_schema=False,
        encoding="utf8-lossy", truncate_ragged_lines=True, raise_if_empty=False,
    )
    if df.width < len(header):  # an empty body gives no columns at all
        df = pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in header})
    return df.select(COLUMNS).with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))


def iin_checks():
    """Expressions: (error code or null, date the IIN encodes, sex the IIN encodes)."""
    import polars as pl

    iin = pl.col("iin")
    digits = [iin.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(12)]
    c7 = digits[6]
    century = (pl.when(c7.is_in([1, 2])).then(1800).when(c7.is_in([3, 4])).then(1900)
               .when(c7.is_in([5, 6])).then(2000))
    year = century + iin.str.slice(0, 2).cast(pl.Int32, strict=False)
    born = pl.concat_str([year.cast(pl.String), iin.str.slice(2, 2), iin.str.slice(4, 2)],
                         separator="-").str.to_date("%Y-%m-%d", strict=False)
    s1 = pl.sum_horizontal([w * d for w, d in zip(WEIGHTS_1, digits)]) % 11
    s2 = pl.sum_horizontal([w * d for w, d in zip(WEIGHTS_2, digits)]) % 11
    check = pl.when(s1 == 10).then(s2).otherwise(s1)
    code = (pl.when(~iin.str.contains(r"^[0-9]{12}$")).then(pl.lit("format"))
            .when(century.is_null()).then(pl.lit("century"))
            .when(born.is_null()).then(pl.lit("date"))
            .when(check == 10).then(pl.lit("unusable"))
            .when(check != digits[11]).then(pl.lit("check_digit")))
    sex = pl.when(c7 % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))
    return code, born, sex


def _lookup(series, fn) -> dict:
    """Apply a Python function to the distinct values only (a register has few distinct places)."""
    return {v: fn(v) for v in series.unique().to_list()}


def validate_frame(raw, gazetteer: Gazetteer | None = None, today: dt.date | None = None,
                   chunk_rows: int = 1_000_000, lang: str = ENGLISH):
    """(valid rows, typed; errors: row, field, code, message, value) for a frame from
    `read_extract`, each error's message its code's text in `lang`.

    Only the repeated-IIN check needs the whole file; it is computed first on the IIN column
    alone, and every other check runs on slices of `chunk_rows` rows: at 12 million rows the
    intermediate columns of one pass over everything took 14.6 GB."""
    import polars as pl

    g = gazetteer or Gazetteer.builtin()
    today = today or clock.localdate()
    # A row repeats an IIN when an earlier row has the same IIN text (the file is in row order).
    raw = raw.with_columns(_dup=~pl.col("iin").str.strip_chars().is_first_distinct())
    messages = row_messages(lang)
    if len(raw) <= chunk_rows:
        return _validate_chunk(raw, g, today, messages)
    parts = [_validate_chunk(raw.slice(i, chunk_rows), g, today, messages)
             for i in range(0, len(raw), chunk_rows)]
    return pl.concat([v for v, _ in parts]), pl.concat([e for _, e in parts])


def _validate_chunk(raw, g: Gazetteer, today: dt.date, messages: dict[str, str]):
    import polars as pl

    df = raw.with_columns(pl.col(c).str.strip_chars() for c in COLUMNS)
    empty = {c: pl.col(c).is_null() | (pl.col(c) == "") for c in COLUMNS}
    encoding = {c: pl.col(c).str.contains("\ufffd", literal=True).fill_null(False) for c in COLUMNS}
    # A NUL no database text column takes (PostgreSQL refuses the whole import), nor any other
    # control character a person's name or address does not hold.
    control = {c: pl.col(c).str.contains(r"[\x00-\x1f\x7f]").fill_null(False) for c in COLUMNS}

    iin_code, iin_born, iin_sex = iin_checks()
    df = df.with_columns(_iin_code=iin_code, _iin_born=iin_born, _iin_sex=iin_sex)
    iin_ok = pl.col("_iin_code").is_null() & ~empty["iin"] & ~encoding["iin"]

    born = pl.coalesce([pl.col("birth_date").str.to_date(f, strict=False) for f in DATE_FORMATS])
    sex = pl.col("sex").str.to_lowercase().replace_strict(SEX_VALUES, default=None, return_dtype=pl.String)
    citizenship = pl.col("citizenship").str.to_uppercase()
    citizenship = (pl.when(citizenship.is_in(list(CITIZENSHIP_ALIASES)))
                   .then(citizenship.replace_strict(CITIZENSHIP_ALIASES, default=None))
                   .when(citizenship.str.contains(r"^[A-Z]{3}$")).then(citizenship))
    regions = _lookup(df["region"], g.region)
    region = pl.col("region").replace_strict(regions, default=None, return_dtype=pl.String)
    df = df.with_columns(_born=born, _sex=sex, _cit=citizenship, _region=region)
    pairs = df.select("_region", "locality").unique()
    localities = {
        (r, loc): g.locality(r, loc) if r is not None else None for r, loc in pairs.iter_rows()
    }
    loc_frame = pl.DataFrame(
        [{"_region": r, "locality": loc, "_locality": v} for (r, loc), v in localities.items()],
        schema={"_region": pl.String, "locality": pl.String, "_locality": pl.String},
    )
    df = df.join(loc_frame, on=["_region", "locality"], how="left", nulls_equal=True)

    def boolean(c):
        low = pl.col(c).str.to_lowercase()
        return pl.when(low.is_in(TRUE_VALUES)).then(True).when(low.is_in(FALSE_VALUES)).then(False)

    df = df.with_columns(_capacity=boolean("legal_capacity"), _detention=boolean("in_detention"))

    name_ok = r"^\p{L}[\p{L}\p{M}'’ .\-]*$"
    checks: dict[str, pl.Expr] = {
        "iin": (pl.when(iin_ok & pl.col("_dup")).then(pl.lit("duplicate_iin"))
                .otherwise(pl.col("_iin_code"))),
        "birth_date": (pl.when(pl.col("_born").is_null()).then(pl.lit("date"))
                       .when(pl.col("_born") > today).then(pl.lit("future"))
                       .when(pl.col("_born") < OLDEST_BIRTH).then(pl.lit("too_old"))
                       .when(iin_ok & (pl.col("_born") != pl.col("_iin_born"))).then(pl.lit("iin_mismatch"))),
        "sex": (pl.when(pl.col("_sex").is_null()).then(pl.lit("unknown"))
                .when(iin_ok & (pl.col("_sex") != pl.col("_iin_sex"))).then(pl.lit("iin_mismatch"))),
        "citizenship": pl.when(pl.col("_cit").is_null()).then(pl.lit("unknown")),
        "region": pl.when(pl.col("_region").is_null()).then(pl.lit("unknown")),
        # An unknown region already explains the locality; report the locality only under a known one.
        "locality": pl.when(pl.col("_region").is_not_null() & pl.col("_locality").is_null()).then(pl.lit("unknown")),
        "legal_capacity": pl.when(pl.col("_capacity").is_null()).then(pl.lit("not_boolean")),
        "in_detention": pl.when(pl.col("_detention").is_null()).then(pl.lit("not_boolean")),
    }
    for c in NAME_FIELDS:
        checks[c] = pl.when(~pl.col(c).str.contains(name_ok)).then(pl.lit("invalid_chars"))
    for c, n in MAX_LENGTH.items():
        too_long = pl.col(c).str.len_chars() > n
        checks[c] = (pl.when(too_long).then(pl.lit("too_long")).otherwise(checks[c])
                     if c in checks else pl.when(too_long).then(pl.lit("too_long")))

    # Per field, the first problem wins: encoding, then emptiness, then the field's own check.
    codes = []
    for c in COLUMNS:
        e = pl.when(encoding[c]).then(pl.lit("encoding")).when(control[c]).then(pl.lit("control"))
        if c in REQUIRED:
            e = e.when(empty[c]).then(pl.lit("required"))
        else:
            e = e.when(empty[c]).then(pl.lit(None, dtype=pl.String))
        e = e.otherwise(checks.get(c, pl.lit(None, dtype=pl.String)))
        codes.append(e.alias(f"_err_{c}"))
    df = df.with_columns(codes)
    err_cols = [f"_err_{c}" for c in COLUMNS]

    errors = (
        df.filter(pl.any_horizontal(pl.col(err_cols).is_not_null()))
        .select("row", *[pl.struct(field=pl.lit(c), code=pl.col(f"_err_{c}"), value=pl.col(c)).alias(c)
                         for c in COLUMNS])
        .unpivot(index="row", on=list(COLUMNS))
        .unnest("value")
        .filter(pl.col("code").is_not_null())
        .with_columns(message=pl.col("code").replace_strict(messages, return_dtype=pl.String))
        .select("row", "field", "code", "message", pl.col("value").fill_null(""))
    )
    # unpivot keeps COLUMNS order within a row; sort rows stably so reports read top to bottom.
    errors = errors.sort("row", maintain_order=True)

    valid = df.filter(pl.all_horizontal(pl.col(err_cols).is_null())).select(
        "row", "iin", "last_name", "first_name", pl.col("patronymic").fill_null(""),
        pl.col("_born").alias("birth_date"), pl.col("_sex").alias("sex"),
        pl.col("_cit").alias("citizenship"), pl.col("_region").alias("region"),
        pl.col("_locality").alias("locality"), pl.col("street").fill_null(""),
        pl.col("house").fill_null(""), pl.col("apartment").fill_null(""),
        pl.col("_capacity").alias("legal_capacity"), pl.col("_detention").alias("in_detention"),
    )
    return valid, errors


def parse_extract(path: str | Path, gazetteer: Gazetteer | None = None,
                  today: dt.date | None = None) -> tuple[list[Record], list[RowError]]:
    """The valid records of an extract and an error for every bad (row, field)."""
    valid, errors = validate_frame(read_extract(path), gazetteer, today)
    records = [Record(**r) for r in valid.iter_rows(named=True)]
    row_errors = [RowError(r["row"], r["field"], r["code"], r["value"])
                  for r in errors.iter_rows(named=True)]
    return records, row_errors


__all__ = [
    "COLUMNS",
    "ExtractError",
    "Record",
    "RowError",
    "parse_extract",
    "place_key",
    "read_extract",
    "row_messages",
    "validate_frame",
]
