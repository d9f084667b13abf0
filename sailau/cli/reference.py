"""The CLI reference, `docs/cli.md`, written from the argument parsers themselves so that it
cannot say anything the command does not: `python -m sailau.cli.reference > docs/cli.md`.
`tests/cli/test_reference.py` fails when the file differs from what this prints."""

import argparse
import functools
import sys

from sailau.cli import build_parser

# A fixed width: argparse otherwise wraps to the terminal it runs in, and the file would depend
# on who generated it.
WIDTH = 100

HEADER = """\
# The `sailau` command

Generated from the argument parsers by `python -m sailau.cli.reference > docs/cli.md`; do not
edit by hand (`tests/cli/test_reference.py` fails when this file and the parsers disagree).

After `make install` (or `make demo`, `make test`) the command is `.venv/bin/sailau`, or plain
`sailau` after `. .venv/bin/activate`.

The files the commands read are described apart: the election's structure that
`sailau structure import` reads, in [structure-format.md](structure-format.md).
"""


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """The parser's subcommands in the order they were registered."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen, out = set(), []
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # an alias names the same parser again
                    seen.add(id(sub))
                    out.append((name, sub))
            return out
    return []


def _help(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = functools.partial(parser.formatter_class, width=WIDTH)
    if hasattr(parser, "color"):  # Python 3.14 colours help on a terminal
        parser.color = False
    return parser.format_help().rstrip()


def _walk(parser, path):
    yield path, parser
    for name, sub in subcommands(parser):
        yield from _walk(sub, [*path, name])


def render() -> str:
    commands = list(_walk(build_parser(), ["sailau"]))
    lines = [HEADER, "## Commands", ""]
    for path, _ in commands[1:]:
        name = " ".join(path)
        anchor = "-".join(path)
        lines.append(f"{'  ' * (len(path) - 2)}- [`{name}`](#{anchor})")
    for path, parser in commands:
        name = " ".join(path)
        lines += ["", f"{'#' * min(len(path) + 1, 4)} {name}", "", "```text", _help(parser), "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
