"""A single-member district's card on a phone says nothing of what has not arrived: at 0 %
reported its share and time cells are marked `none` (hidden in a card, a dash in the desktop's
column) instead of "%: —" and "as of: —" under the district's name."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.django_db


def _row(reported: bool):
    contest = SimpleNamespace(name="№ 1 округ", commission_id="kz.test.tec.1",
                              contest_kind=SimpleNamespace(wording=None))
    leader = SimpleNamespace(name="A", share=41.5) if reported else None
    return SimpleNamespace(contest=contest, status="leading" if reported else "", leader=leader,
                           tied=[], runoff=[], reported=1 if reported else 0, expected=3,
                           as_of=None)


def _cells(html: str) -> list[str]:
    return [c for c in html.split("<td")[1:]]


def test_nothing_counted_hides_the_share_and_the_time_in_a_card():
    with translation.override("ru"):
        html = render_to_string("publish/_districts.html", {
            "districts": [_row(False)], "election": SimpleNamespace(id="kz.test"),
            "national": True})
    share, as_of = _cells(html)[1], _cells(html)[3]
    assert 'class="n none"' in share and "—" in share
    assert 'class="none"' in as_of and "—" in as_of


def test_a_counted_district_shows_its_share():
    with translation.override("ru"):
        html = render_to_string("publish/_districts.html", {
            "districts": [_row(True)], "election": SimpleNamespace(id="kz.test"),
            "national": True})
    share = _cells(html)[1]
    assert "none" not in share and "41" in share


def test_the_phone_stylesheet_hides_an_empty_cell_of_a_card():
    """The `none` class hides the cell only where a row is a card: the stylesheet's rule for a
    stacked table's `td.none` is `display:none`, inside the narrow screens' block (on a desktop
    the cell keeps its dash in the column)."""
    import re
    from pathlib import Path

    import sailau

    css = (Path(sailau.__file__).parent / "web/static/web/site.css").read_text()
    rule = re.search(r"([^{}]*table\.stack td\.none[^{}]*)\{([^}]*)\}", css)
    assert rule and re.search(r"display\s*:\s*none", rule.group(2)), rule
    block = css[:rule.start()].rsplit("@media", 1)[-1]  # from the last @media before it
    assert block.startswith(" (max-width:") and block.count("{") > block.count("}")  # still open
    with translation.override("ru"):
        html = render_to_string("publish/_districts.html", {
            "districts": [_row(False)], "election": SimpleNamespace(id="kz.test"),
            "national": True})
    assert re.search(r'<table class="[^"]*\bstack\b', html)
