"""`sailau witness keygen NAME --out FILE` and `sailau witness run --log URL_OR_DIR --key FILE
--state DIR [--log-key VKEY] [--interval S] [--once] [--submit URL] [--clock-offset S]` (pull:
the witness fetches and posts) and `sailau witness serve --key FILE --state DIR (--log-key VKEY |
--log URL_OR_DIR) [--clock-offset S]
[--listen HOST:PORT]` (push: the log POSTs C2SP tlog-witness add-checkpoint): an observer's
witness of an election's transparency log (`sailau.witness`). Exit 3 when a checkpoint is
refused (the evidence is kept in the state folder), 2 when the log or the options cannot be
used."""

import os
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("witness", help="cosign an election's log after checking it only grew")
    ws = p.add_subparsers(dest="witness_command", metavar="ACTION", required=True)
    k = ws.add_parser("keygen", help="make a witness key; prints its verifier key")
    k.add_argument("name", help="the witness's name, e.g. observers.example.kz/witness")
    k.add_argument("--out", required=True, metavar="FILE", help="where to write the private key")
    k.set_defaults(func=keygen)
    r = ws.add_parser("run", help="fetch, check and cosign the log's checkpoints")
    r.add_argument("--log", required=True, metavar="URL_OR_DIR",
                   help="the election's published folder or its URL (with log/checkpoint)")
    _key_and_state(r)
    r.add_argument("--log-key", metavar="VKEY", help="the log's verifier key (else pinned "
                                                     "at first sight from log/log.json)")
    r.add_argument("--interval", type=float, default=10.0, metavar="S",
                   help="seconds between rounds (default 10)")
    r.add_argument("--once", action="store_true", help="one round, then exit")
    r.add_argument("--submit", metavar="URL", help="where to POST cosignatures (default: "
                                                   "<site>/api/log/<election>/cosignature)")
    r.set_defaults(func=run)
    s = ws.add_parser("serve", help="answer the log's add-checkpoint requests (C2SP "
                                    "tlog-witness): cosigned as soon as signed")
    _key_and_state(s)
    s.add_argument("--log-key", metavar="VKEY", help="the log's verifier key (else the one "
                                                     "pinned in --state, or --log's)")
    s.add_argument("--log", metavar="URL_OR_DIR", help="the election's published folder: its "
                   "log/log.json names the log key at first sight (pinned in --state)")
    s.add_argument("--listen", default="127.0.0.1:8421", metavar="HOST:PORT",
                   help="where to listen (default 127.0.0.1:8421); the log is given "
                        "http://HOST:PORT as the witness's URL")
    s.set_defaults(func=serve)


def _key_and_state(p) -> None:
    p.add_argument("--key", required=True, metavar="FILE", help="the witness's private key")
    p.add_argument("--clock-offset", type=float, default=0.0, metavar="S",
                   help="seconds added to this machine's clock for the cosignatures' "
                        "timestamps: only for a replayed election's witness, as `sailau demo` "
                        "runs them (default 0: a real witness signs its real time)")
    p.add_argument("--state", required=True, metavar="DIR",
                   help="what the witness keeps: the last checkpoint cosigned, evidence")


def keygen(args) -> int:
    from sailau.cli import CommandError
    from sailau.tlog import cosignature, note

    out = Path(args.out)
    if out.exists():
        raise CommandError(f"{out} exists: a witness key is never overwritten")
    if "+" in args.name or not args.name.strip() or any(c.isspace() for c in args.name):
        raise CommandError("NAME: no spaces or '+', e.g. observers.example.kz/witness")
    try:
        w = cosignature.Witness.generate(args.name)
    except note.NoteError as exc:
        raise CommandError(f"NAME: {exc}") from None
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CommandError(f"{out}: cannot write ({exc.strerror})") from None
    with os.fdopen(fd, "w") as f:
        f.write(w.key_text() + "\n")
    print(w.verifier_key())
    return 0


def run(args) -> int:
    from sailau.cli import CommandError
    from sailau.verify import logstate
    from sailau.witness.run import Config, load_witness
    from sailau.witness.run import run as loop

    if args.interval <= 0:
        raise CommandError("--interval: seconds, more than 0")
    try:
        witness = load_witness(Path(args.key))
        return loop(Config(args.log, Path(args.state), args.log_key, args.submit,
                           args.clock_offset), witness,
                    interval=args.interval, once=args.once)
    except logstate.StateError as exc:
        raise CommandError(str(exc)) from None


def serve(args) -> int:
    from sailau.cli import CommandError
    from sailau.verify import logsource, logstate
    from sailau.witness.run import load_witness
    from sailau.witness.serve import serve as listen

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise CommandError("--listen: HOST:PORT, e.g. 127.0.0.1:8421")
    try:
        log = logsource.open_published(args.log)[1] if args.log else None
        witness = load_witness(Path(args.key))
        return listen(witness, Path(args.state), args.log_key, host.strip("[]"), int(port),
                      log=log, clock_offset=args.clock_offset)
    except (logstate.StateError, logsource.Unusable) as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"--listen {args.listen}: {exc.strerror}") from None
