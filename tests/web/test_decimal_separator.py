"""One decimal separator per page language for a figure shown as text: a comma on Kazakh (both
scripts) and Russian pages, a point on English ones, whether the figure is written by the
pages' own filters (`pct`, `fraction`) or localised by Django (`{{ share }}`, `floatformat`):
a Russian page wrote "40.00%" beside "0,7670", a Kazakh one "0.7670". An attribute or an SVG
coordinate keeps the point (`floatformat:"2u"`)."""

import pytest
from django.template import Context, Template
from django.utils import translation

COMMA = ("kk", "kk-latn", "ru")

PAGE = Template('{% load sailau %}{{ share|pct }} {{ share|pct:1 }} {{ exact|fraction }} '
                '{{ estimate|floatformat:4 }} {{ percent }} '
                '<rect width="{{ share|floatformat:"2u" }}"/>')


@pytest.mark.parametrize("lang", [*COMMA, "en"])
def test_every_figure_of_a_page_has_its_language_s_separator(lang):
    with translation.override(lang):
        text = PAGE.render(Context({"share": 40, "exact": "244868/3", "estimate": 0.767,
                                    "percent": 12.5}))
    if lang in COMMA:
        assert text == '40,00% 40,0% 81\u202f622,67 0,7670 12,5 <rect width="40.00"/>'
    else:
        assert text == '40.00% 40.0% 81\u202f622.67 0.7670 12.5 <rect width="40.00"/>'
