"""`sailau verify` against the election's transparency log: the checkpoint opened with the log
key (given, or pinned in `--state`), cosigned by the witnesses the reader names (or those
pinned in its state, or, failing both, those the election published: `trust`), consistent with
the last checkpoint accepted, and every
entry bundle read back to the checkpoint's root. What the leaves say is then checked by
`logleaves`; the state is saved only when everything held."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sailau.tlog import merkle, note, tiles
from sailau.verify import logsource, logstate, trust
from sailau.verify.report import Report

WORKERS = 16  # parallel HTTP requests for entry bundles


@dataclass
class Options:
    log_key: str | None = None
    witnesses: list[str] = field(default_factory=list)
    required: int | None = None
    state: Path | None = None
    # A second round's first round, where it is not the sibling folder (`round_link`).
    first_round: str | None = None
    # The first round's log key as the reader knows it (`--first-round-log-key`): else the one
    # pinned in `state`, else its log.json's (the server's word).
    first_round_log_key: str | None = None
    # The first round's witnesses as the reader knows them (`--first-round-witness`): else
    # those pinned in `state`, else those its log.json names (the server's word).
    first_round_witnesses: list[str] = field(default_factory=list)
    # Witnesses pinned elsewhere than `state` (a second round's state pins its first round's):
    # trusted as a state's own would be, their change followed only when they cosign it.
    pinned_witnesses: list[str] | None = None
    # accept figures resting on leaves only the log key signed (beyond the largest checkpoint
    # the witnesses cosigned): said in the report, never the default
    allow_unwitnessed: bool = False


@dataclass
class Opened:
    """A checkpoint accepted as the log's (signature, cosignatures); `fail` is set when it must
    not be used further."""
    log: logsource.Files
    log_key: str
    signed: logsource.SignedCheckpoint | None
    state: dict | None
    witnesses_from_server: bool
    trusted: trust.Trusted | None = None
    # the size of the largest checkpoint the required witnesses cosigned (the latest's when it
    # carries them); None when none does
    witnessed_size: int | None = None
    cosigners: int = 0  # how many of the trusted witnesses cosigned it
    # A second round's: the first round's log key its link was checked with, to pin in `state`.
    first_round_log_key: str | None = None
    # ... and the first round's witnesses to pin in `state` (`trust.to_keep` of its log).
    first_round_witnesses: list[str] | None = None


def open_log(log: logsource.Files, opts: Options, report: Report) -> Opened:
    state = logstate.load(opts.state) if opts.state else None
    server = None
    try:
        server = logsource.log_json(log)
    except logsource.Missing:
        pass
    pinned = (state or {}).get("log_key")
    log_key = opts.log_key or pinned
    if opts.log_key and pinned and opts.log_key != pinned:
        report.fail("log", "--log-key", f"differs from the key pinned in {opts.state} "
                                        f"({pinned}): the log key was replaced")
    if log_key is None:
        if server is None:
            raise logsource.Unusable(f"{log.where('log.json')}: absent, and no --log-key")
        log_key = server["log_key"]
        report.note("log", "log.json", f"the log key {log_key} is taken from "
                                       f"{_whose(log, 'log.json')}, not from you: "
                    + (f"first run with --state {opts.state}, which pins it if the run holds"
                       if opts.state else "give --log-key, or --state DIR to pin it"))
    elif server is not None and server["log_key"] != log_key:
        report.fail("log", "log.json", f"names the log key {server['log_key']}, not "
                                       f"{log_key}: the log key was replaced")
    data = logsource.fetch_checkpoint(log)
    try:
        signed = logsource.open_checkpoint(data, log_key, log.where("checkpoint"))
    except logsource.BadSignature as exc:
        report.fail("log", "log/checkpoint", str(exc))
        return Opened(log, log_key, None, state, False)
    trusted = trust.witnesses(opts, state, server, report, _whose(log, "log.json"))
    witnesses, required = trusted.witnesses, trusted.required
    try:
        logsource.count_cosignatures(signed, witnesses)
    except (note.NoteError, ValueError) as exc:  # a malformed verifier key
        raise logsource.Unusable(f"witness keys: {exc}") from None
    got = len(signed.cosigned_by)
    opened = Opened(log, log_key, signed, state, trusted.source == "server", trusted)
    witnessed = None
    if got < required:
        witnessed = _witnessed(log, log_key, witnesses, required, signed, report)
    if witnessed is not None:
        report.ok("witnesses", len(witnessed.cosigned_by))
        opened.witnessed_size = witnessed.checkpoint.size
        opened.cosigners = len(witnessed.cosigned_by)
    elif got < required:
        report.fail("witnesses", "log/checkpoint",
                    f"cosigned by {got} of the {required} witnesses required "
                    f"({', '.join(signed.cosigned_by) or 'none'}"
                    + (f"; failed: {', '.join(signed.refused)}" if signed.refused else "")
                    + "): readers may be shown a view the witnesses never saw")
    else:
        report.ok("witnesses", got)
        opened.witnessed_size, opened.cosigners = signed.checkpoint.size, got
    if not witnesses:
        report.note("witnesses", "log/checkpoint", "no witness named: nothing shows that "
                                                   "others are shown the same log")
    return opened


WITNESSED = "checkpoint.witnessed"


def _witnessed(log, log_key: str, witnesses: list[str], required: int, latest, report: Report):
    """`log/checkpoint.witnessed` (the largest checkpoint every witness cosigned) when it has the
    cosignatures required and the latest checkpoint extends it; else None. On a busy night the
    latest checkpoint changes faster than the witnesses look, so it rarely carries them all."""
    try:
        data = log.read(WITNESSED)
    except logsource.Missing:
        return None
    try:
        signed = logsource.open_checkpoint(data, log_key, log.where(WITNESSED))
    except logsource.BadSignature as exc:
        report.fail("log", f"log/{WITNESSED}", str(exc))
        return None
    logsource.count_cosignatures(signed, witnesses)
    cp, new = signed.checkpoint, latest.checkpoint
    if len(signed.cosigned_by) < required or cp.origin != new.origin or cp.size > new.size:
        return None
    try:
        logsource.prove_consistency(log, cp.size, cp.root, new)
    except merkle.ProofError as exc:
        report.fail("log", "log/checkpoint", f"does not extend log/{WITNESSED} (size "
                                             f"{cp.size}), which the witnesses cosigned: {exc}")
        return None
    return signed


def check_state(opened: Opened, report: Report, prove) -> bool:
    cp = opened.signed.checkpoint
    try:
        logstate.check_next(opened.state, cp.origin, opened.log_key, cp.size, cp.root, prove)
    except logstate.Refused as exc:
        report.fail("log", "log/checkpoint", str(exc))
        return False
    if opened.state:
        report.ok("log")
        old = opened.state["size"]
        report.fact("log", "log/checkpoint",
                    f"the log grew from {old:,} to {cp.size:,} leaves, consistent with your last "
                    "run (the same leaves below its size)" if cp.size > old else
                    f"the log is the same {cp.size:,} leaves as at your last run")
    return True


def _whose(log: logsource.Files, relative: str) -> str:
    """Where a file was read, as a reader should weigh it: the server's, or a folder's."""
    if log.remote:
        return f"the server's {log.where(relative)}"
    return f"{log.where(relative)}, a file of the folder being checked"


def read_entries(log: logsource.Files, size: int) -> list[bytes]:
    """Every leaf of the tree of `size`, from its entry bundles (in parallel over HTTP)."""
    def one(n: int) -> list[bytes]:
        width = min(256, size - n * 256)
        path = tiles.entries_path(n, width)
        data = log.read(path)
        try:
            entries = tiles.decode_entry_bundle(data)
        except merkle.ProofError as exc:
            raise logsource.Unusable(f"{log.where(path)}: malformed entry bundle ({exc})") \
                from None
        if len(entries) != width:
            raise logsource.Unusable(f"{log.where(path)}: {len(entries)} entries, the tree "
                                     f"of size {size} needs {width}")
        return entries

    bundles = range((size + 255) // 256)
    if log.remote:
        with ThreadPoolExecutor(WORKERS) as pool:
            parts = list(pool.map(one, bundles))
    else:
        parts = list(map(one, bundles))
    return [e for part in parts for e in part]


def check_entries(opened: Opened, report: Report) -> list[bytes] | None:
    """The leaves when they give the checkpoint's root and follow the state; else None."""
    cp = opened.signed.checkpoint
    entries = read_entries(opened.log, cp.size)
    hashes = [merkle.leaf_hash(e) for e in entries]
    root = merkle.root_from_leaf_hashes(hashes)
    if root != cp.root:
        report.fail("log", "log/tile/entries", f"the {cp.size} leaves do not give the "
                                               "checkpoint's root: a leaf was rewritten, added "
                                               "or removed")
        return None
    report.ok("log")

    def prove(old_size, old_root):
        # With every leaf at hand, the old tree is recomputed: stronger than a proof.
        if merkle.root_from_leaf_hashes(hashes[:old_size]) != old_root:
            raise merkle.ProofError(f"the first {old_size} leaves no longer give the root "
                                    "accepted")

    return entries if check_state(opened, report, prove) else None


