"""The one list of languages and the one way to read a language code (sailau.languages)."""

import pytest

from sailau.languages import LANGUAGES, WRITTEN, Text, language


@pytest.mark.parametrize(("code", "expected"), [
    ("kk", "kk"), ("ru-RU", "ru"), ("RU", "ru"), ("en_GB", "en"), ("kk-KZ", "kk"),
    ("de", "kk"), ("", "kk"), (None, "kk"), ("k", "kk"),
])
def test_a_code_is_read_as_one_of_the_languages(code, expected):
    assert language(code) == expected


def test_the_default_is_the_callers():
    assert language("de", default="en") == "en"
    assert language(None, default="en") == "en"


def test_every_written_language_is_offered():
    assert set(WRITTEN) <= set(LANGUAGES)


def test_a_text_reads_in_every_language_and_by_any_code():
    t = Text(kk="сайлау", ru="выборы", en="election")
    assert [t.in_language(lang) for lang in ("kk", "ru-RU", "en", "de")] == [
        "сайлау", "выборы", "election", "сайлау"]
    assert t.get("ru_RU") == "выборы" and t.get("de") is None
    assert dict(t) == {"kk": "сайлау", "ru": "выборы", "en": "election"}  # JSON as before


def test_a_text_formats_and_changes_alike_in_every_language():
    t = Text(kk="{n} учаске", ru="{n} участков", en="{n} stations").format(n=3)
    assert isinstance(t, Text) and t["ru"] == "3 участков"
    assert t.map(lambda s: f"x: {s}")["en"] == "x: 3 stations"
