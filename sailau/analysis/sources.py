"""Readers for station-level results: the Russian CEC (izbirkom) layout, a generic CSV with a
column mapping, and this project's own CSV download. Each returns a `StationResults`; cells that
are missing, not numbers, negative or fractional are reported by line and column, and their
stations listed as unusable."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import numpy as np

from sailau.analysis.stations import StationResults, validate_counts
from sailau.law import figures

FORMATS = ("izbirkom", "csv", "sailau")
ROLES = ("station", "registered", "ballots", "valid", "invalid", "leader")

# The project's own download (`sailau.publish.files.downloads`): `station_id, region, district`, then
# every line of the law's protocol form, then the descriptive columns `SAILAU_NAMES` (the
# station's number, its protocol's version, the names in Kazakh in Latin script and the other
# languages), then one column per choice. Which lines the form has is the law's business
# (`sailau.law.forms.LINES`): this reader needs the lines below and takes the choices to be the
# columns after the names, `district_en` last among them.
SAILAU_LINES = ("voters_on_list", "issued_in_room", "issued_mobile", "issued_absentee", "invalid")
SAILAU_NAMES = ("number", "version", "region_kk_latn", "region_ru", "region_en",
                "district_kk_latn", "district_ru", "district_en")
# Name columns a table published before them lacks: not required to read one.
SAILAU_LATER = ("region_kk_latn", "district_kk_latn")
SAILAU_FIXED = ("station_id", "region", "district", *SAILAU_LINES,
                *(c for c in SAILAU_NAMES if c not in SAILAU_LATER))
SAILAU_NOT_A_LEADER = {"against_all"}
MISSING_MARKERS = ["", "NA", "N/A", "NaN", "-"]  # cells that mean "no value", not bad text


class SourceError(ValueError):
    """The file cannot be read as the stated format (missing columns, bad mapping)."""


# ---------------------------------------------------------------- reading the bytes

def read_table(path: str | Path):
    """A polars DataFrame of strings from a .csv, .csv.gz or .zip (first CSV inside)."""
    import polars as pl

    path = Path(path)
    if not path.exists():
        raise SourceError(f"file not found: {path}")
    raw = path.read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = [n for n in z.namelist() if n.lower().endswith((".csv", ".txt"))] or z.namelist()
            if not names:
                raise SourceError(f"{path}: empty zip archive")
            raw = z.read(names[0])
    elif path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:  # older Russian CEC exports are Windows-1251
        raw = raw.decode("cp1251").encode("utf-8")
    first = raw[: raw.find(b"\n")] if b"\n" in raw else raw
    sep = max((b",", b";", b"\t"), key=first.count).decode()
    try:
        df = pl.read_csv(io.BytesIO(raw), separator=sep, infer_schema=False)
    except Exception as exc:  # polars raises several types for malformed CSV
        raise SourceError(f"{path}: not a readable CSV ({exc})") from exc
    # polars keeps the CSV escape of a quote inside a quoted header ("" for ")
    return df.rename({c: c.replace('""', '"') for c in df.columns if '""' in c})


def parse_counts(df, columns: list[str], problems: list[dict], bad_rows: dict[int, str]) -> dict:
    """Each column parsed to int64; a cell that is empty, text, negative or fractional is
    reported (line, column, value) and its row marked unusable with the first such reason."""
    import polars as pl

    out = {}
    for col in columns:
        text = df.get_column(col).str.strip_chars()
        num = text.cast(pl.Float64, strict=False)
        values = num.to_numpy()
        raw = text.to_numpy()
        missing = text.is_null().to_numpy() | text.is_in(MISSING_MARKERS).fill_null(True).to_numpy()
        nan = np.isnan(values)
        with np.errstate(invalid="ignore"):
            wrong = ~missing & (nan | (values < 0) | (values != np.floor(values)))
        for i in np.flatnonzero(missing | wrong):
            line = int(i) + 2
            if missing[i]:
                message = "missing value"
            elif nan[i]:
                message = "text where a number should be"
            elif values[i] < 0:
                message = "negative count"
            else:
                message = "not a whole number"
            problems.append({"row": line, "column": col, "value": None if missing[i] else str(raw[i]),
                             "message": message})
            bad_rows.setdefault(int(i), f"{col}: {message}")
        out[col] = np.where(missing | wrong, 0, np.nan_to_num(values)).astype(np.int64)
    return out


def _require(df, columns, what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceError(f"{what}: missing column(s) {', '.join(repr(c) for c in missing)}; "
                          f"the file has {', '.join(repr(c) for c in df.columns[:40])}")


def _pick_leader(choices: dict[str, np.ndarray], wanted: str | None, exclude=()) -> str | None:
    """The leader's column: `wanted` exactly, or its unique case-insensitive substring match;
    by default the choice with the most votes in total."""
    if not choices:
        return None
    if wanted:
        if wanted in choices:
            return wanted
        hits = [c for c in choices if wanted.casefold() in c.casefold()]
        if len(hits) == 1:
            return hits[0]
        raise SourceError(f"leader: {wanted!r} matches {len(hits)} choice columns "
                          f"({', '.join(hits) or 'none'}); choices are {', '.join(choices)}")
    candidates = {c: int(v.sum()) for c, v in choices.items() if c not in exclude}
    return max(candidates, key=candidates.get) if candidates else None


def _assemble(df, ids, registered, ballots, counted, choices, leader, territories, problems,
              bad_rows, source) -> StationResults:
    n = df.height
    rows = np.arange(2, n + 2)
    ids = np.asarray(ids, dtype=object)
    unusable = [{"row": i + 2, "station": str(ids[i]), "reason": r} for i, r in sorted(bad_rows.items())]
    parsed = np.ones(n, dtype=bool)
    parsed[list(bad_rows)] = False
    leader_votes = choices[leader] if leader else None
    ok, reasons = validate_counts(ids, rows, registered, ballots, counted, leader_votes)
    ok &= parsed
    unusable += [r for r in reasons if r["row"] - 2 not in bad_rows]
    unusable.sort(key=lambda r: r["row"])
    source = dict(source, stations_read=n, stations_used=int(ok.sum()), stations_unusable=len(unusable))
    return StationResults(
        station_ids=ids[ok], rows=rows[ok], registered=registered[ok], ballots=ballots[ok],
        counted=counted[ok], leader_votes=None if leader_votes is None else leader_votes[ok],
        leader=leader, choices={k: v[ok] for k, v in choices.items()},
        territories={k: np.asarray(v, dtype=object)[ok] for k, v in territories.items()},
        unusable=unusable, problems=problems, source=source,
    )


# ---------------------------------------------------------------- izbirkom

_ID_COLUMNS = ("region", "oik", "tik", "uik", "name", "level", "url")


def classify_izbirkom_column(name: str) -> str | None:
    """The protocol role of an official Russian line name, or None for a candidate/party column.
    Wording differs between elections (2004–2024), so roles are found by key words."""
    low = re.sub(r"\s+", " ", name.casefold()).strip()
    if low in _ID_COLUMNS:
        return "id"
    if not low.startswith("число"):
        return None
    if "открепит" in low:
        return "other"  # absentee-certificate lines: not used here
    if re.match(r"число (избирателей|участников голосования)", low) and "спис" in low:
        return "registered"
    if "бюллетен" in low and "выдан" in low:
        return "issued"
    if "недействительн" in low:
        return "invalid"
    if re.search(r"(?<!не)действительн", low):
        return "valid"
    return "other"  # received, cancelled, in boxes, lost, not accounted


def read_izbirkom(path, leader: str | None = None, group_by: str | None = None) -> StationResults:
    """One row per station (UIK) in the layout of the Russian CEC scrapes: `region, [oik,] tik,
    uik`, the protocol lines under their official names, one column per candidate or party."""
    df = read_table(path)
    roles: dict[str, list[str]] = {}
    choice_cols = []
    for col in df.columns:
        role = classify_izbirkom_column(col)
        if role is None:
            choice_cols.append(col)
        else:
            roles.setdefault(role, []).append(col)
    for role in ("registered", "issued"):
        if not roles.get(role):
            raise SourceError(f"izbirkom: no column for {role!r} (expected an official line name "
                              f"such as 'Число избирателей, включенных в список избирателей')")
    if not choice_cols:
        raise SourceError("izbirkom: no candidate or party columns")
    problems: list[dict] = []
    bad: dict[int, str] = {}
    numeric = roles["registered"][:1] + roles["issued"] + roles.get("valid", []) \
        + roles.get("invalid", []) + choice_cols
    counts = parse_counts(df, numeric, problems, bad)
    registered = counts[roles["registered"][0]]
    ballots = sum(counts[c] for c in roles["issued"])
    choices = {c: counts[c] for c in choice_cols}
    # The 2020 referendum file has no "valid" line: valid = the sum of the choices.
    valid = counts[roles["valid"][0]] if roles.get("valid") else sum(choices.values())
    invalid = counts[roles["invalid"][0]] if roles.get("invalid") else np.zeros_like(registered)
    lead = _pick_leader(choices, leader, exclude={"Против всех"})
    id_parts = [c for c in ("region", "tik", "uik") if c in df.columns]
    ids = _join_ids(df, id_parts) if id_parts else np.arange(1, df.height + 1).astype(str)
    territories = {c: df.get_column(c).fill_null("").to_numpy() for c in ("region", "oik", "tik")
                   if c in df.columns}
    _add_group(df, group_by, territories)
    source = {"file": str(path), "format": "izbirkom", "leader": lead,
              "columns": {"registered": roles["registered"][0], "ballots": roles["issued"],
                          "valid": roles.get("valid", ["sum of choices"])[0],
                          "invalid": roles.get("invalid", [None])[0]}}
    return _assemble(df, ids, registered, ballots, valid + invalid, choices, lead, territories,
                     problems, bad, source)


def _join_ids(df, parts):
    import polars as pl

    return df.select(pl.concat_str([pl.col(c).fill_null("") for c in parts], separator=" / ")) \
        .to_series().to_numpy()


def _add_group(df, group_by, territories) -> None:
    if group_by and group_by not in territories:
        _require(df, [group_by], "--group-by")
        territories[group_by] = df.get_column(group_by).fill_null("").to_numpy()


# ---------------------------------------------------------------- generic CSV

def parse_column_mapping(text: str | None) -> dict[str, str]:
    """`ROLE=COLUMN,ROLE=COLUMN` → dict; unknown roles are an error naming them."""
    mapping: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in (text or "").split(","))):
        role, sep, col = item.partition("=")
        role, col = role.strip(), col.strip()
        if not sep or not col:
            raise SourceError(f"--columns: {item!r} is not ROLE=COLUMN")
        if role not in ROLES:
            raise SourceError(f"--columns: unknown role {role!r}; roles are {', '.join(ROLES)}")
        mapping[role] = col
    return mapping


def read_generic_csv(path, columns: dict[str, str], leader: str | None = None,
                     group_by: str | None = None) -> StationResults:
    """Any CSV with one row per station; `columns` maps roles to column names. `registered` and
    `ballots` are required; without `valid`/`invalid` the leader's share is over ballots cast;
    without `station` stations are numbered by row."""
    columns = dict(columns)
    if leader:
        columns.setdefault("leader", leader)
    for role in ("registered", "ballots"):
        if role not in columns:
            raise SourceError(f"--columns: role {role!r} is required for --format csv "
                              f"(e.g. --columns registered=N,ballots=turnout,leader=votes)")
    df = read_table(path)
    _require(df, list(columns.values()), "--columns")
    problems: list[dict] = []
    bad: dict[int, str] = {}
    numeric = [columns[r] for r in ("registered", "ballots", "valid", "invalid", "leader") if r in columns]
    counts = parse_counts(df, list(dict.fromkeys(numeric)), problems, bad)
    registered, ballots = counts[columns["registered"]], counts[columns["ballots"]]
    if "valid" in columns or "invalid" in columns:
        zero = np.zeros_like(registered)
        counted = counts.get(columns.get("valid"), zero) + counts.get(columns.get("invalid"), zero)
    else:
        counted = ballots
    choices = {columns["leader"]: counts[columns["leader"]]} if "leader" in columns else {}
    lead = columns.get("leader")
    ids = (df.get_column(columns["station"]).fill_null("").to_numpy() if "station" in columns
           else np.arange(1, df.height + 1).astype(str))
    territories: dict = {}
    _add_group(df, group_by, territories)
    source = {"file": str(path), "format": "csv", "leader": lead, "columns": columns}
    return _assemble(df, ids, registered, ballots, counted, choices, lead, territories, problems,
                     bad, source)


# ---------------------------------------------------------------- this project's download

def read_sailau(path, leader: str | None = None, group_by: str | None = None) -> StationResults:
    """The project's own per-station CSV: the columns `SAILAU_FIXED` (among the protocol's
    lines), then, after the last of `SAILAU_NAMES`, one column per choice (party id) and
    `against_all`. Ballots cast and counted as the law's figures count them (`sailau.law.figures`:
    `issued`, the three issued lines; `counted`, the votes of every choice, against all
    included, and the invalid ballots)."""
    df = read_table(path)
    _require(df, list(SAILAU_FIXED), "sailau format")
    after_names = max(df.columns.index(c) for c in SAILAU_NAMES if c in df.columns) + 1
    choice_cols = df.columns[after_names:]
    if not choice_cols:
        raise SourceError(f"sailau format: no choice columns after {df.columns[after_names - 1]!r}")
    problems: list[dict] = []
    bad: dict[int, str] = {}
    counts = parse_counts(df, list(SAILAU_LINES) + choice_cols, problems, bad)
    choices = {c: counts[c] for c in choice_cols}
    ballots = figures.issued(counts)
    counted = figures.counted(counts, choices)
    lead = _pick_leader(choices, leader, exclude=SAILAU_NOT_A_LEADER)
    ids = df.get_column("station_id").fill_null("").to_numpy()
    territories = {c: df.get_column(c).fill_null("").to_numpy() for c in ("region", "district")}
    _add_group(df, group_by, territories)
    source = {"file": str(path), "format": "sailau", "leader": lead}
    return _assemble(df, ids, counts["voters_on_list"], ballots, counted, choices, lead,
                     territories, problems, bad, source)


def load(path, fmt: str = "izbirkom", columns: dict[str, str] | None = None,
         leader: str | None = None, group_by: str | None = None) -> StationResults:
    if fmt == "izbirkom":
        return read_izbirkom(path, leader=leader, group_by=group_by)
    if fmt == "csv":
        return read_generic_csv(path, columns or {}, leader=leader, group_by=group_by)
    if fmt == "sailau":
        return read_sailau(path, leader=leader, group_by=group_by)
    raise SourceError(f"--format: unknown format {fmt!r}; formats are {', '.join(FORMATS)}")