def save_state(opened: Opened, opts: Options, *, full: bool,
               witnesses: list[str] | None = None) -> None:
    """The checkpoint accepted, `checked`: the size below which every current protocol's
    signature was checked (this size after a full run; a one-station run keeps the earlier
    one, still valid since this tree was proved to extend it), and the witnesses pinned
    (`witnesses`, else those trusted in this run) with the number required of them (null: all
    of them). Format `sailau-reader-state/2` (docs/checking-the-log.md)."""
    cp = opened.signed.checkpoint
    checked = cp.size if full else int((opened.state or {}).get("checked") or 0)
    trusted = opened.trusted
    logstate.save(opts.state, origin=cp.origin, log_key=opened.log_key, size=cp.size,
                  root=cp.root, note=opened.signed.note, checked=checked,
                  format=trust.STATE_FORMAT,
                  witnesses=sorted(witnesses if witnesses is not None else trusted.witnesses),
                  required=trusted.required_given,
                  **_first_round_key(opened))


def _first_round_key(opened: Opened) -> dict:
    """A second round's state keeps its first round's log key and witnesses once it has seen
    them (pinned at first use, as the log key and witnesses themselves; `round_link` refuses a
    change of key, and follows a change of witnesses only when those pinned cosign it)."""
    state = opened.state or {}
    key = opened.first_round_log_key or state.get("first_round_log_key")
    witnesses = opened.first_round_witnesses
    if witnesses is None:
        witnesses = state.get("first_round_witnesses")
    return {**({"first_round_log_key": key} if key else {}),
            **({"first_round_witnesses": sorted(witnesses)} if witnesses is not None else {})}
