"""A language added to the list, at test time, with no other change: every `Text` the project
writes and the one chooser serve it.

`xx` is a pseudo-language: each text is the English one with "[xx] " before it, made as Kazakh in
Latin script is made from the Cyrillic (a derived language, `DERIVED`). A second written
pseudo-language shows the other half: a `Text` that lacks a written language of the list is
refused when its module is imported. What does not yet follow the list (Django's settings, the
database's columns, the log leaves' names) is in docs/languages.md."""

import gc
import importlib
import pkgutil

import pytest

import sailau
from sailau import languages
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
