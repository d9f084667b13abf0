"""Bulk downloads: one row per station (the "sailau" CSV format that
`sailau.analysis.sources.read_sailau` reads back) and one row per commission of a level, each
as CSV and JSON. Bytes are deterministic for the same data, so their SHA-256 is a checksum a
reader can compare with the snapshot manifest."""

import csv
import io
import json

from sailau.analysis.sources import SAILAU_FIXED
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol, Tally
from sailau.publish.data import ElectionData

LEVELS = (Commission.TERRITORIAL, Commission.DISTRICT, Commission.SMD)
FIGURE_COLUMNS = SAILAU_FIXED[3:]  # after station_id, region, district
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _json(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def station_rows(data: ElectionData, contest: Contest, lang: str = "kk") -> list[dict]:
    """Every station of the contest that has a current protocol, by station number."""
    qs = Station.objects.filter(election=data.election)
    if contest.kind == Contest.SINGLE_MEMBER:
        qs = qs.filter(smd_id=contest.commission_id)
    stations = {s[0]: s for s in qs.values_list("id", "number", "territory_id", "district_id")}
    names = {cid: c.name(lang) for cid, c in data.commissions.items()
             if c.level in (Commission.TERRITORIAL, Commission.DISTRICT)}
    rows = []
    for sid, version, fig, cho in (Protocol.objects.current().filter(contest=contest)
                                   .values_list("station_id", "version", "figures", "choices")):
        s = stations.get(sid)
        if s is None:
            continue
        rows.append({"station_id": sid, "number": s[1], "region": names.get(s[2], s[2]),
                     "district": names.get(s[3], s[3]), "version": version,
                     "figures": fig, "choices": cho})
    rows.sort(key=lambda r: r["number"])
    return rows


def stations_file(data: ElectionData, contest: Contest, fmt: str, lang: str = "kk", rows=None):
    """`rows`: the contest's `station_rows` if already read (one read serves both formats)."""
    rows = station_rows(data, contest, lang) if rows is None else rows
    keys = data.choice_keys[contest.id]
    if fmt == "csv":
        body = _csv(list(SAILAU_FIXED) + keys, (
            [r["station_id"], r["region"], r["district"]]
            + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["choices"].get(k, 0) for k in keys] for r in rows))
    else:
        body = _json({"election": data.election.id, "contest": contest.id, "choices": keys,
                      "stations": rows})
    return body, CONTENT_TYPES[fmt]


def level_rows(data: ElectionData, contest: Contest, level: str, lang: str = "kk") -> list[dict]:
    tallies = {t.commission_id: t for t in Tally.objects.filter(contest=contest)}
    out = []
    for c in sorted((c for c in data.commissions.values() if c.level == level),
                    key=lambda c: (c.number, c.id)):
        t = tallies.get(c.id)
        if t is None:  # a commission this contest does not cover (another SMD)
            continue
        out.append({"commission_id": c.id, "number": c.number, "name": c.name(lang),
                    "parent": c.parent_id, "stations_reported": t.stations_reported,
                    "stations_expected": t.stations_expected, "figures": t.figures,
                    "choices": t.choices})
    return out


def level_file(data: ElectionData, contest: Contest, level: str, fmt: str, lang: str = "kk",
               rows=None):
    rows = level_rows(data, contest, level, lang) if rows is None else rows
    keys = data.choice_keys[contest.id]
    if fmt == "csv":
        body = _csv(["commission_id", "number", "name", "parent", "stations_reported",
                     "stations_expected", *FIGURE_COLUMNS, *keys], (
            [r["commission_id"], r["number"], r["name"], r["parent"], r["stations_reported"],
             r["stations_expected"]] + [r["figures"].get(k, "") for k in FIGURE_COLUMNS]
            + [r["choices"].get(k, 0) for k in keys] for r in rows))
    else:
        body = _json({"election": data.election.id, "contest": contest.id, "level": level,
                      "choices": keys, "commissions": rows})
    return body, CONTENT_TYPES[fmt]
