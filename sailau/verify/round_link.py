"""`sailau verify` of a presidential second round, and of a first round that called one: the two
logs name each other (`first-round` and `second-round` leaves, docs/log-leaves.md), and the
second round's candidates must be exactly the two the first round's protocols put through.

For a second round it reads the first round's published record (its log beside this one, the
sibling folder of the same site, or the place `--first-round` gives), opens its checkpoint with
that log's key and requires its witnesses' cosignatures (each as the reader knows them: given,
else pinned in its state, else the first round's log.json's, said in a note), proves that the checkpoint the `first-round` leaf names (size, root) is one of
that log's, recomputes the first round's outcome from the leaves up to that size under its rule
set (`sailau.verify.rounds.decide`, the function the server decided with) and compares it with
the second round's own contest. Anything else is FAILED with the reason."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path

from sailau.tlog import merkle
from sailau.verify import logcheck, logleaves, logsource, rounds, trust
from sailau.verify.report import Report

CHECK = "rounds"


def first_round_location(published: logsource.Files, first_id: str, given: str | None) -> str:
    """Where the first round's record is: `given`, else the sibling folder named by its id."""
    if given:
        return given
    if published.remote:
        return published.base.rstrip("/").rsplit("/", 1)[0] + f"/{first_id}/"
    return str(Path(published.base).parent / first_id)


def check(leaves: logleaves.Leaves, published: logsource.Files, opts: logcheck.Options,
          report: Report, pinned: str | None = None,
          pinned_witnesses: list[str] | None = None) -> tuple[str | None, list[str] | None]:
    """The round links of this log, if it has any; a second round's first round's log key and
    witnesses it was checked with (None otherwise), for the reader's state to pin. `pinned`,
    `pinned_witnesses`: those the reader's state pinned at an earlier run."""
    found = None, None
    for i, leaf in leaves.links:
        if leaf["type"] == "second-round":
            _first(leaves, i, leaf, report)
    firsts = [(i, leaf) for i, leaf in leaves.links if leaf["type"] == "first-round"]
    if len(firsts) > 1:
        report.fail(CHECK, f"leaf {firsts[1][0]}", "a second first-round leaf: a second round "
                                                   "repeats one first round")
    if firsts:
        found = _second(leaves, firsts[0][0], firsts[0][1]["first_round"], published, opts,
                        report, pinned, pinned_witnesses)
    return found


def _first(leaves: logleaves.Leaves, i: int, leaf: dict, report: Report) -> None:
    """A first round naming its second round: its own outcome must call one."""
    named = leaf["second_round"]
    seconds = [j for j, x in leaves.links if x["type"] == "second-round"]
    if seconds[0] != i:
        report.fail(CHECK, f"leaf {i}", "a second second-round leaf: an election has one "
                                        "second round")
        return
    found = rounds.decide(leaves.contests, leaves.stations, leaves.latest)
    if isinstance(found, rounds.NotCalled):
        report.fail(CHECK, f"leaf {i} (second-round)", f"names the second round "
                                                       f"{named['election']}, but its outcome "
                                                       f"calls none: {found.reason['en']}")
        return
    report.ok(CHECK)
    report.note(CHECK, f"leaf {i} (second-round)",
                f"the outcome called a second round between {' and '.join(found.candidates)}: "
                f"{named['election']}, voting on {named['date']} (log {named['origin']}); "
                "verify it there")


