"""Every source is cited so that a reader can follow it: by its public title, date and number
(and its address where it has one), never by a folder outside the repository, a specification
that is not published with it, or an issue number of the project's tracker. One grep over the
repository's text files (code, docs, tests, examples, audit data the code writes)."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
FOLDERS = ("sailau", "tests", "docs", "benchmarks", "examples", "scripts", ".ci")
SKIP = {"vendor", "node_modules", "__pycache__", "static_site_build"}
SUFFIXES = {".py", ".md", ".txt", ".json", ".csv", ".html", ".js", ".po", ".toml", ".yml",
            ".yaml", ".cfg", ".sh", ".xml", ".svg", ""}
# Built from pieces so that this file does not match its own patterns.
FORBIDDEN = (
    ("a folder of source documents outside the repository", re.compile("seed" + r"s/")),
    ("an unpublished specification", re.compile(r"\b" + "SP" + r"EC\b")),
    ("an issue number", re.compile(r"\b[Ii]" + r"ssue #?\d+")),
)


def _texts():
    """(path, text) of each text file under FOLDERS and at the top level."""
    paths = [p for p in ROOT.iterdir() if p.is_file()]
    for folder in FOLDERS:
        if (ROOT / folder).is_dir():
            paths += [p for p in (ROOT / folder).rglob("*") if p.is_file()]
    for path in sorted(paths):
        if SKIP & set(path.relative_to(ROOT).parts) or path.suffix not in SUFFIXES:
            continue
        try:
            yield path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


def citations(text: str) -> list[tuple[int, str]]:
    """(line number, what is cited) for each forbidden citation in `text`."""
    return [(n, what) for n, line in enumerate(text.splitlines(), 1)
            for what, pattern in FORBIDDEN if pattern.search(line)]


def test_the_patterns_catch_what_they_must_and_pass_a_public_title():
    bad = ("facts from " + "seed" + "s/003.txt", "votes as in " + "SP" + "EC",
           "Sailau " + "is" + "sue 15 (Constitutional Law)", "(Is" + "sue 17, item 3)")
    assert [len(citations(line)) for line in bad] == [1, 1, 1, 1]
    good = ("Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, "
            "art. 54; summed over the seeds; SPEC_RULES; tissue 4; issued 15 days before")
    assert citations(good) == []


def test_no_file_cites_a_folder_a_specification_or_an_issue():
    found = [f"{path.relative_to(ROOT)}:{n}: {what}" for path, text in _texts()
             for n, what in citations(text)]
    assert found == []
