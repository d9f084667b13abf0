"""One round of the witness (`witness_once`) and the loop around it (`run`)."""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sailau.tlog import cosignature, note
from sailau.verify import logsource, logstate

# Exit statuses: 0 cosigned or nothing new, 1 cosigned but not delivered (--once),
# 2 unusable (no log, malformed or not signed by the log's key), 3 refused with evidence.
OK, UNDELIVERED, UNUSABLE, REFUSED = 0, 1, 2, 3


@dataclass
class Config:
    log: str
    state: Path
    log_key: str | None = None
    submit: str | None = None
    # seconds added to this machine's clock for the cosignatures' timestamps: a replayed
    # election's witness (`sailau demo`) signs on the replay's clock; a real witness, 0
    clock_offset: float = 0.0


def timestamp(offset: float = 0.0) -> int:
    """A cosignature's timestamp (C2SP tlog-cosignature): this machine's clock, plus `offset`
    for a replay's witness. Readers bound when each leaf entered the log by it."""
    return int(time.time() + offset)


def load_witness(path: Path):
    try:
        return cosignature.Witness.from_key(path.read_text())
    except OSError as exc:
        raise logstate.StateError(f"{path}: cannot read the witness key ({exc.strerror})") \
            from None
    except note.NoteError as exc:
        raise logstate.StateError(f"{path}: not a witness key ({exc})") from None


def submit_url(cfg: Config, published: logsource.Files) -> str | None:
    """Where to POST: --submit, else `<site>/api/log/<election>/cosignature` from the URL of
    the election's published folder (`<site>/snapshots/<election>/`)."""
    if cfg.submit:
        return cfg.submit
    if not published.remote:
        return None
    m = re.match(r"(https?://[^/]+)(?:/.*)?/snapshots/([^/]+)/?$", published.base)
    return f"{m.group(1)}/api/log/{m.group(2)}/cosignature" if m else None


def post(url: str, body: str, line: str) -> str | None:
    """None when the server took the cosignature, else why not (never raises)."""
    data = json.dumps({"checkpoint": body, "cosignature": line}).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=logsource.TIMEOUT) as r:
            r.read()
        return None
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        return f"{url}: HTTP {exc.code} {exc.reason} {detail}".strip()
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        return f"{url}: no answer ({getattr(exc, 'reason', exc)})"


def pinned_log_key(state: dict | None, given: str | None, folder: Path,
                   log: logsource.Files | None) -> str | None:
    """The log key a witness checks signatures with: the one pinned in its state, which a
    different `--log-key` never replaces; else `given`; else, at first sight, the one the
    log's `log.json` names (said, and pinned when the first checkpoint is cosigned); else
    None (no log to read it from)."""
    if state and given and given != state["log_key"]:
        raise logstate.StateError(f"--log-key differs from the key pinned in {folder}: a new "
                                  "log key is never taken silently; use a new state folder "
                                  "to trust another key")
    key = given or (state or {}).get("log_key")
    if key is None and log is not None:
        key = logsource.log_json(log)["log_key"]
        print(f"warning: first sight of this log: its key {key} is taken from "
              f"{log.where('log.json')} and pinned in {folder}; give --log-key to check it "
              "against one you trust", file=sys.stderr)
    return key


_OPENED: dict[str, tuple[logsource.Files, logsource.Files]] = {}


def _opened(location: str) -> tuple[logsource.Files, logsource.Files]:
    """Where the published folder and its log are, found once per location: finding them
    reads the checkpoint, which each round then fetches again (one request a round, not two,
    when a witness looks every quarter of a second)."""
    if location not in _OPENED:
        _OPENED[location] = logsource.open_published(location)
    return _OPENED[location]


def witness_once(cfg: Config, witness) -> int:
    def say(*a, **kw):
        print(*a, **kw, file=sys.stdout, flush=True)
    state = logstate.load(cfg.state)
    published, log = _opened(cfg.log)
    log_key = pinned_log_key(state, cfg.log_key, cfg.state, log)
    data = logsource.fetch_checkpoint(log)
    signed = logsource.open_checkpoint(data, log_key, log.where("checkpoint"))
    cp = signed.checkpoint

    def prove(old_size, old_root):
        logsource.prove_consistency(log, old_size, old_root, cp)

    try:
        logstate.check_next(state, cp.origin, log_key, cp.size, cp.root, prove)
    except logstate.Refused as exc:
        where = logstate.keep_evidence(cfg.state, exc.what, state["checkpoint"].encode(), data,
                                       str(exc))
        say(f"REFUSED: {exc}")
        say(f"evidence kept in {where}")
        say("--- the checkpoint cosigned before ---")
        say(state["checkpoint"], end="")
        say("--- the checkpoint refused ---")
        say(data.decode("utf-8", "replace"), end="")
        return REFUSED
    if state and state["size"] == cp.size and state.get("cosignature"):
        line, body = state["cosignature"], state["body"]
    else:
        body = cp.body()
        line = witness.cosign(body, timestamp(cfg.clock_offset))
        logstate.save(cfg.state, origin=cp.origin, log_key=log_key, size=cp.size, root=cp.root,
                      note=data, body=body, cosignature=line, delivered=False)
        say(f"cosigned {cp.origin} size {cp.size}")
        state = logstate.load(cfg.state)
    if line in data.decode("utf-8", "replace").splitlines() or state.get("delivered"):
        return OK
    url = submit_url(cfg, published)
    if url is None:
        logstate.write_atomic(cfg.state / "cosignature", (line + "\n").encode())
        say(f"no server to send it to: written to {cfg.state / 'cosignature'}")
        return OK
    why = post(url, body, line)
    if why:
        print(f"not delivered: {why}", file=sys.stderr)
        return UNDELIVERED
    logstate.save(cfg.state, **{k: state[k] for k in ("origin", "log_key", "size")},
                  root=logstate.root_of(state), note=state["checkpoint"].encode(), body=body,
                  cosignature=line, delivered=True)
    say(f"delivered to {url}")
    return OK


def run(cfg: Config, witness, *, interval: float, once: bool) -> int:
    """Rounds until a refusal (3) or, with `once`, one round. Network errors and an
    unreadable log are printed and retried with backoff (up to `interval` x 8)."""
    delay = interval
    while True:
        try:
            status = witness_once(cfg, witness)
        except (logsource.Unusable, logsource.BadSignature) as exc:
            print(f"cannot cosign: {exc}", file=sys.stderr, flush=True)
            status = UNUSABLE
        if once or status == REFUSED:
            return status
        delay = interval if status == OK else min(delay * 2, interval * 8)
        time.sleep(delay)