def _second(leaves: logleaves.Leaves, i: int, link: dict, published: logsource.Files,
            opts: logcheck.Options, report: Report, pinned: str | None,
            pinned_witnesses: list[str] | None) -> tuple[str | None, list[str] | None]:
    """Checks the link; the first round's log key and witnesses to pin, when its log opened
    with them and the link held."""
    who = f"leaf {i} (first-round)"
    where = first_round_location(published, link["election"], opts.first_round)
    given = opts.first_round_log_key
    if given and pinned and given != pinned:
        report.fail(CHECK, "--first-round-log-key", f"differs from the first round's log key "
                                                    f"pinned in {opts.state} ({pinned}): the "
                                                    "first round's log key was replaced")
        return None, None
    known = given or pinned
    try:
        _, log = logsource.open_published(where)
    except logsource.Unusable as exc:
        report.fail(CHECK, who, f"the first round {link['election']} cannot be read at "
                                f"{where}: {exc} (give its place with --first-round)")
        return None, None
    sub = Report(where)
    # The first round's key and witnesses as the reader knows them (given, or pinned at a run
    # before): its log.json naming another key is a replaced key, and its checkpoint must be
    # cosigned by the witnesses pinned, whatever its log.json or its leaves name since
    # (`open_log` and `trust.witnesses`, the rule of the log's own witnesses).
    named = list(opts.first_round_witnesses)
    sub_opts = logcheck.Options(log_key=known, witnesses=named,
                                pinned_witnesses=None if named else pinned_witnesses)
    try:
        opened = logcheck.open_log(log, sub_opts, sub)
        entries = logcheck.check_entries(opened, sub) if opened.signed else None
    except logsource.Unusable as exc:
        report.fail(CHECK, who, f"the first round's log at {where} is unusable: {exc}")
        return None, None
    witnesses_from = ("given by --first-round-witness" if named else
                      f"pinned in {opts.state}" if pinned_witnesses is not None else None)
    for f in sub.failures:
        report.fail(CHECK, who, f"the first round's log at {where}: {f}"
                    + (f" (the first round's log key {known} is "
                       + ("given by --first-round-log-key)" if given else
                          f"pinned in {opts.state})") if known and f.check == "log" else "")
                    + (f" (the first round's witnesses are {witnesses_from})"
                       if witnesses_from and f.check == "witnesses" else ""))
    if entries is None or sub.failures:
        return None, None
    if known:
        report.note(CHECK, who, f"the first round's log at {where} is opened with its log key "
                                f"{known}, " + ("given by --first-round-log-key" if given else
                                                f"pinned in {opts.state}"))
    else:
        report.note(CHECK, who, f"the first round's log key {opened.log_key} is taken from "
                                f"its log.json at {where}, the server's word, not yours: give "
                                "--first-round-log-key, or --state DIR to pin it at this run")
    if witnesses_from:
        report.note(CHECK, who, f"the first round's checkpoint is cosigned by "
                                f"{opened.cosigners} of its {len(opened.trusted.witnesses)} "
                                f"witnesses {witnesses_from}")
    else:
        report.note(CHECK, who, f"the first round's {len(opened.trusted.witnesses)} witnesses "
                                f"are those its log.json at {where} names, the server's word: "
                                "give --first-round-witness, or --state DIR to pin them at "
                                "this run")
    keep = trust.to_keep(opened.trusted, opened.cosigners, opened.witnessed_size,
                         _witness_changes(entries), sub)
    for n in sub.notes:
        if n.check == "witnesses" and n.subject.startswith("leaf "):
            report.note(CHECK, who, f"the first round's log, {n.subject}: {n.message}")
    cp = opened.signed.checkpoint
    if cp.origin != link["origin"]:
        report.fail(CHECK, who, f"the log at {where} has the origin {cp.origin!r}, the link "
                                f"names {link['origin']!r}")
        return None, None
    size = link["size"]
    try:
        root = base64.b64decode(link["root"], validate=True)
    except (binascii.Error, ValueError):
        root = b""
    if size > cp.size:
        report.fail(CHECK, who, f"names the first round's log at size {size}, beyond its "
                                f"checkpoint (size {cp.size})")
        return None, None
    if merkle.root_from_leaf_hashes([merkle.leaf_hash(e) for e in entries[:size]]) != root:
        report.fail(CHECK, who, f"the first round's log does not have the root {link['root']} "
                                f"at size {size}: the second round was decided on another "
                                "history")
        return None, None
    sub = Report(where)
    first = logleaves.read(entries[:size], sub)
    for f in sub.failures:
        report.fail(CHECK, who, f"the first round's log at {where}: {f}")
    found = rounds.decide(first.contests, first.stations, first.latest)
    if isinstance(found, rounds.NotCalled):
        report.fail(CHECK, who, f"the first round {link['election']} calls no second round at "
                                f"size {size}: {found.reason['en']}")
        return None, None
    if found.contest != link["contest"] or list(found.candidates) != list(link["runoff"]):
        report.fail(CHECK, who, f"names {', '.join(link['runoff'])} of {link['contest']}; the "
                                f"first round's protocols put through "
                                f"{' and '.join(found.candidates)} of {found.contest}")
        return None, None
    _contest(leaves, first.contests[found.contest], found, who, report)
    _back_link(cp.size, entries, leaves, link, who, report)
    return opened.log_key, keep


