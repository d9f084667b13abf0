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

from sailau.elections import electorate
from sailau.elections.models import Commission, Contest
from sailau.languages import LANGUAGES
from sailau.law import kinds
from sailau.protocols.models import Protocol, Tally
from sailau.publish.files.election_data import ElectionData
from sailau.verify import tables
from sailau.verify.tables import (  # noqa: F401 (the layout, shared with `sailau verify`)
    FIGURE_COLUMNS,
    STATION_COLUMNS,
    STATION_NAMES,
    TEXT_COLUMNS,
    station_cells,
    station_row,
    stations_header,
)

LEVELS = (Commission.TERRITORIAL, Commission.DISTRICT, Commission.SMD)
FORMATS = ("csv", "parquet", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                 "parquet": "application/vnd.apache.parquet"}
_csv, _parquet, _json = tables.csv_bytes, tables.parquet_bytes, tables.json_bytes


def names(obj) -> dict:
    """A record's name in every language offered (its `name(lang)`)."""
    return {lang: obj.name(lang) for lang in LANGUAGES}


def _table(fmt: str, header: list[str], rows) -> bytes:
    return _csv(header, rows) if fmt == "csv" else _parquet(header, rows)


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


def stations_file(data: ElectionData, contest: Contest, fmt: str, rows=None):
    """`rows`: the contest's `station_rows` if already read (one read serves every format)."""
    rows = station_rows(data, contest) if rows is None else rows
    keys = data.choice_keys[contest.id]
    if fmt == "json":
        body = _json(stations_json_head(data, contest, rows))
    else:
        body = _table(fmt, stations_header(keys), (station_cells(r, keys) for r in rows))
    return body, CONTENT_TYPES[fmt]


def stations_json_head(data: ElectionData, contest: Contest, rows) -> dict:
    """The JSON table's document, its `stations` being `rows`."""
    return tables.stations_document(data.election.id, contest.id, data.choice_keys[contest.id],
                                    choice_names(contest), rows)


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
        body = _json(tables.level_document(data.election.id, contest.id, level, keys,
                                           choice_names(contest), rows))
    else:
        body = _table(fmt, tables.level_header(keys), (tables.level_cells(r, keys) for r in rows))
    return body, CONTENT_TYPES[fmt]


def choices_file(contest: Contest) -> bytes:
    """`choices.csv`: what each choice column of the contest's tables is, named in every
    language (a party, a candidate of a single-member district, yes/no, against all)."""
    # `order` is the place on the ballot, 1 first (the stored order may leave gaps: "against
    # all" kept last as 9): what `election.json`'s list of choices gives a reader.
    return _csv(tables.choices_header(), (
        tables.choice_cells(ch.key, place, ch.party_id, names(ch))
        for place, ch in enumerate(sorted(contest.choices.all(), key=lambda ch: ch.order), 1)))


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
