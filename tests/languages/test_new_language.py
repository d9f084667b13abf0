"""A language added to the list, at test time, with no other change: every `Text` the project
writes and the one chooser serve it.

`xx` is a pseudo-language: each text is the English one with "[xx] " before it, made as Kazakh in
Latin script is made from the Cyrillic (a derived language, `DERIVED`). A second written
pseudo-language shows the other half: a `Text` that lacks a written language of the list is
refused when its module is imported. What does not yet follow the list (Django's settings, the
database's columns, the log leaves' names) is in docs/languages.md."""

import gc
import importlib
import importlib.util
import pkgutil

import pytest

import sailau
from sailau import languages
from sailau.elections.models import Station, spellings
from sailau.languages import Text, language, pick

PREFIX = "[xx] "


def _pseudo(text: str) -> str:
    return PREFIX + text


@pytest.fixture
def pseudo(monkeypatch):
    """"xx" in the list of languages, made from English; nothing else changed."""
    monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, "xx"))
    monkeypatch.setattr(languages, "NAMES", {**languages.NAMES, "xx": "Pseudo"})
    monkeypatch.setattr(languages, "DERIVED", {**languages.DERIVED, "xx": ("en", _pseudo)})


def _every_text() -> list[Text]:
    """Every Text the project's modules hold once imported (its catalogues, the law's lines and
    relations, the refusals, the pages' words)."""
    for m in pkgutil.walk_packages(sailau.__path__, "sailau."):
        if ".migrations" not in m.name and not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    return [o for o in gc.get_objects() if isinstance(o, Text)]


def test_every_text_and_the_chooser_serve_a_language_added_to_the_list(pseudo):
    assert language("xx") == "xx" and language("XX-yy") == "xx"
    texts = _every_text()
    assert len(texts) > 500  # the errors' catalogue alone has more than a hundred
    wrong = [dict(t) for t in texts
             if not (t["xx"] == t.get("xx") == _pseudo(t["en"])
                     and t.in_language("xx") == pick(t, "xx") == _pseudo(pick(t, "en")))]
    assert wrong == []
    # a record's own spellings (a station has no English address): the fallback's, made
    assert pick({"kk": "Абай көшесі", "ru": "улица Абая"}, "xx") == _pseudo("Абай көшесі")
    assert languages.every_language(Text(kk="а", ru="б", en="c"))["xx"] == _pseudo("c")


def test_a_text_lacking_a_written_language_of_the_list_is_refused_at_import(monkeypatch):
    monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, "yy"))
    monkeypatch.setattr(languages, "WRITTEN", (*languages.WRITTEN, "yy"))
    with pytest.raises(TypeError, match="missing: yy"):
        Text(kk="сайлау", ru="выборы", en="election")
    both = Text(kk="сайлау", ru="выборы", en="election", yy="yy-election")
    assert both.in_language("yy") == "yy-election" and dict(both)["yy"] == "yy-election"
    # a module of texts fails as it is imported, not when a page shows one of its texts
    path = importlib.util.find_spec("sailau.evidence.texts").origin
    spec = importlib.util.spec_from_file_location("evidence_texts_with_yy", path)
    with pytest.raises(TypeError, match="missing: yy"):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    # a row's spellings have no column for it yet: its pages read the fallback's spelling
    row = Station(address="Абай көшесі", address_ru="улица Абая")
    assert spellings(row, "address")["yy"] == ""
    assert pick(spellings(row, "address"), "ru") == "улица Абая"


def test_a_text_takes_only_the_written_languages():
    with pytest.raises(TypeError, match="not written: kk-latn"):
        Text(**{"kk": "а", "ru": "б", "en": "c", "kk-latn": "a"})
    with pytest.raises(TypeError, match="missing: en"):
        Text(kk="а", ru="б")
    assert Text("а", "б", "c") == Text(kk="а", ru="б", en="c")
    assert Text.same("R-12") == Text(kk="R-12", ru="R-12", en="R-12")
