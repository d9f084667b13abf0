"""The one list of languages and the one way to read a language code (sailau.languages)."""

import pytest

from sailau.languages import (
    FALLBACK,
    LANGUAGES,
    WRITTEN,
    Text,
    column,
    in_script,
    language,
    page_words,
    pick,
    tag,
    written,
)


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


def test_kazakh_in_latin_script_is_made_from_the_cyrillic():
    t = Text(kk="Сайлау учаскесі", ru="Избирательный участок", en="Polling station")
    assert t["kk-latn"] == t.get("kk-Latn") == t.in_language("kk-Latn-KZ") == "Sailau uchaskesı"
    assert language("kk-Latn") == "kk-latn" and language("kk_Latn_KZ") == "kk-latn"


def test_a_records_spellings_are_picked_with_the_fallback():
    """A station has no English address: the Kazakh one; in Latin script, made from it."""
    spellings = {"kk": "Абай көшесі", "ru": "улица Абая"}
    assert [pick(spellings, lang) for lang in ("kk", "kk-latn", "ru", "en")] == [
        "Абай көшесі", "Abai köşesı", "улица Абая", "Абай көшесі"]
    assert pick({"kk": "Алматы", "ru": ""}, "ru") == "Алматы"
    assert written("kk-latn") == "kk" and written("ru") == "ru"
    assert in_script("Алматы", "kk-latn") == "Almaty" and in_script("Алматы", "kk") == "Алматы"


def test_one_fallback_order_kazakh_then_russian_then_english():
    """A text without the language asked reads in the first of FALLBACK it has, whatever the
    caller (errors, labels and names once fell back to English in some modules, to Kazakh in
    others); a derived language makes its text from what its source reads."""
    assert FALLBACK == ("kk", "ru", "en")
    assert pick({"ru": "улица Абая", "en": "Abai street"}, "kk") == "улица Абая"
    assert pick({"ru": "улица Абая", "en": "Abai street"}, "kk-latn") == "ulitsa Abaia"
    assert pick({"en": "Abai street"}, "ru") == "Abai street"
    assert pick({"kk": "Абай", "kk-latn": "Abay"}, "kk-latn") == "Abay"  # a Latin of its own
    assert pick({"kk": "", "ru": None}, "en") == "" and pick({}, "kk-latn") == ""


def test_a_catalogue_of_texts_reads_in_a_language_through_the_chooser():
    page = {"title": Text(kk="Тексеру", ru="Проверка", en="Checking"), "note": {"kk": "Ескерту"}}
    assert page_words(page, "ru") == {"title": "Проверка", "note": "Ескерту"}
    assert page_words(page, "kk-latn") == {"title": "Tekseru", "note": "Eskertu"}


def test_a_code_as_bcp_47_and_as_a_column_write_it():
    assert [tag(code) for code in LANGUAGES] == ["kk", "kk-Latn", "ru", "en"]
    assert [column("name", code) for code in LANGUAGES] == [
        "name_kk", "name_kk_latn", "name_ru", "name_en"]
