"""A commission's own key file: made, read, and used to sign what awaits the commission's
signature, on the commission's computer (`sailau keys generate` and `sailau keys sign`, and the
demo's simulated commissions). Needs neither the database nor Django; what is wrong is a
`KeyFileError` naming it."""

import base64
import json
import os
from pathlib import Path

from sailau.verify import signatures

KEY_FILE_FORMAT = "sailau-commission-key/1"


class KeyFileError(ValueError):
    """A key file or a request to sign that cannot be used, and why."""


def write_key_file(out: Path, commission: str | None, what: str = "") -> dict:
    """Make a new Ed25519 key and write it to `out` as `generate` does (readable by its owner
    only, never over an existing file); returns the file's public members (`public_key`,
    `key_id`). The demo's simulated commissions make theirs with this too."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes_raw()
    public = signatures.public_key_b64(key)
    body = {"format": KEY_FILE_FORMAT, "algorithm": "Ed25519", "commission": commission,
            "private_key": base64.b64encode(private).decode("ascii"), "public_key": public,
            "key_id": signatures.key_id(public)}
    try:  # never over an existing key file: that key may be the registered one
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{what}{out}: the file exists; choose another name") from None
    except OSError as exc:
        raise KeyFileError(f"{what}{out}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
        f.write("\n")
    return {"commission": commission, "public_key": public, "key_id": body["key_id"]}


def load(path: str):
    """The private key of a key file `generate` wrote (KeyFileError naming what is wrong)."""

    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        if body.get("format") != KEY_FILE_FORMAT:
            raise ValueError(f"format is not {KEY_FILE_FORMAT}")
        key = signatures.load_private_key(base64.b64decode(body["private_key"], validate=True))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyFileError(f"{path}: not a commission key file ({exc})") from None
    if signatures.public_key_b64(key) != body.get("public_key"):
        raise KeyFileError(f"{path}: its public key is not the private key's")
    return key


def signature_for(key, req: dict, what: str = "the request") -> dict:
    """What a member submits (`POST /api/keys/protocols/STATION/CONTEST/signature`) for `req`,
    the JSON of `GET` on the same path, signed with `key` (from `load`): checked first to be
    the protocol its fields show. The demo's simulated operators sign with this too."""

    try:
        message = base64.b64decode(req["message"], validate=True)
        protocol = req["protocol"]
        # the form the fields call for (an amendment cites its decision), not one given aside
        form = signatures.commission_form(protocol)
        rebuilt = signatures.signed_bytes(protocol, form)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyFileError(f"{what}: not what awaits a signature ({exc})") from None
    if req.get("format") != form or rebuilt != message:
        # Sign only what the fields show: never bytes a server made up beside them.
        raise KeyFileError("the message to sign is not the protocol its fields show: not signed")
    public = signatures.public_key_b64(key)
    if req.get("key_id") not in (None, signatures.key_id(public)):
        raise KeyFileError(f"the protocol awaits key {req['key_id']}; this key file is "
                           f"{signatures.key_id(public)}")
    out = {"version": protocol["version"], "signature": signatures.sign(key, message),
           "key_id": signatures.key_id(public)}
    if protocol.get("signed_by"):  # the commission above, signing on the station's behalf
        out["commission"] = protocol["signed_by"]
    return out
