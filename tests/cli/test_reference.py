"""docs/cli.md is what the argument parsers say: a changed option, help text or subcommand
without `python -m sailau.cli.reference > docs/cli.md` fails here."""

from pathlib import Path

from sailau.cli import reference

DOC = Path(__file__).parents[2] / "docs" / "cli.md"


def test_cli_reference_is_what_the_parsers_say():
    assert DOC.read_text() == reference.render(), (
        "docs/cli.md differs from the parsers: run `python -m sailau.cli.reference > docs/cli.md`")


def test_every_command_and_subcommand_has_its_section():
    text = reference.render()
    for name in ("sailau demo", "sailau verify", "sailau pvt size", "sailau keys issue",
                 "sailau register import", "sailau video expire"):
        assert f"\n### {name}\n" in text or f"\n#### {name}\n" in text, name
    assert "usage: sailau pvt size" in text


def test_the_width_is_fixed_whatever_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow = reference.render()
    monkeypatch.setenv("COLUMNS", "250")
    assert reference.render() == narrow
