"""`sailau verify PATH_OR_URL [--log-key VKEY] [--witness VKEY ...] [--witnesses-required N]
[--allow-unwitnessed] [--state DIR] [--station ID] [--scans DIR] [--signers] [--lang LANG] [--json]`: check a published election as anyone can,
with no database and no Django (`sailau.verify`): against its transparency log when it has one.
Exit 0 when everything holds, 1 naming the first failing file, station, leaf or level, 2 when
the input cannot be used at all (absent, malformed checkpoint, tile, bundle or note) or the run
could not finish because the site moved on while it read (never 1 for that: a file read and
wrong always fails, docs/checking-the-log.md)."""

import json
import sys
from pathlib import Path

from sailau.languages import LANGUAGES, pick


def register(sub) -> None:
    p = sub.add_parser("verify", help="check a published election (folder or URL) with its "
                                      "files and log alone")
    p.add_argument("location", metavar="PATH_OR_URL",
                   help="a published folder (with manifest.json and log/) or its URL, e.g. "
                        "http://127.0.0.1:8000/snapshots/ELECTION/")
    p.add_argument("--log-key", metavar="VKEY", help="the log's verifier key (else the one "
                                                     "pinned in --state, else log/log.json's)")
    p.add_argument("--witness", action="append", default=[], metavar="VKEY",
                   help="a witness whose cosignature is required (repeat; default: those "
                        "pinned in --state, else the witnesses the election publishes)")
    p.add_argument("--witnesses-required", type=int, metavar="N",
                   help="how many of the witnesses must have cosigned (default: all)")
    p.add_argument("--allow-unwitnessed", action="store_true",
                   help="accept figures resting on leaves only the log key signed (beyond the "
                        "largest checkpoint the witnesses cosigned); by default they fail the "
                        "run, which passes again once the witnesses cosign")
    p.add_argument("--state", metavar="DIR", help="keep the checkpoint accepted and the "
                                                  "witnesses trusted here; the next run proves "
                                                  "the log only grew from it, and follows a "
                                                  "change of witnesses only once those "
                                                  "pinned cosign it")
    p.add_argument("--station", metavar="ID", help="check only this station's file (its "
                                                   "number) with its inclusion proof")
    p.add_argument("--scans", metavar="DIR", help="also check these scans (PNG, JPEG, PDF) "
                                                  "against the published protocols")
    p.add_argument("--first-round", metavar="PATH_OR_URL",
                   help="a second round's first round, where it is not the sibling folder of "
                        "the same site: its candidates are checked against that round's "
                        "protocols")
    p.add_argument("--first-round-log-key", metavar="KEY",
                   help="a second round's first round's log key (a verifier key), as you got "
                        "it from the election's organisers: by default the key pinned in "
                        "--state at the first run, else the one its log.json names (the "
                        "server's word, said in the report)")
    p.add_argument("--first-round-witness", action="append", default=[], metavar="VKEY",
                   help="a witness of a second round's first round (a verifier key, repeat "
                        "for each), as its organisation publishes it: the first round's "
                        "checkpoint must be cosigned by all of them; by default those pinned "
                        "in --state at the first run, else those its log.json names (the "
                        "server's word, said in the report)")
    p.add_argument("--signers", action="store_true",
                   help="name, for every station, the key that signed its protocol: when it "
                        "was registered, who confirmed it, and whether the server holds it, "
                        "it was registered late or revoked since")
    p.add_argument("--lang", default="en", choices=LANGUAGES,
                   help="the language of what --signers says of a protocol the commission "
                        "above typed from the paper and signed on the station's behalf "
                        "(--json gives every language)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=verify)


def verify(args) -> int:
    from sailau.cli import CommandError
    from sailau.verify.logcheck import Options
    from sailau.verify.logstate import StateError
    from sailau.verify.run import Unusable, verify_station
    from sailau.verify.run import verify as run

    scans = None
    if args.scans:
        scans = Path(args.scans)
        if not scans.is_dir():
            raise CommandError(f"--scans: {args.scans} is not a folder")
    if args.witnesses_required is not None and args.witnesses_required < 0:
        raise CommandError("--witnesses-required: a number, 0 or more")
    if args.witness and (args.witnesses_required or 0) > len(args.witness):
        raise CommandError(f"--witnesses-required {args.witnesses_required}: only "
                           f"{len(args.witness)} --witness given")
    opts = Options(args.log_key, args.witness, args.witnesses_required,
                   Path(args.state) if args.state else None, args.first_round,
                   allow_unwitnessed=args.allow_unwitnessed,
                   first_round_log_key=args.first_round_log_key,
                   first_round_witnesses=args.first_round_witness)
    try:
        report = (verify_station(args.location, args.station, opts) if args.station
                  else run(args.location, scans, opts))
    except (Unusable, StateError) as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if args.signers:
            for line in signer_lines(report.signers, args.lang):
                print(line)
        for n in report.notes:
            print(f"note: {n}")
        for f in report.facts:
            print(f"{f.check}: {f.subject}: {f.message}")
        for line in outcome_lines(args.location, report):
            print(line)
    # Bytes read and wrong fail whatever else happened; a run the site outran did not finish.
    return 1 if not report.passed else 0 if report.finished else 2


# What each count of `Report.held` is a count of, as the last line says it.
HELD = {
    "chain": "manifests in the chain",
    "files": "files with the hash and size the manifest says",
    "leaves": "leaves of the log read",
    "log": "station protocols and checkpoints that match the log",
    "outcomes": "outcomes decided again",
    "parties": "choices whose party matches the log",
    "places": "station and commission files whose place and names match the log",
    "registers": "turnout reports and complaint decisions of the log published",
    "signatures": "current protocols signed by a key of their commission",
    # commissions.CHECK: one per commission file, not per station
    "stations": "commission files whose list of stations matches the station files",
    "tables": "tables matching the station files",
    "totals": "commission files whose totals add up from the protocols",
    "turnout": "turnout reports",
    # witnessed_time: each trusted witness's cosignature of an older checkpoint, archived
    "time": "archived cosignatures bounding when leaves entered the log",
    "witnesses": "witness cosignatures",
    "scans": "scans matching their protocol",
}


def outcome_lines(location: str, report) -> list[str]:
    """The last lines a run prints: OK with what held, FAILED with the first failure, or NOT
    FINISHED when the site moved on while it read (and nothing read was wrong)."""
    held = ", ".join(f"{v:,} {HELD.get(k, k)}" for k, v in sorted(report.held.items()))
    if not report.passed:
        out = [f"FAILED: {report.failures[0]}"]
        if len(report.failures) > 1:
            out.append(f"... and {len(report.failures) - 1} more (--json lists them)")
        if report.unfinished:
            out.append(f"(and {len(report.unfinished)} files could not be checked: the site "
                       "moved on while they were read)")
        return out
    if not report.finished:
        first, more = report.unfinished[0], len(report.unfinished) - 1
        return [f"NOT FINISHED: the site moved on while I read it; retry. Nothing read was "
                f"found wrong, but not everything could be read: {first}"
                + (f" (and {more} more like it: --json lists them)" if more else "")]
    return [f"OK: {location}: everything holds ({held})"]


def signer_lines(signers: list[dict], lang: str = "en") -> list[str]:
    """One line per station: who signed its current protocol, and what is to flag; a protocol
    the commission above signed on the station's behalf says so in `lang`."""
    out = []
    for s in signers:
        if s.get("on_behalf_by"):
            said = pick(s.get("on_behalf") or {}, lang) or f"signed by {s['on_behalf_by']} on " \
                                                           f"behalf of station {s['station']}"
            how = (f"{said} (its own key, confirmed by {s['confirmed_by']} at "
                   f"{s['confirmed_at']})")
        elif s["held_by_server"]:
            how = "HELD BY THE SERVER (binds the server, not the commission)"
        elif s["confirmed_by"]:
            how = f"the commission's own, confirmed by {s['confirmed_by']} at {s['confirmed_at']}"
        else:
            how = "the commission's own"
        flags = [f for f, on in (("LATE: registered after the polls closed", s["late"]),
                                 (("TIME NOT WITNESSED: no checkpoint the witnesses cosigned "
                                  "holds its registration"), s.get("time_witnessed") is False),
                                 (f"REVOKED at {s['revoked_at']} ({s['revoked_reason']})",
                                  s["revoked_at"])) if on]
        out.append(f"signer: station {s['station']} ({s['contest']}, leaf {s['leaf']}): key "
                   f"{s['key']} of {s.get('on_behalf_by') or s['commission']}, registered {s['registered_at']}"
                   + (f" (in the log by {s['registered_by']}, by the witnesses' clocks)"
                      if s.get("registered_by") else "") + f", {how}"
                   + "".join(f"; {f}" for f in flags))
    return out
