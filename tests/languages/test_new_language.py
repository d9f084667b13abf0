"""A language added at test time as a catalogue and a list entry, with no other change: every
text of the code, the one chooser, the pages and the data's names serve it.

`xx` is a written pseudo-language: its catalogue (`xx/LC_MESSAGES/django.po`, in a directory of
the test's own) is the project's Kazakh catalogue with each text the English one with "[xx] "
before it, the pages' messages and the texts of the code alike. test_new_language_logged.py takes
it through a structure file, the log and `sailau verify`; what does not follow the list is in
docs/languages.md."""

import gc
import importlib
import importlib.util
import json
import pkgutil

import polib
import pytest
from django.test import override_settings

import sailau
from sailau import languages
from sailau.elections.models import SpellingError, spelled
from sailau.languages import Text, language, messages, pick

PREFIX = "[xx] "


def _pseudo(text: str) -> str:
    return PREFIX + text


def _catalogue(directory, lang: str, translate) -> None:
    """A catalogue of every message of the project's (the pages' and the code's), as `.po` (the
    code reads it) and `.mo` (Django does)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
    for e in polib.pofile(str(messages.catalogue_path("kk"))):
        if e.msgid and not e.obsolete:
            po.append(polib.POEntry(
                msgctxt=e.msgctxt, msgid=e.msgid, msgstr=translate(e.msgid),
                msgid_plural=e.msgid_plural,
                msgstr_plural={n: translate(e.msgid_plural or e.msgid) for n in e.msgstr_plural}))
    path = directory / messages.locale_name(lang) / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))


@pytest.fixture
def pseudo(tmp_path, monkeypatch):
    """"xx" in the list of languages, its catalogue beside the project's; nothing else
    changed. Every module is imported before "xx" is listed: one imported first while it is
    would keep the test's list in its names for the other tests of the process."""
    _import_every_module()
    _catalogue(tmp_path, "xx", _pseudo)
    monkeypatch.setattr(messages, "DIRECTORIES", [*messages.DIRECTORIES, tmp_path])
    monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, "xx"))
    monkeypatch.setattr(languages, "WRITTEN", (*languages.WRITTEN, "xx"))
    monkeypatch.setattr(languages, "NAMES", {**languages.NAMES, "xx": "Pseudo"})
    return tmp_path


def _import_every_module() -> None:
    for m in pkgutil.walk_packages(sailau.__path__, "sailau."):
        if ".migrations" not in m.name and not m.name.endswith("__main__"):
            importlib.import_module(m.name)


def _every_text() -> list[Text]:
    """Every Text the project's modules hold once imported (the errors' catalogue, the law's
    lines and relations, the refusals, the pages' words)."""
    _import_every_module()
    # by type, not isinstance: a lazy object left by another test (a response's resolver match)
    # would be evaluated by isinstance, outside the request it belonged to
    return [o for o in gc.get_objects() if issubclass(type(o), Text)]


def _fresh(module: str):
    """`module` imported again, as a process that starts with the language listed would."""
    path = importlib.util.find_spec(module).origin
    spec = importlib.util.spec_from_file_location(module + "_again", path)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    return fresh


def test_every_text_of_the_code_serves_a_language_added_as_a_catalogue(pseudo):
    assert language("xx") == "xx" and language("XX-yy") == "xx"
    texts = _every_text()
    of_code = [t for t in texts if t.context]
    assert len(of_code) > 600  # the errors' catalogue alone has more than a hundred
    wrong = [(t.context, t.source) for t in of_code
             if not (t["xx"] == t.get("xx") == t.in_language("xx") == pick(t, "xx")
                     == _pseudo(t["en"]))]
    assert wrong == []
    # a text formatted with figures keeps the language
    issued = "Ballots issued ({lhs}) exceed the voters on the list ({rhs}) by {diff}."
    relation = next(t for t in of_code if (t.context, t.source) == ("law.forms", issued))
    assert relation.format(lhs=12, rhs=10, diff=2)["xx"] == \
        "[xx] Ballots issued (12) exceed the voters on the list (10) by 2."
    # a text of data (a name read from a file) that lacks it reads the one fallback
    assert Text(kk="Абай көшесі", ru="улица Абая", en="Abai street").in_language("xx") == \
        "Абай көшесі"


def test_a_module_imported_with_the_language_listed_writes_it(pseudo):
    page = _fresh("sailau.evidence.texts").PAGE
    title = next(iter(page.values()))
    assert list(json.loads(json.dumps(title))) == ["kk", "ru", "en", "xx"]
    assert title["xx"] == _pseudo(title["en"])


def test_a_written_language_without_its_catalogue_is_refused_at_import(monkeypatch):
    monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, "yy"))
    monkeypatch.setattr(languages, "WRITTEN", (*languages.WRITTEN, "yy"))
    with pytest.raises(TypeError, match=r"no text in yy for .*yy/LC_MESSAGES/django.po"):
        _fresh("sailau.evidence.texts")


def _site_in(lang_list):
    return override_settings(
        LANGUAGES=[(code, languages.NAMES[code]) for code in lang_list],
        LOCALE_PATHS=[str(d) for d in messages.DIRECTORIES])


@pytest.mark.django_db
def test_pages_and_the_api_serve_it(pseudo, client):
    with _site_in(languages.LANGUAGES):
        page = client.get("/xx/voters/")
        assert page.status_code == 200
        html = page.content.decode()
        assert '<html lang="xx">' in html and ">Pseudo</a>" in html and PREFIX in html
        # an API refusal's message is a text of the code
        refused = client.get("/api/no/such/thing", HTTP_ACCEPT_LANGUAGE="xx")
        assert refused.status_code == 404
        assert refused.json()["message"] == _pseudo("No API operation at this address")


@pytest.mark.django_db
def test_a_name_given_in_it_is_stored_and_shown_with_no_schema_change(pseudo, client):
    """The data's names are a mapping by written language: a commission named in "xx" keeps
    the name (no column, no migration) and its page in "xx" shows it; the Kazakh page still
    shows the Kazakh name."""
    from tests.factories import CommissionFactory, ElectionFactory

    e = ElectionFactory()
    c = CommissionFactory(election=e, level="territorial", number=7,
                          names=spelled(kk="Абай облысы аумақтық сайлау комиссиясы",
                                        en="Abai region territorial election commission",
                                        xx="Xx Abai commission"))
    c.full_clean()
    c.refresh_from_db()
    assert c.names["xx"] == "Xx Abai commission" == c.name("xx")
    with _site_in(languages.LANGUAGES):
        page = client.get(f"/xx/e/{e.id}/c/{c.id}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Xx Abai commission" in html and '<html lang="xx">' in html
        assert "Xx Abai commission" not in client.get(f"/kk/e/{e.id}/c/{c.id}/").content.decode()


def test_a_spelling_in_a_language_not_listed_is_refused():
    """Without "xx" in the list, a name given in it is refused by the project's error model
    (its code, the field), not stored where no page reads it."""
    with pytest.raises(SpellingError) as refused:
        spelled(kk="Абай", xx="Xx Abai")
    assert refused.value.code == "unknown_language" and refused.value.field == "names"
    assert "xx" in refused.value.text("en")
    assert refused.value.text("ru") != refused.value.text("en")  # the code's own Russian
    with pytest.raises(SpellingError):
        spelled({"kk-latn": "Abai"}, "addresses")  # a derived language is made, never kept
    assert spelled(kk="Абай", ru="", en=None) == {"kk": "Абай"}
