"""The guides for a complainant and for the body that decides a complaint state the law's terms
as `sailau/law/deadlines.py` holds them: a term changed there and not in the guides fails here."""

import re
from pathlib import Path

import pytest

from sailau.law.deadlines import KZ_2022

GUIDES = Path(__file__).resolve().parents[1] / "docs" / "guides"


def _rows(name: str) -> dict[str, str]:
    """The guide's table of terms: {what: term}."""
    text = (GUIDES / name).read_text(encoding="utf-8")
    section = text[text.index("## Deadlines"):]
    return {m[1].strip(): m[2].strip()
            for m in re.finditer(r"^\| ([^|]+) \| ([^|]+) \|$", section, re.MULTILINE)}


@pytest.mark.parametrize("name", ["complainant.md", "decider.md"])
def test_the_guides_give_the_laws_terms(name):
    rows = _rows(name)
    terms = " ".join(rows.values())
    t = KZ_2022
    assert f"within {t.commission_days} days" in terms
    assert f"within {t.higher_on_lower_days} days" in terms
    assert f"within {t.court_days} days" in terms
    near = next(k for k in rows if "before election day" in k)
    assert f"within {t.immediate_window_days} days before election day" in near
    assert any("voter lists" in k and "same day" in v for k, v in rows.items()) \
        == t.voter_list_same_day
    text = (GUIDES / name).read_text(encoding="utf-8")
    assert f"{t.contest_days} days" in text and t.name in text
    flat = " ".join(text.split())
    for report in ("Kazakhstan early parliamentary elections 19 March 2023",
                   "Kazakhstan constitutional referendum 5 June 2022"):  # the terms' sources
        assert report in flat and any(report in s.title for s in t.sources)
