"""Every name a reader reads, held to the log: the election's own (its name, kind, day and whether
it is made up) in `election.json`, each contest's and choice's name there (a candidate's name is
its choice's: the ballot's line) and the order of each contest's choices (the ballot's, from a
`contests` leaf of version 2), and in `nist.json` the election's name, the parties (names,
short names, colours), the contests' names and the reporting units (the commissions above the
stations and the polling places: names, types, numbers); and each party list's tie-break
order in its `outcome.json` (`registration_order`), which the outcome is decided again with.

What each is held to: the `structure` leaf of version 2 (the election and its parties), the
`contests` leaves (contests and choices) and the `stations` leaves of version 2 (commissions
and stations), docs/log-leaves.md. A name is held in every language the file shows it in: a
spelling the log does not state is the Kazakh one (`sailau.languages.pick`), Kazakh in Latin
letters is made from the Kazakh; so a forged English name of a candidate whose English the
commission never gave is named too. `choices.csv` is written again from `election.json`
(`derived`), so holding `election.json` holds it.

A log published before (a `structure` leaf of version 1, `stations` leaves of version 1,
`contests` leaves of version 1) does not state the election's name, day or parties, the
reporting units' names or the ballot's order: a note says they are the files' word."""

from __future__ import annotations

import json

from sailau.languages import LANGUAGES, in_script, pick, tag
from sailau.verify import places
from sailau.verify.report import Report

CHECK = "names"
BALLOT = "ballot"  # the order of each contest's choices, as the ballot prints them
# What nist.json calls each level of commission (`sailau.publish.files.nist.UNIT_TYPE`: the standard's
# `Type`, and `OtherType` where it is `other`).
UNIT_TYPE = {"cec": ("country", None), "territorial": ("other", "territory"),
             "district": ("other", "district"), "smd": ("other", "single-member-district")}


def check(leaves, docs: dict, snap, report: Report) -> None:
    """election.json and nist.json against the log (`leaves`: `logleaves.Leaves`)."""
    election_doc = docs.get("election.json")
    check_contests(leaves.contests, election_doc, report)
    note_unlogged_ballots(leaves.contests, report)
    stated = leaves.election
    if stated is None:
        if leaves.origin is not None:
            report.note(CHECK, "log", "the log's structure leaf is of version 1 (a log published "
                                      "before 26 November 2026): the election's name, day and "
                                      "parties are not in the log, and are taken from "
                                      "election.json and nist.json")
    else:
        if isinstance(election_doc, dict):
            _election(stated, election_doc, report)
        _registration_orders(stated, leaves.contests, docs, report)
    entry = snap.manifest["files"].get("nist.json") if snap is not None else None
    if isinstance(entry, dict):
        _nist(snap, entry, leaves, report)


def _election(stated: dict, doc: dict, report: Report) -> None:
    problems = []
    if (problem := places._name_problem(doc.get("name"), stated["name"])) is not None:
        problems.append(f"name.{problem}")
    problems += [f"{k}: {doc.get(k)!r}, the log states {stated[k]!r}"
                 for k in ("kind", "date", "synthetic") if doc.get(k) != stated[k]]
    if problems:
        report.fail(CHECK, "election.json", "; ".join(problems))
    else:
        report.ok(CHECK)


def _registration_orders(stated: dict, contests: dict[str, dict], docs: dict,
                         report: Report) -> None:
    """Each outcome.json's `registration_order` (the tie-break the rule set is decided again
    with, `totals.check_outcomes`) against the log's parties: its choice keys by their parties'
    order of registration. Held where that order decides it (every choice but "against all"
    has a party, each of another order); otherwise the ballot's order, not in the log, would."""
    from sailau.law import kinds

    order = {p["id"]: p["registration_order"] for p in stated["parties"]}
    for name in sorted(n for n in docs if n.endswith("/outcome.json")):
        doc = docs[name]
        logged = contests.get(doc.get("contest")) if isinstance(doc, dict) else None
        if logged is None or not isinstance(doc.get("registration_order"), list):
            continue
        kind = kinds.KINDS.get(logged.get("kind"))
        if kind is None or kinds.REGISTRATION_ORDER not in kind.needs:
            continue  # the kind breaks no tie by it: the list is empty, held by the outcome
        keys = {k: order.get(ch.get("party")) for k, ch in (logged.get("choices") or {}).items()
                if k != "against_all"}
        ranks = list(keys.values())
        if not keys or None in ranks or len(set(ranks)) != len(ranks):
            continue
        want = sorted(keys, key=keys.get)
        if doc["registration_order"] != want:
            report.fail(CHECK, f"{name} (registration_order)",
                        f"{doc['registration_order']!r}, the log's parties give {want!r}")
        else:
            report.ok(CHECK)


