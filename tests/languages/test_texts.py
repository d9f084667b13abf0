"""A text of the code is named by its English and its module's context, and reads its other
written languages from the catalogues the pages use (sailau.languages.messages)."""

import json
import os

import pytest

from sailau import languages
from sailau.languages import Text, messages, texts

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "tests.area"
msgid "Ballots received"
msgstr "{text}"

msgctxt "tests.other"
msgid "Ballots received"
msgstr "{other}"

#, fuzzy
msgctxt "tests.area"
msgid "A guess"
msgstr "{text} (guess)"
'''


def _catalogue(root, lang, text, other="other"):
    path = root / messages.locale_name(lang) / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO.format(text=text, other=other), encoding="utf-8")
    return path


@pytest.fixture
def catalogues(tmp_path, monkeypatch):
    monkeypatch.setattr(messages, "DIRECTORIES", [tmp_path])
    _catalogue(tmp_path, "kk", "Алынған бюллетеньдер")
    _catalogue(tmp_path, "ru", "Получено бюллетеней", other="Бюллетени получены")
    return tmp_path


def test_a_text_of_the_code_reads_the_catalogues_in_its_context(catalogues):
    T = texts("tests.area")
    text = T("Ballots received")
    assert dict(text) == {"kk": "Алынған бюллетеньдер", "ru": "Получено бюллетеней",
                          "en": "Ballots received"}
    # the same English in another context is another message
    assert texts("tests.other")("Ballots received")["ru"] == "Бюллетени получены"
    # written into JSON as a text of data is, byte for byte, in the order of WRITTEN
    assert json.dumps(text) == json.dumps(Text(kk="Алынған бюллетеньдер",
                                                ru="Получено бюллетеней", en="Ballots received"))
    assert text["kk-latn"] == "Alynğan biulletender"
    assert text.in_language("ru-RU") == "Получено бюллетеней"
    assert (text.context, text.source) == ("tests.area", "Ballots received")


def test_a_text_the_catalogue_lacks_is_refused_when_made(catalogues):
    T = texts("tests.area")
    with pytest.raises(TypeError, match=r"no text in kk, ru for 'Not there'.*kk/LC_MESSAGES"):
        T("Not there")
    with pytest.raises(TypeError, match="no text in kk, ru for 'A guess'"):  # fuzzy is not a text
        T("A guess")
    with pytest.raises(TypeError, match="no text in kk, ru"):  # its context is part of its name
        texts("tests.elsewhere")("Ballots received")


def test_a_corrected_catalogue_is_read_again(catalogues):
    T = texts("tests.area")
    assert T("Ballots received")["kk"] == "Алынған бюллетеньдер"
    path = _catalogue(catalogues, "kk", "Алынған бюллетендер")

    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert T("Ballots received")["kk"] == "Алынған бюллетендер"


def test_a_language_listed_after_a_text_was_made_reads_its_catalogue(catalogues, monkeypatch):
    text = texts("tests.area")("Ballots received")
    _catalogue(catalogues, "xx", "[xx] Ballots received")
    monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, "xx"))
    monkeypatch.setattr(languages, "WRITTEN", (*languages.WRITTEN, "xx"))
    assert text["xx"] == text.in_language("xx") == "[xx] Ballots received"
    assert text.format()["xx"] == "[xx] Ballots received"  # a formatted text keeps it
    assert texts("tests.area")("Ballots received")["xx"] == "[xx] Ballots received"


def test_a_text_of_data_needs_its_english_and_only_written_languages():
    with pytest.raises(TypeError, match="not written: kk-latn"):
        Text(**{"kk": "а", "ru": "б", "en": "c", "kk-latn": "a"})
    with pytest.raises(TypeError, match="missing: en"):
        Text(kk="а", ru="б")
    assert Text("а", "б", "c") == Text(kk="а", ru="б", en="c")
    assert Text.same("R-12") == Text(kk="R-12", ru="R-12", en="R-12")
    # a station has no English address: a text of data without Russian reads the fallback's
    assert Text(kk="Абай көшесі", en="Abai street").in_language("ru") == "Абай көшесі"


@pytest.mark.parametrize("code, name", [("kk", "kk"), ("kk-latn", "kk_Latn"), ("pt-br", "pt_BR"),
                                        ("xx", "xx")])
def test_a_catalogue_is_where_django_reads_it(code, name):
    assert messages.locale_name(code) == name


def test_a_value_that_reads_by_language_goes_in_as_each_language_reads_it():
    elected = Text(kk="{name} сайланды", ru="{name} избран(а)", en="{name} was elected in {n}")
    name = {"kk": "Әлия", "ru": "Алия", "en": ""}  # a record's spellings: no English one
    assert dict(elected.format(name=name, n=2)) == {
        "kk": "Әлия сайланды", "ru": "Алия избран(а)", "en": "Әлия was elected in 2"}
    assert elected.format(name=name, n=2)["kk-latn"] == "Äliia sailandy"
