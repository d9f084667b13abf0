"""What the README and docs/ tell a person to type must exist: every `sailau …` command and
option written in a code span or block is one the parsers know, and every address the README's
first ten minutes gives resolves to a view (placeholders filled in)."""

import argparse
import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from sailau.cli import build_parser
from sailau.cli.reference import subcommands
from sailau.languages import LANGUAGES

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
GENERATED = ROOT / "docs" / "cli.md"


def _code(text: str) -> list[str]:
    """The code of a Markdown text: its fenced blocks' lines and its `spans`."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)
    rest = re.sub(r"```[a-z]*\n.*?```", "", text, flags=re.DOTALL)
    return [line for b in blocks for line in b.splitlines()] + re.findall(r"`([^`\n]+)`", rest)


def _commands(text: str) -> list[str]:
    """Each `sailau …` invocation in the code of a text, up to a comment or a pipe to a shell."""
    out = []
    for code in _code(text):
        for m in re.finditer(r"(?:^|[\s(/])sailau ([a-z][^#>]*)", code):
            out.append(m.group(1).strip())
    return out


def _check(words: str, parser) -> str | None:
    """None when `words` (what follows `sailau`) names a command and options it has, else why
    not. Alternatives (`grant|revoke|list`) and brackets are read as the words they hold."""
    tokens = [t for t in re.split(r"[\s\[\]|{}]+", words) if t]
    path = ["sailau"]
    while tokens and not tokens[0].startswith("-"):
        subs = dict(subcommands(parser))
        if not subs:
            break
        if tokens[0] not in subs:
            if len(path) == 1:
                return f"no command `sailau {tokens[0]}`"
            break  # an argument (or words of prose) after a command that has subcommands
        parser = subs[tokens.pop(0)]
        path.append(parser.prog.split()[-1])
    if any(a.nargs == argparse.REMAINDER for a in parser._actions):
        return None  # the rest is another program's (`sailau manage`: Django's commands)
    known = {s for a in parser._actions for s in a.option_strings}
    for t in tokens:
        option = t.split("=")[0].rstrip(".,;:)")
        if option.startswith("--") and len(option) > 2 and option not in known:
            return f"`{' '.join(path)}` has no option {option}"
    return None


@pytest.mark.parametrize("doc", [d for d in DOCS if d != GENERATED], ids=lambda d: d.name)
def test_every_command_written_in_the_docs_exists(doc):
    parser = build_parser()
    wrong = {words: why for words in _commands(doc.read_text())
             if (why := _check(words, parser))}
    assert not wrong, f"{doc.relative_to(ROOT)}: {wrong}"


def test_the_docs_give_commands_to_check():
    commands = [c for d in DOCS if d != GENERATED for c in _commands(d.read_text())]
    assert len(commands) >= 20
    assert any(c.startswith("verify http://127.0.0.1:8000/") for c in commands)


def test_a_command_or_option_that_does_not_exist_is_found():
    parser = build_parser()
    assert _check("verify ./copy --json", parser) is None
    assert _check("roles grant|revoke|list", parser) is None
    assert _check("pvt size --registered 5 --p 0.5", parser) is None
    assert "no command" in _check("publsh", parser)
    assert "has no option --stations" in _check("verify ./copy --stations 3", parser)
    assert "has no option --sample-size" in _check("pvt size --sample-size 3", parser)


def _readme_addresses() -> list[str]:
    text = (ROOT / "README.md").read_text()
    found = set(re.findall(r"`(/(?:kk|ru|en|api|snapshots|admin)[^`\s]*)`", text))
    found |= set(re.findall(r"http://127\.0\.0\.1:8000(/[^\s`)]*)", text))
    return sorted(found)


@pytest.mark.parametrize("address", _readme_addresses())
def test_every_address_in_the_readme_resolves(address):
    path = (address.replace("/E/", "/kz.mazhilis.2023-03-19/").replace("NUMBER", "10001")
            .split("?")[0].split(",")[0])
    if path.startswith("/snapshots/"):
        return  # answered before Django (sailau serve's front), not by a URL pattern
    lang = path.split("/")[1] if path.split("/")[1] in LANGUAGES else "kk"
    try:
        with translation.override(lang):  # the language prefix matches the active language
            resolve(path)
    except Resolver404:
        pytest.fail(f"README.md gives {address}, which no view answers")


def test_the_readme_gives_addresses():
    assert len(_readme_addresses()) >= 10


def _links(text: str) -> list[str]:
    """The targets of a Markdown text's links to files of the repository (not web addresses,
    not an anchor of the same page), without their anchor."""
    rest = re.sub(r"```[a-z]*\n.*?```", "", text, flags=re.DOTALL)
    return [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", rest)
            if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_link_to_a_file_reaches_one(doc):
    """The README once sent a person running it behind a proxy to a page that did not exist."""
    broken = [t for t in _links(doc.read_text()) if not (doc.parent / t).exists()]
    assert not broken, broken