def check_contests(contests: dict[str, dict], election_doc, report: Report) -> None:
    """The names `election.json` gives each contest and choice (which `choices.csv`, the
    tables' `choice_names` and the pages show) against the log's `contests` leaves
    (`contests`: the contests as the log states them, by id), in every language."""
    if not isinstance(election_doc, dict):
        return
    for c in election_doc.get("contests", []):
        if not isinstance(c, dict):
            continue
        logged = contests.get(c.get("id"))
        if logged is None:
            report.fail(CHECK, f"election.json ({c.get('id')})", "a contest the log's "
                                                                 "structure does not have")
            continue
        _ballot(c, logged, report)
        pairs = [(f"election.json ({c['id']}, name)", c.get("name"), logged.get("name"))]
        choices = logged.get("choices") or {}
        for ch in c.get("choices", []):
            if isinstance(ch, dict) and ch.get("key") in choices:  # else named by parties
                pairs.append((f"election.json ({c['id']}, choice {ch['key']})", ch.get("name"),
                              choices[ch["key"]].get("name")))
        for who, published, stated in pairs:
            if not isinstance(published, dict) or not isinstance(stated, dict):
                report.fail(CHECK, who, "no name")
                continue
            # a language the log does not state is the Kazakh spelling (`places.spelled`)
            lang = next((lang for lang in LANGUAGES if (lang in published or lang in
                         stated) and published.get(lang) != places.spelled(stated, lang)), None)
            if lang is None:
                report.ok(CHECK)
            else:
                report.fail(CHECK, who, f"{lang}: {published.get(lang)!r}, the log's structure "
                                        f"says {places.spelled(stated, lang)!r}")


def _ballot(published: dict, logged: dict, report: Report) -> None:
    """The order of a contest's choices in election.json (which choices.csv's `order`, the
    tables' choice columns and nist.json's `SequenceOrder` follow) against the ballot its
    `contests` leaf of version 2 states."""
    if "ballot" not in logged:
        return  # a log published before: noted once (`note_unlogged_ballots`)
    keys = [ch.get("key") if isinstance(ch, dict) else None
            for ch in published.get("choices") or []]
    want = logged["ballot"]
    if keys == want:
        report.ok(BALLOT)
        return
    n = next((n for n, (a, b) in enumerate(zip(keys, want)) if a != b), None)
    problem = (f"{len(keys)} choices, the log's ballot has {len(want)}" if n is None else
               f"place {n + 1} is {keys[n]!r}, the log's ballot has {want[n]!r} there")
    report.fail(BALLOT, f"election.json ({published['id']}, choices)",
                f"{problem} (the ballot: {', '.join(map(str, want))})")


def note_unlogged_ballots(contests: dict[str, dict], report: Report) -> None:
    """A note for a log whose contests state no ballot order (version 1)."""
    older = sum(1 for c in contests.values() if "ballot" not in c)
    if older:
        report.note(BALLOT, "log", f"{older} contests of the log state no order of their "
                                   "choices on the ballot (contests leaves of version 1, a "
                                   "log published before 27 November 2026): the order of "
                                   "election.json, choices.csv and nist.json is taken on the "
                                   "operator's word")


# ------------------------------------------------------------------------------- nist.json

def text(values: dict) -> dict:
    """A NIST InternationalizedText of a text in every language offered (`values`: language ->
    text; an empty one left out), as `sailau.publish.files.nist` writes it."""
    return {"@type": "ElectionResults.InternationalizedText",
            "Text": [{"@type": "ElectionResults.LanguageString", "Language": tag(lang),
                      "Content": values[lang]} for lang in LANGUAGES if values.get(lang)]}


def everywhere(stated) -> dict:
    """A name the log states, in every language offered (a missing one read in Kazakh)."""
    stated = stated if isinstance(stated, dict) else {}
    return {lang: pick(stated, lang) for lang in LANGUAGES}


def _nist(snap, entry: dict, leaves, report: Report) -> None:
    body = snap.checked_object("nist.json", entry)
    if body is None:
        return  # named by `files.check_files`
    try:
        doc = json.loads(body)
        election = doc["Election"][0]
        contests = {c.get("@id"): c for c in election["Contest"]}
        parties, units = doc.get("Party") or [], doc.get("GpUnit") or []
        if not isinstance(parties, list) or not isinstance(units, list):
            raise TypeError
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return  # named by `derived`
    found: list[tuple[str, str]] = []
    for cid, c in sorted(leaves.contests.items()):
        theirs = contests.get(f"contest-{cid}")
        want = pick(c.get("name") or {}, "en")
        if isinstance(theirs, dict) and theirs.get("Name") != want:
            found.append((f"nist.json (contest-{cid}, Name)",
                          f"{theirs.get('Name')!r}, the log states {want!r}"))
    if leaves.election is not None:
        if election.get("Name") != text(everywhere(leaves.election["name"])):
            found.append(("nist.json (Election, Name)", _first_text(
                election.get("Name"), everywhere(leaves.election["name"]))))
        found += _parties(parties, leaves)
    if places.located(leaves.stations):
        found += _units(units, leaves)
    for who, problem in found:
        report.fail(CHECK, who, problem)
    if not found:
        report.ok(CHECK)


