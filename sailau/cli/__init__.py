"""The `sailau` command. Each subcommand lives in its own module with a `register(subparsers)`
function; modules import their heavy dependencies inside the handlers so that quick commands
(`sailau outcome`) start fast."""

import argparse
import importlib
import sys

# One module per part of the mission; add a module here to add its subcommands.
COMMAND_MODULES = [
    "sailau.cli.law",
    "sailau.cli.demo",
    "sailau.cli.serve",
    "sailau.cli.structure",
    "sailau.cli.forensics",
    "sailau.cli.manage",
    "sailau.cli.register",
    "sailau.cli.audit",
    "sailau.cli.publish",
    "sailau.cli.pvt",
    "sailau.cli.tally",
    "sailau.cli.accounts",
    "sailau.cli.roles",
    "sailau.cli.keys",
    "sailau.cli.log",
    "sailau.cli.verify",
    "sailau.cli.witness",
    "sailau.cli.mirror",
    "sailau.cli.finance",
    "sailau.cli.candidates",
    "sailau.cli.video",
]


class CommandError(Exception):
    """Bad input from the user: printed without a traceback, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sailau", description="Sailau: open election results and integrity for Kazakhstan")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a part not written yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except CommandError as exc:
        print(f"sailau {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from sailau.errors import SailauError  # here: `sailau outcome` starts without catalogues
        if not isinstance(exc, SailauError):
            raise
        # a refusal of the error model: its code and message, no traceback
        print(f"sailau {args.command}: {exc.code}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sailau ... | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
