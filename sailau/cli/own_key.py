"""`sailau keys generate` and `sailau keys sign`: a commission's own Ed25519 key, made and used
on the commission's computer. `generate` writes the key file (readable by its owner only) and
prints the public key and its fingerprint, which a member registers (`POST /api/keys/
commissions/ID`) and the commission above confirms; it refuses to write inside the server's
data directory (SAILAU_DATA_DIR), where the key would be the server's to read. `sign` reads what
awaits the signature (the JSON of `GET /api/keys/protocols/STATION/CONTEST/signature`), checks
that its bytes are the protocol its fields show, and prints the signature to submit. Neither
needs the database or Django."""

import base64
import json
import os
import sys
from pathlib import Path

KEY_FILE_FORMAT = "sailau-commission-key/1"


def register(ksub) -> None:
    g = ksub.add_parser("generate", help="make a commission's own key on this computer: writes "
                                         "the key file, prints the public key to register")
    g.add_argument("--out", required=True, metavar="FILE",
                   help="the key file to write (kept by the commission, never inside the "
                        "server's data directory)")
    g.add_argument("--commission", metavar="ID", help="the commission's id, noted in the file")
    g.set_defaults(func=generate)
    s = ksub.add_parser("sign", help="sign a protocol awaiting the commission's signature with "
                                     "the key file")
    s.add_argument("key_file", metavar="KEY_FILE")
    s.add_argument("request", metavar="TO_SIGN", nargs="?", default="-",
                   help="the JSON of GET /api/keys/protocols/STATION/CONTEST/signature "
                        "(a file, or - for standard input)")
    s.set_defaults(func=sign)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def generate(args) -> int:
    from sailau.cli import CommandError
    from sailau.paths import data_dir

    out = Path(args.out)
    if _inside(out, data_dir()):
        raise CommandError(f"--out {out}: inside the server's data directory ({data_dir()}); "
                           "a commission's key is kept by the commission, not by the server")
    body = write_key_file(out, args.commission, what="--out ")
    print(json.dumps({"commission": args.commission, "public_key": body["public_key"],
                      "key_id": body["key_id"], "key_file": str(out)}))
    return 0


def write_key_file(out: Path, commission: str | None, what: str = "") -> dict:
    """Make a new Ed25519 key and write it to `out` as `generate` does (readable by its owner
    only, never over an existing file); returns the file's public members (`public_key`,
    `key_id`). The demo's simulated commissions make theirs with this too."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sailau.cli import CommandError
    from sailau.verify import signatures

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes_raw()
    public = signatures.public_key_b64(key)
    body = {"format": KEY_FILE_FORMAT, "algorithm": "Ed25519", "commission": commission,
            "private_key": base64.b64encode(private).decode("ascii"), "public_key": public,
            "key_id": signatures.key_id(public)}
    try:  # never over an existing key file: that key may be the registered one
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{what}{out}: the file exists; choose another name") from None
    except OSError as exc:
        raise CommandError(f"{what}{out}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
        f.write("\n")
    return {"commission": commission, "public_key": public, "key_id": body["key_id"]}


def load(path: str):
    """The private key of a key file `generate` wrote (CommandError naming what is wrong)."""
    from sailau.cli import CommandError
    from sailau.verify import signatures

    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        if body.get("format") != KEY_FILE_FORMAT:
            raise ValueError(f"format is not {KEY_FILE_FORMAT}")
        key = signatures.load_private_key(base64.b64decode(body["private_key"], validate=True))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CommandError(f"{path}: not a commission key file ({exc})") from None
    if signatures.public_key_b64(key) != body.get("public_key"):
        raise CommandError(f"{path}: its public key is not the private key's")
    return key


def sign(args) -> int:
    from sailau.cli import CommandError

    key = load(args.key_file)
    try:
        text = sys.stdin.read() if args.request == "-" else Path(args.request).read_text("utf-8")
        req = json.loads(text)
    except (OSError, ValueError) as exc:
        raise CommandError(f"{args.request}: not what awaits a signature ({exc})") from None
    print(json.dumps(signature_for(key, req, args.request)))
    return 0


def signature_for(key, req: dict, what: str = "the request") -> dict:
    """What a member submits (`POST /api/keys/protocols/STATION/CONTEST/signature`) for `req`,
    the JSON of `GET` on the same path, signed with `key` (from `load`): checked first to be
    the protocol its fields show. The demo's simulated operators sign with this too."""
    from sailau.cli import CommandError
    from sailau.verify import signatures

    try:
        message = base64.b64decode(req["message"], validate=True)
        protocol = req["protocol"]
        # the form the fields call for (an amendment cites its decision), not one given aside
        form = signatures.commission_form(protocol)
        rebuilt = signatures.signed_bytes(protocol, form)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CommandError(f"{what}: not what awaits a signature ({exc})") from None
    if req.get("format") != form or rebuilt != message:
        # Sign only what the fields show: never bytes a server made up beside them.
        raise CommandError("the message to sign is not the protocol its fields show: not signed")
    public = signatures.public_key_b64(key)
    if req.get("key_id") not in (None, signatures.key_id(public)):
        raise CommandError(f"the protocol awaits key {req['key_id']}; this key file is "
                           f"{signatures.key_id(public)}")
    return {"version": protocol["version"], "signature": signatures.sign(key, message),
            "key_id": signatures.key_id(public)}
