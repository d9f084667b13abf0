"""The figures computed from a protocol's lines are defined once, in sailau/law/figures.py: the
ballots issued, the turnout and how a file rounds it, a choice's share."""

import re
from pathlib import Path

import pytest

import sailau
from sailau.law import figures

FIG = {"voters_on_list": 1200, "issued_in_room": 700, "issued_mobile": 31,
       "issued_absentee": 2, "invalid": 7}


def test_ballots_issued_are_the_three_issued_lines():
    assert figures.issued(FIG) == 733
    assert figures.issued({"issued_in_room": 5}) == 5  # a line the form lacks counts as none


def test_turnout_is_exact_and_a_file_rounds_it():
    assert figures.turnout(FIG) == pytest.approx(61.083333, abs=1e-6)
    assert figures.published_turnout(FIG) == 61.08
    assert figures.turnout({"issued_in_room": 3}) is None  # no list: no turnout
    assert figures.published_turnout({}) is None


def test_a_share_is_of_the_votes_and_the_invalid_ballots():
    choices = {"a": 300, "b": 100}
    assert figures.counted(FIG, choices) == 407
    assert figures.share(100, 407) == pytest.approx(24.5700, abs=1e-4)
    assert figures.share(0, 0) == 0.0


def test_no_other_module_defines_them():
    """The forensics (analysis/, below the law in the layers, read files that are not the
    project's) keep their ratios over numpy columns: they are not pages or files of ours."""
    root = Path(sailau.__file__).parent
    found = [f"{p.relative_to(root)}: {m.group(0)}" for p in sorted(root.rglob("*.py"))
             if p != root / "law" / "figures.py" and "analysis" not in p.parts
             for m in re.finditer(r"^\s*def (issued|turnout|share)\(", p.read_text(),
                                  re.MULTILINE)]
    assert found == []
