"""`sailau keys generate` and `sailau keys sign`: a commission's own Ed25519 key, made and used
on the commission's computer. `generate` writes the key file (readable by its owner only) and
prints the public key and its fingerprint, which a member registers (`POST /api/keys/
commissions/ID`) and the commission above confirms; it refuses to write inside the server's
data directory (SAILAU_DATA_DIR), where the key would be the server's to read. `sign` reads what
awaits the signature (the JSON of `GET /api/keys/protocols/STATION/CONTEST/signature`), checks
that its bytes are the protocol its fields show, and prints the signature to submit. Neither
needs the database or Django."""

import json
import sys
from pathlib import Path

from sailau.protocols.key_files import KEY_FILE_FORMAT  # noqa: F401 - the format's name


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
    """`key_files.write_key_file`, its refusal a command's error."""
    from sailau.cli import CommandError
    from sailau.protocols import key_files

    try:
        return key_files.write_key_file(out, commission, what)
    except key_files.KeyFileError as exc:
        raise CommandError(str(exc)) from None


def load(path: str):
    """`key_files.load`, its refusal a command's error."""
    from sailau.cli import CommandError
    from sailau.protocols import key_files

    try:
        return key_files.load(path)
    except key_files.KeyFileError as exc:
        raise CommandError(str(exc)) from None


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
    """`key_files.signature_for`, its refusal a command's error."""
    from sailau.cli import CommandError
    from sailau.protocols import key_files

    try:
        return key_files.signature_for(key, req, what)
    except key_files.KeyFileError as exc:
        raise CommandError(str(exc)) from None
