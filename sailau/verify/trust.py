"""What a reader of the log trusts, and what it accepts on that trust.

The witnesses: named by the reader (`--witness`), else pinned in its state (`--state`, format
`sailau-reader-state/2`, docs/checking-the-log.md), else, on first use only, those the election
publishes (`log/log.json`). A change of witnesses in the log (a `structure` or
`structure-change` leaf naming others) replaces the pinned set only when the checkpoint that
includes the change is cosigned by the quorum of the witnesses already pinned: as many as the
reader requires of any checkpoint (`--witnesses-required`, kept in the state; all of them by
default), and never fewer than one. The log key alone never changes whom a reader trusts.

The figures: a protocol the reader checks (what the files show, or the log's latest when there
are no files) must rest on a leaf below the largest checkpoint the required witnesses
cosigned; a leaf beyond it is signed by the log alone and fails the run unless the reader says
it accepts that (`--allow-unwitnessed`), naming how many leaves and protocols it is."""

from __future__ import annotations

from dataclasses import dataclass

from sailau.verify import logsource
from sailau.verify.report import Report

STATE_FORMAT = "sailau-reader-state/2"


@dataclass
class Trusted:
    witnesses: list[str]
    source: str  # reader (--witness), state (pinned), server (log.json, first use), none
    required: int  # cosignatures required of a checkpoint
    required_given: int | None  # what the state keeps: None is "all of them"


def witnesses(opts, state: dict | None, server: dict | None, report: Report,
              where: str = "the server's log/log.json") -> Trusted:
    """Whom this run trusts to cosign, and how many of them it requires; `where` says where the
    log's own list was read (the server's file, or a file of the folder being checked)."""
    pinned = opts.pinned_witnesses
    if pinned is None:
        pinned = (state or {}).get("witnesses")
    kept_required = (state or {}).get("required")
    if opts.witnesses:
        if pinned is not None and sorted(pinned) != sorted(opts.witnesses):
            report.note("witnesses", "--witness", f"the {len(opts.witnesses)} witnesses named "
                                                  f"replace the {len(pinned)} pinned in "
                                                  f"{opts.state}")
        chosen, source, kept_required = list(opts.witnesses), "reader", None
    elif pinned is not None:
        chosen, source = list(pinned), "state"
    elif server is not None:
        chosen, source = _server_witnesses(server, report), "server"
        report.note("witnesses", "log.json", f"the {len(chosen)} witnesses are taken from "
                                             f"{where} (name yours with --witness, or pin "
                                             "them with --state)")
    else:
        chosen, source = [], "none"
    given = opts.required if opts.required is not None else kept_required
    required = len(chosen) if given is None else min(given, len(chosen))
    return Trusted(chosen, source, required, given)


def _server_witnesses(server: dict, report: Report) -> list[str]:
    """log.json's witnesses, each a key worth trusting: one that is not (a small-order key
    would "cosign" anything with one constant line) is a failure naming it, and not used."""
    out = []
    for vkey in server.get("witnesses") or []:
        try:
            logsource.check_witness_key(vkey)
        except logsource.Unusable as exc:
            report.fail("witnesses", "log.json", str(exc))
            continue
        out.append(vkey)
    return out


def to_keep(trusted: Trusted, cosigners: int, witnessed_size: int | None,
            changes: list[tuple[int, list[str]]], report: Report) -> list[str]:
    """The witnesses the state pins after this run: the set trusted, or the one the log's last
    change below `witnessed_size` names when that checkpoint is cosigned by the quorum of the
    set trusted (`cosigners` of them). `changes`: (leaf index, witnesses) of every leaf that
    states them, in order."""
    current = trusted.witnesses
    if trusted.source == "reader" or witnessed_size is None:
        return current
    below = [(i, w) for i, w in changes if i < witnessed_size]
    beyond = [(i, w) for i, w in changes if i >= witnessed_size and sorted(w) != sorted(current)]
    if beyond:
        report.note("witnesses", f"leaf {beyond[0][0]}",
                    f"names {len(beyond[0][1])} witnesses other than the {len(current)} "
                    f"trusted; not trusted until a checkpoint that includes it is cosigned by "
                    f"the witnesses pinned")
    if not below or sorted(below[-1][1]) == sorted(current):
        return current
    index, named = below[-1]
    added = sorted(set(named) - set(current))
    removed = sorted(set(current) - set(named))
    what = (f"the witnesses change at leaf {index} (added: "
            f"{', '.join(w.split('+')[0] for w in added) or 'none'}; removed: "
            f"{', '.join(w.split('+')[0] for w in removed) or 'none'})")
    if trusted.source == "server" or not current:
        report.note("witnesses", f"leaf {index}", f"{what}: pinned as the log states them "
                                                  "(nothing was pinned before)")
        return named
    if cosigners < max(trusted.required, 1):
        report.note("witnesses", f"leaf {index}", f"{what}: not trusted, the checkpoint that "
                                                  f"includes it is cosigned by {cosigners} of "
                                                  "the witnesses pinned (at least one is "
                                                  "required)")
        return current
    report.note("witnesses", f"leaf {index}", f"{what}: the checkpoint of size "
                                              f"{witnessed_size}, which includes it, is "
                                              f"cosigned by {cosigners} of the "
                                              f"{len(current)} witnesses pinned; the state now "
                                              "pins the new set")
    return named


def check_witnessed(size: int, witnessed_size: int | None, indexes, allow: bool,
                    report: Report, what: str = "protocols checked") -> None:
    """Fails (unless `allow`) when one of the leaves at `indexes` lies beyond the largest
    checkpoint the required witnesses cosigned; says so in a note otherwise."""
    if witnessed_size is None or witnessed_size >= size:
        return
    alone = size - witnessed_size
    beyond = sum(1 for i in indexes if i >= witnessed_size)
    where = (f"the last {alone} leaves of the log (size {size}) are signed by the log key "
             f"alone: the largest checkpoint the witnesses cosigned is size {witnessed_size}")
    if beyond and not allow:
        report.fail("witnesses", "log/checkpoint",
                    f"{beyond} {what} rest on leaves no witness has cosigned yet; {where}. "
                    "Run again once the witnesses cosign (seconds on election night), or "
                    "give --allow-unwitnessed to accept figures only the log signed")
        return
    report.note("witnesses", "log/checkpoint",
                f"{where}; " + (f"{beyond} {what} rest on them (--allow-unwitnessed)" if beyond
                                else f"none of the {what} rests on them"))
