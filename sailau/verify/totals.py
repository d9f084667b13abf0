"""Every level's totals summed again from the station files, the published tables held to the
station files, every outcome decided again by the rule set (`sailau.law`, called, never
copied), and every station's signature."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sailau.law import kinds
from sailau.verify.report import Report


@dataclass
class Sum:
    figures: Counter = field(default_factory=Counter)
    choices: Counter = field(default_factory=Counter)
    reported: int = 0
    expected: int = 0


def _counts(value) -> Counter:
    """A `figures` or `choices` map as counts (a published one that is not a map: none, and
    its totals then differ from the sums)."""
    if not isinstance(value, dict):
        return Counter()
    return Counter({k: v for k, v in value.items() if v is not None})


def _add(total: Counter, items) -> None:
    for k, v in items:
        total[k] += v


def stations(docs: dict) -> dict[str, dict]:
    """Station documents by station id."""
    return {d["id"]: d for n, d in docs.items()
            if n.startswith("stations/") and isinstance(d, dict) and "id" in d}


SMD_KEYS = ("smd", "territorial_smd", "district_smd")


def areas(station: dict, contest: dict) -> list[str]:
    """Commissions whose totals of `contest` count `station`, which votes in it (the station
    file lists it, as the log's `stations` leaf does: who votes in a contest is stated, not
    inferred), as the server's tabulation (`sailau.elections.areas.tally_areas`): the
    contest's own and, above a district, the station's district and territory on the way. A
    snapshot from before maslikhats has no `level`: its single-member contests are the
    Mazhilis's and its others national."""
    cid = contest["commission"]
    old_kind = kinds.KINDS.get(contest["kind"])
    level = contest.get("level") or ("smd" if old_kind and old_kind.district else "cec")
    if level == "territorial":
        return [station.get("district"), cid]
    if level == "cec":
        return [station.get("district"), station.get("territory"), cid]
    return [cid]


def sums(election: dict, by_id: dict[str, dict], report: Report) -> dict[tuple, Sum]:
    """(contest, commission) -> the totals of the current protocols of its stations."""
    contests = {c["id"]: c for c in election.get("contests", [])}
    out: dict[tuple, Sum] = defaultdict(Sum)
    for sid, doc in sorted(by_id.items()):
        for part in doc.get("contests", []):
            c = contests.get(part.get("contest"))
            if c is None:
                report.fail("totals", f"station {doc.get('number', sid)}",
                            f"votes in contest {part.get('contest')!r}, not in election.json")
                continue
            p = part.get("protocol")
            if p:  # counted once, added to each level (national runs add ~100,000 of them)
                figures = _counts(p.get("figures")).items()
                choices = _counts(p.get("choices")).items()
            for a in areas(doc, c):
                t = out[(c["id"], a)]
                t.expected += 1
                if p:
                    _add(t.figures, figures)
                    _add(t.choices, choices)
                    t.reported += 1
    return out


def _differs(published: dict, computed: Sum) -> str | None:
    """What differs between a published total and the sum, as words, or None."""
    if published.get("stations_reported") != computed.reported:
        return (f"stations_reported: published {published.get('stations_reported')}, "
                f"station files give {computed.reported}")
    if published.get("stations_expected") != computed.expected:
        return (f"stations_expected: published {published.get('stations_expected')}, "
                f"station files give {computed.expected}")
    for kind, mine in (("figures", computed.figures), ("choices", computed.choices)):
        theirs = _counts(published.get(kind))
        if theirs != mine:
            key = min(k for k in set(theirs) | set(mine) if theirs[k] != mine[k])
            return (f"{kind}.{key}: published {theirs[key]}, the station files sum to "
                    f"{mine[key]}")
    return None


def check_levels(docs: dict, totals: dict[tuple, Sum], report: Report) -> None:
    """Each commission file's totals (and those it shows of its children) against the sums."""
    # The lowest level first: a forged station shows first in its district's totals.
    rank = {"district": 0, "smd": 0, "territorial": 1}
    for name in sorted((n for n in docs if n.startswith("commissions/")),
                       key=lambda n: (rank.get(_level(docs[n]), 2), n)):
        rows = _level_rows(name, docs[name], report)
        if rows is None:
            continue
        for cid, t in rows:
            key = (t.get("contest"), cid)
            diff = _differs(t, totals.get(key, Sum()) if all(isinstance(k, str) for k in key)
                            else Sum())
            if diff:
                report.fail("totals", f"{name} ({cid}, {t.get('contest')})", diff)
                break
        else:
            report.ok("totals")


def _level(doc) -> str | None:
    level = doc.get("level") if isinstance(doc, dict) else None
    return level if isinstance(level, str) else None