def _first_text(published, values: dict) -> str:
    """Which language of a NIST text differs from the log's, and how."""
    got = {}
    if isinstance(published, dict) and isinstance(published.get("Text"), list):
        got = {t.get("Language"): t.get("Content") for t in published["Text"]
               if isinstance(t, dict)}
    for lang in LANGUAGES:
        if got.get(tag(lang)) != (values.get(lang) or None):
            return f"{tag(lang)}: {got.get(tag(lang))!r}, the log states {values.get(lang)!r}"
    return f"{published!r} is not written as the publisher writes it"


def _parties(published: list, leaves) -> list[tuple[str, str]]:
    """Each party of nist.json: those the log's choices stand for, in their order of
    registration, each with the log's names, short name and colour."""
    logged = {p["id"]: p for p in leaves.election["parties"]}
    named = {ch.get("party") for c in leaves.contests.values()
             for ch in (c.get("choices") or {}).values()}
    want = [f"party-{p['id']}" for p in sorted(
        (p for pid, p in logged.items() if pid in named),
        key=lambda p: (p["registration_order"], p["id"]))]
    got = [p.get("@id") if isinstance(p, dict) else None for p in published]
    out = []
    if got != want:
        out.append(("nist.json (Party)", f"{got!r}, the log's choices stand for {want!r}"))
    for p in published:
        if not isinstance(p, dict) or p.get("@id") not in want:
            continue
        party = logged[p["@id"].removeprefix("party-")]
        who = f"nist.json ({p['@id']}"
        if p.get("Name") != text(everywhere(party["name"])):
            out.append((f"{who}, Name)", _first_text(p.get("Name"), everywhere(party["name"]))))
        short = {lang: in_script(party["short"], lang) for lang in LANGUAGES}
        if p.get("Abbreviation") != text(short):
            out.append((f"{who}, Abbreviation)", _first_text(p.get("Abbreviation"), short)))
        color = party["color"].lstrip("#").lower()
        if p.get("Color") != color:
            out.append((f"{who}, Color)", f"{p.get('Color')!r}, the log states {color!r}"))
    return out


def _units(published: list, leaves) -> list[tuple[str, str]]:
    """Each reporting unit of nist.json: a commission above the stations (its name and type) or
    a polling place (its number and address), as the log states them; every one of the log's
    there."""
    out = []
    seen = set()
    children = composing(leaves)
    for n, u in enumerate(published):
        uid = u.get("@id") if isinstance(u, dict) else None
        ref = uid.removeprefix("gp-") if isinstance(uid, str) else None
        who = f"nist.json (GpUnit[{n}] {uid}"
        if ref in leaves.commissions:
            c = leaves.commissions[ref]
            kind, other = UNIT_TYPE.get(c.get("level"), (None, None))
            name = everywhere(c.get("name"))
            want = {"Type": kind, "OtherType": other,
                    "IsDistricted": True if c.get("level") == "smd" else None}
        elif ref in leaves.stations:
            s = leaves.stations[ref]
            name = everywhere(s.get("address"))
            want = {"Type": "polling-place", "OtherType": None, "Number": str(s.get("number"))}
        else:
            out.append((f"{who})", "a reporting unit the log's structure does not have"))
            continue
        seen.add(ref)
        want["ComposingGpUnitIds"] = children.get(ref)
        out += [(f"{who}, {field})", f"{u.get(field)!r}, the log states {value!r}")
                for field, value in want.items() if u.get(field) != value]
        if u.get("Name") != text(name):
            out.append((f"{who}, Name)", _first_text(u.get("Name"), name)))
    missing = sorted((set(leaves.commissions) | set(leaves.stations)) - seen)
    if missing:
        problem = f"{len(missing)} units of the log's structure missing, the first {missing[0]}"
        out.append(("nist.json (GpUnit)", problem))
    return out


def composing(leaves) -> dict[str, list[str]]:
    """Each unit's `ComposingGpUnitIds` as the log's structure gives them, in the publisher's
    order (`sailau.publish.files.nist.commission_units`): a district's polling places by number,
    then each commission under the one above it (by level, number and id); a single-member
    district composes none and is part of none, beside the tree of commissions. A unit with
    none has no such field."""
    out: dict[str, list[str]] = {}
    for sid, s in sorted(leaves.stations.items(), key=lambda e: (_number(e[1]), e[0])):
        if s.get("district"):
            out.setdefault(s["district"], []).append(f"gp-{sid}")
    for cid, c in sorted(leaves.commissions.items(),
                         key=lambda e: (str(e[1].get("level")), _number(e[1]), e[0])):
        if c.get("parent") and c.get("level") != "smd":
            out.setdefault(c["parent"], []).append(f"gp-{cid}")
    return out


def _number(item: dict) -> int:
    """A number to sort by (one that is no integer sorts first, never a traceback)."""
    n = item.get("number")
    return n if isinstance(n, int) else -1