def _witness_changes(entries: list[bytes]) -> list[tuple[int, list[str]]]:
    """(leaf index, witnesses) of each leaf of the first round's log that states them, as
    `logleaves.read` lists them (the structure leaf, a structure change naming witnesses)."""
    out = []
    for i, data in enumerate(entries):
        if b'"type":"structure' not in data:
            continue
        try:
            leaf = json.loads(data)
        except ValueError:
            continue
        if isinstance(leaf, dict) and isinstance(leaf.get("witnesses"), list):
            out.append((i, leaf["witnesses"]))
    return out


def _contest(leaves: logleaves.Leaves, first_contest: dict, found: rounds.Called, who: str,
             report: Report) -> None:
    """The second round's own contest: the second rule set, exactly the two candidates, with
    the first round's names (and a party where the first round's choice has one)."""
    if len(leaves.contests) != 1:
        report.fail(CHECK, who, f"the second round has {len(leaves.contests)} contests, not one")
        return
    (cid, contest), = leaves.contests.items()
    if contest.get("ruleset") != found.second_ruleset:
        report.fail(CHECK, cid, f"under {contest.get('ruleset')!r}; the first round's rule set "
                                f"calls its second round under {found.second_ruleset!r}")
        return
    choices = contest.get("choices") or {}
    keys = set(choices) - {"against_all"}
    if keys != set(found.candidates):
        extra, missing = sorted(keys - set(found.candidates)), sorted(set(found.candidates) - keys)
        report.fail(CHECK, cid, "its candidates are not the first round's two leaders ("
                    + "; ".join(x for x in (f"not in the first round's two: {', '.join(extra)}"
                                            if extra else "",
                                            f"missing: {', '.join(missing)}" if missing else "")
                                if x) + ")")
        return
    before = first_contest.get("choices") or {}
    for key in sorted(keys):
        if choices[key].get("name") != before.get(key, {}).get("name") or \
                (choices[key].get("party") is None) != (before.get(key, {}).get("party") is None):
            report.fail(CHECK, f"{cid}, choice {key}", "a name or party that is not the first "
                                                       "round's for this key")
            return
    report.ok(CHECK)


def _back_link(size: int, entries: list[bytes], leaves: logleaves.Leaves, link: dict,
               who: str, report: Report) -> None:
    """The first round's log names this second round after the size the link names (or not
    yet: its log may not have been integrated since)."""
    named = []
    for data in entries[link["size"]:]:
        if b'"type":"second-round"' in data:
            try:
                named.append(json.loads(data)["second_round"])
            except (ValueError, KeyError, TypeError):
                continue
    mine = leaves.origin
    if not named:
        report.note(CHECK, who, f"the first round's log (size {size}) does not name this second "
                                "round yet")
    elif named[0]["origin"] != mine:
        report.fail(CHECK, who, f"the first round's log names another second round "
                                f"({named[0]['election']}, log {named[0]['origin']})")
    else:
        report.ok(CHECK)
        report.note(CHECK, who, f"the second round of {link['election']} (decided at its log's "
                                f"size {link['size']}) between {' and '.join(link['runoff'])}: "
                                "recomputed from its protocols")
