"""Reading a published transparency log (`log/` of an election's published folder, as
docs/log-format.md lays it out) from a folder or over HTTP(S), trusting nothing but its bytes.

Shared by `sailau verify`, `sailau witness` and `sailau mirror`: the checkpoint opened with a
pinned log key, its witnesses' cosignatures counted, tiles and entry bundles fetched once each.
No Django: these run on an observer's machine with nothing but this package."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sailau.tlog import checkpoint, cosignature, merkle, note, tiles

TIMEOUT = 30  # seconds for one HTTP request


class Unusable(Exception):
    """The log cannot be read or is malformed (exit status 2): the message names what."""


class Missing(Unusable):
    """One file cannot be fetched (absent, HTTP error, no answer); the message says which."""


class Offline(Missing):
    """The server did not answer at all (as opposed to answering 404): worth retrying."""


class Files:
    """A folder or a URL prefix whose files are read by relative path."""

    def __init__(self, location: str):
        self.remote = location.startswith(("http://", "https://"))
        if self.remote:
            self.base = location if location.endswith("/") else location + "/"
        else:
            self.base = Path(location)
            if not self.base.is_dir():
                raise Unusable(f"{location}: no such folder")

    def where(self, relative: str) -> str:
        return f"{self.base}{relative}" if self.remote else str(self.base / relative)

    def read(self, relative: str) -> bytes:
        if self.remote:
            url = self.base + relative
            try:
                # C2SP tlog-tiles: a client SHOULD accept gzip; entry bundles come gzip'd
                # whatever was asked, and `tiles.decode_entry_bundle` opens them either way.
                req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, identity"})
                with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
                    return r.read()
            except urllib.error.HTTPError as exc:
                raise Missing(f"{url}: HTTP {exc.code} {exc.reason}") from None
            except (urllib.error.URLError, TimeoutError, OSError,
                    http.client.HTTPException) as exc:  # refused, reset, cut short
                raise Offline(f"{url}: no answer ({getattr(exc, 'reason', exc)})") from None
        path = self.base / relative
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise Missing(f"{path}: no such file") from None
        except OSError as exc:
            raise Missing(f"{path}: cannot be read ({exc.strerror})") from None

    def sub(self, relative: str) -> Files:
        out = object.__new__(Files)
        out.remote = self.remote
        out.base = self.base + relative if self.remote else self.base / relative.rstrip("/")
        return out


def open_published(location: str) -> tuple[Files, Files]:
    """(the election's published folder, its log folder) from either's location."""
    top = Files(location)
    try:
        top.read("log/checkpoint")
        return top, top.sub("log/")
    except Offline:
        raise
    except Missing:
        pass
    try:
        top.read("checkpoint")
    except Offline:
        raise
    except Missing:
        raise Unusable(f"{location}: no log here (neither log/checkpoint nor checkpoint)") \
            from None
    if top.remote:
        parent = top.base.rstrip("/").rsplit("/", 1)[0] + "/"
        return Files(parent), top
    return Files(str(top.base.parent)), top


@dataclass
class SignedCheckpoint:
    note: bytes
    body: str
    checkpoint: checkpoint.Checkpoint
    cosigned_by: list[str] = field(default_factory=list)  # witnesses' names, verified
    refused: list[str] = field(default_factory=list)  # cosignatures present that did not verify


def log_json(log: Files) -> dict:
    """`log.json`: {"origin", "log_key", "witnesses": [verifier keys]}."""
    try:
        doc = json.loads(log.read("log.json"))
    except ValueError:
        raise Unusable(f"{log.where('log.json')}: not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("log_key"), str) \
            or not isinstance(doc.get("witnesses", []), list):
        raise Unusable(f"{log.where('log.json')}: not a log description "
                       "(origin, log_key, witnesses)")
    return doc


class BadSignature(Exception):
    """The checkpoint is well formed but not signed by the pinned log key."""


def open_checkpoint(data: bytes, log_key: str, where: str) -> SignedCheckpoint:
    """The checkpoint note `data` opened with `log_key`. Unusable when malformed, BadSignature
    when the log key's signature is absent or wrong."""
    name = log_key.split("+", 1)[0]
    try:
        sigs = note.note_signatures(data)
    except note.NoteError as exc:
        raise Unusable(f"{where}: not a signed note ({exc})") from None
    try:
        text, _ = note.open_note(data, [log_key])
    except note.NoteError as exc:
        kid = log_key.split("+")[1] if log_key.count("+") >= 2 else ""
        if not any(n == name and raw[:4].hex() == kid for n, raw in sigs):
            raise BadSignature(f"{where}: not signed by the log key {name} (signed by: "
                               f"{', '.join(n for n, _ in sigs) or 'nobody'})") from None
        raise BadSignature(f"{where}: the log's signature does not verify ({exc})") from None
    try:
        cp = checkpoint.Checkpoint.parse(text)
    except checkpoint.CheckpointError as exc:
        raise Unusable(f"{where}: not a checkpoint ({exc})") from None
    return SignedCheckpoint(data, text, cp)


def check_witness_key(vkey: str) -> None:
    """Unusable unless `vkey` is a cosignature verifier key (`name+<8 hex>+base64(0x04 ||
    32-byte Ed25519 key)`) with a key worth trusting (`sailau.tlog.edkey`)."""
    try:
        alg = note.parse_verifier_key(vkey)[2] if isinstance(vkey, str) else None
    except note.NoteError as exc:
        raise Unusable(f"witness keys: {str(vkey)[:60]!r} is not a witness's verifier key "
                       f"({exc})") from None
    if alg != 4:
        raise Unusable(f"witness keys: {str(vkey)[:60]!r} is not a witness's verifier key "
                       "(name+keyid+key, as `sailau witness keygen` prints)")


def count_cosignatures(signed: SignedCheckpoint, witnesses: list[str]) -> None:
    """Fill `cosigned_by` with the witnesses (verifier keys) whose cosignature verifies."""
    for vkey in witnesses:
        check_witness_key(vkey)
    lines = [line for line in signed.note.decode("utf-8", "replace").split("\n\n", 1)[-1]
             .splitlines() if line.startswith("\u2014 ")]
    for vkey in witnesses:
        name = vkey.split("+", 1)[0]
        for line in lines:
            if line.split(" ")[1:2] != [name]:
                continue
            try:
                cosignature.verify_cosignature(signed.body, line, vkey)
            except note.NoteError:
                signed.refused.append(name)
                continue
            signed.cosigned_by.append(name)
            break


def fetch_checkpoint(log: Files) -> bytes:
    return log.read("checkpoint")


def tile_reader(log: Files, size: int):
    """A HashReader over the log's tiles for the tree of `size`; malformed tiles are Unusable
    when read through `read_hashes_checked`."""
    def fetch(path: str) -> bytes:
        return log.read(path)
    return tiles.TileHashReader(size, fetch)


def prove_consistency(log: Files, old_size: int, old_root: bytes, new: checkpoint.Checkpoint) \
        -> None:
    """Raises merkle.ProofError when the tree of `new` does not extend the one of `old_size`
    with `old_root`, Unusable when the tiles themselves do not give `new`'s root (a malformed
    or missing tile is not evidence of a fork)."""
    if old_size == new.size:
        if old_root != new.root:
            raise merkle.ProofError(f"two roots for size {new.size}")
        return
    reader = tile_reader(log, new.size)
    try:
        if merkle.tree_hash(new.size, reader) != new.root:
            raise Unusable(f"{log.where('tile/')}: the tiles do not give the checkpoint's root "
                           f"for size {new.size}")
        proof = merkle.consistency_proof(old_size, new.size, reader)
    except merkle.ProofError as exc:
        raise Unusable(f"{log.where('tile/')}: malformed tiles ({exc})") from None
    merkle.verify_consistency(old_size, new.size, old_root, new.root, proof)
