"""An observer's copy against the official protocol: the lines that differ, in the paper's order."""

from sailau.law.forms import LINE_KEYS, LINES
from sailau.observation.compare import differences


def test_differences_follow_the_papers_line_order():
    """Every line and two choices differ: the figures come in the order of the lines' numbers
    (a station's table listed them 2, 6, 8, 11, 3, 13, 1: their keys' alphabetical order), then
    the choices."""
    official = {key: 100 for key in LINE_KEYS}
    copy = {key: 99 for key in reversed(LINE_KEYS)}
    found = differences(official, {"b": 5, "a": 5}, copy, {"a": 4, "b": 4})
    figures = [d["line"] for d in found if d["part"] == "figures"]
    assert [LINES[k].number for k in figures] == sorted(LINES[k].number for k in LINE_KEYS)
    assert [d["line"] for d in found if d["part"] == "choices"] == ["a", "b"]
    assert [d["part"] for d in found] == ["figures"] * len(LINE_KEYS) + ["choices"] * 2