def _level_rows(name: str, doc, report: Report) -> list[tuple] | None:
    """(commission id, totals) of each contest a commission file publishes, its own and its
    children's; None, with what is malformed named."""
    if not isinstance(doc, dict):
        report.fail("totals", name, "not a JSON object")
        return None
    children = doc.get("children", [])
    if not isinstance(children, list) or not all(isinstance(ch, dict) for ch in children):
        report.fail("totals", name, "children is not a list of objects")
        return None
    rows = []
    for where, owner, parts in [("contests", doc.get("id"), doc.get("contests", []))] + [
            (f"children[{i}].contests", ch.get("id"), ch.get("contests", []))
            for i, ch in enumerate(children)]:
        if not isinstance(parts, list):
            report.fail("totals", name, f"{where} is not a list")
            return None
        for j, t in enumerate(parts):
            if not isinstance(t, dict):
                report.fail("totals", name, f"{where}[{j}] is not an object")
                return None
            rows.append((owner, t))
    return rows


def check_tables(docs: dict, manifest: dict, by_id: dict[str, dict],
                 totals: dict[tuple, Sum], report: Report) -> None:
    """Per-level tables against the sums, station tables against the station files (a table
    the manifest marks stale waits for its rewrite and is not held to the station files)."""
    files = manifest["files"]
    current = {(sid, part["contest"]): part["protocol"] for sid, d in by_id.items()
               for part in d.get("contests", []) if part.get("protocol")}
    for name in sorted(n for n in docs if n.startswith("contests/")):
        if files.get(name, {}).get("stale"):
            continue
        doc, leaf = docs[name], name.rsplit("/", 1)[1]
        contest = name.split("/")[1]
        if leaf in ("territorial.json", "district.json", "smd.json"):
            for row in doc.get("commissions", []):
                diff = _differs(row, totals.get((contest, row.get("commission_id")), Sum()))
                if diff:
                    report.fail("tables", f"{name} ({row.get('commission_id')})", diff)
                    break
            else:
                report.ok("tables")
        elif leaf == "stations.json":
            _station_table(name, contest, [(r.get("station_id"), r.get("version"),
                                            _counts(r.get("figures")), _counts(r.get("choices")))
                                           for r in doc.get("stations", [])], current, report)
        elif leaf == "stations.csv":
            lines, rows = _csv_rows(doc)
            _station_table(name, contest, rows, current, report, lines)


def _csv_rows(text: str) -> tuple[list[str], list]:
    """The protocol lines the table publishes (its figure columns) and its rows."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    # Figures run from after "district" to before "number"; choices follow the names.
    try:
        figs = header[header.index("district") + 1: header.index("number")]
        keys = header[header.index("district_en") + 1:]
    except ValueError:
        return [], []
    rows = []
    for r in reader:
        fig = Counter({k: int(r[k]) for k in figs if r.get(k) not in ("", None)})
        cho = Counter({k: int(r[k] or 0) for k in keys})
        rows.append((r.get("station_id"), int(r["version"]) if r.get("version") else None,
                     fig, cho))
    return figs, rows


def _station_table(name, contest, rows, current, report: Report, lines=None) -> None:
    """Each row against the station's file. `lines`: the protocol lines a table publishes as
    columns (None: all, a JSON table's `figures`); a line the station file has and the table
    has no column for is named as such, not as a difference of figures."""
    expected = {sid for (sid, cid) in current if cid == contest}
    seen = set()
    for sid, version, fig, cho in rows:
        seen.add(sid)
        p = current.get((sid, contest))
        if p is None:
            report.fail("tables", f"{name} (station {sid})", "a row for a station whose file "
                                                              "has no current protocol")
            return
        if version is not None and version != p.get("version"):
            report.fail("tables", f"{name} (station {sid})",
                        f"version {version}, the station file has {p.get('version')}")
            return
        figures = _counts(p.get("figures"))
        unpublished = sorted(set(figures) - set(lines)) if lines is not None else []
        if unpublished:
            report.fail("tables", f"{name} (station {sid})",
                        f"line {unpublished[0]} of the station file has no column in the table")
            return
        for kind, theirs, mine in (("figures", fig, figures),
                                   ("choices", cho, _counts(p.get("choices")))):
            if theirs != mine:
                key = min(k for k in set(theirs) | set(mine) if theirs[k] != mine[k])
                report.fail("tables", f"{name} (station {sid})",
                            f"{kind} differ from the station file ({key}: {theirs[key]} in the "
                            f"table, {mine[key]} in the station file)")
                return
    if expected - seen:
        report.fail("tables", name, f"no row for station {min(expected - seen)}, "
                                    "which has a current protocol")
        return
    report.ok("tables")


def check_outcomes(docs: dict, election: dict, totals: dict[tuple, Sum], report: Report) -> None:
    """Each published outcome decided again by its rule set from the station files' sums."""
    from sailau.law import LawInputError
    from sailau.law.outcomes.totals import contest_outcome

    contests = {c["id"]: c for c in election.get("contests", [])}
    for name in sorted(n for n in docs if n.endswith("/outcome.json")):
        doc = docs[name]
        c = contests.get(doc.get("contest"))
        if c is None:
            report.fail("outcomes", name, "names a contest election.json does not have")
            continue
        t = totals.get((c["id"], c["commission"]), Sum())
        try:
            mine = contest_outcome(c["ruleset"], c["kind"], t.figures, t.choices,
                                   _Facts(c, doc, docs, totals),
                                   final=t.expected > 0 and t.reported == t.expected,
                                   reported=t.reported, expected=t.expected)
        except LawInputError as exc:
            report.fail("outcomes", name, f"the rule set {c['ruleset']!r} refuses: {exc}")
            continue
        mine = mine.to_json()
        if "format" not in doc and "reason" in mine:  # the first format said no reason
            del mine["reason"]
        if mine != doc.get("outcome"):
            report.fail("outcomes", name, f"published {doc.get('outcome')}, the rule set "
                                          f"{c['ruleset']} gives {mine}")
        else:
            report.ok("outcomes")


class _Facts:
    """What the contest's kind needs besides its totals (`sailau.law.kinds.ContestFacts`), from
    the published files: its `outcome.json` and `election.json`, and the sums per region."""

    def __init__(self, contest: dict, outcome_doc: dict, docs: dict, totals: dict[tuple, Sum]):
        self.contest, self.doc, self.docs, self.totals = contest, outcome_doc, docs, totals

    def seats(self) -> int | None:
        return self.contest.get("seats")

    def registration_order(self) -> list[str]:
        return self.doc.get("registration_order") or []

    def regions(self) -> dict:
        territories = _territories(self.docs)
        return {cid: (s.figures, s.choices) for (k, cid), s in self.totals.items()
                if k == self.contest["id"] and cid in territories}


def _territories(docs: dict) -> set[str]:
    return {d["id"] for n, d in docs.items()
            if n.startswith("commissions/") and d.get("level") == "territorial"}


def check_signatures(docs: dict, by_id: dict[str, dict], report: Report) -> None:
    """Each current protocol's Ed25519 signature over its canonical JSON
    (`sailau.verify.signatures`), by a key the snapshot publishes for that station's
    commission (`keys.json`: {"commissions": {commission id: [base64 public key, ...]}}).

    A snapshot without `keys.json` (published before protocols were signed) has its unsigned
    protocols noted, not failed."""
    from sailau.verify.signatures import (
        FORMAT_BEHALF,
        CanonicalError,
        signed_bytes,
        verify_signature,
    )

    keys = (docs.get("keys.json") or {}).get("commissions", {})
    unsigned = 0
    for sid, doc in sorted(by_id.items()):
        for part in doc.get("contests", []):
            p = part.get("protocol")
            if not p:
                continue
            who = f"station {doc.get('number', sid)} ({part.get('contest')})"
            if not p.get("signature"):
                unsigned += 1
                if keys:
                    report.fail("signatures", who, "the protocol is not signed")
                continue
            allowed = set(keys.get(doc.get("commission") or sid, [])) | set(keys.get(sid, []))
            by = p.get("signed_by")
            if p.get("signed_message") == FORMAT_BEHALF:
                # typed from the paper and signed by the commission above, on its behalf
                if by not in (doc.get("district"), doc.get("territory")) or not by:
                    report.fail("signatures", who, f"signed on the station's behalf by "
                                                   f"{by!r}, not a commission above it")
                    continue
                allowed = set(keys.get(by, []))
            if keys and p.get("signed_with") not in allowed:
                report.fail("signatures", who, "signed with a key that is not its commission's")
                continue
            try:
                data = signed_bytes({"station": sid, "contest": part.get("contest"),
                                     "version": p.get("version"), "figures": p.get("figures"),
                                     "choices": p.get("choices"),
                                     "scans": p.get("signed_scans"),
                                     "decision": p.get("signed_decision"), "signed_by": by},
                                    p.get("signed_message"))
            except CanonicalError as exc:
                report.fail("signatures", who, f"cannot be put in canonical form: {exc}")
                continue
            if not verify_signature(p.get("signed_with") or "", data, p["signature"]):
                report.fail("signatures", who, "the signature does not match the figures")
            else:
                report.ok("signatures")
    if unsigned and not keys:
        report.note("signatures", "keys.json", f"the snapshot publishes no commission keys: "
                                               f"{unsigned} protocols not signature-checked")
