"""The catalogue of Kazakh in Latin script is made from the Kazakh one (sailau.languages.catalogue):
every message transliterated, Django's own Kazakh messages too (gettext would fall back to them in
Cyrillic), and a Latin text written by a person over the transliteration."""

import re

import polib

from sailau.languages import catalogue

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _po(path, entries):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "kk",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for e in entries:
        po.append(e)
    po.save(str(path))
    return path


def test_messages_are_transliterated_and_written_ones_win(tmp_path):
    source = _po(tmp_path / "kk.po", [
        polib.POEntry(msgid="Results", msgstr="Нәтижелер"),
        polib.POEntry(msgid="Turnout", msgstr="Қатысу"),
        polib.POEntry(msgid="%(n)d station", msgid_plural="%(n)d stations",
                      msgstr_plural={0: "%(n)d учаске", 1: "%(n)d учаске"}),
        polib.POEntry(msgid="Untranslated", msgstr=""),
    ])
    written = _po(tmp_path / "written.po", [polib.POEntry(msgid="Turnout", msgstr="Qatysu!")])
    django_mo = tmp_path / "django.mo"
    _po(tmp_path / "django.po", [polib.POEntry(msgid="This field is required.",
                                               msgstr="Бұл өріс міндетті.")])
    polib.pofile(str(tmp_path / "django.po")).save_as_mofile(str(django_mo))

    mo = catalogue.catalogue(source, written, [django_mo])
    got = {e.msgid: e.msgstr or e.msgstr_plural for e in mo}
    assert got["Results"] == "Nätijeler"
    assert got["Turnout"] == "Qatysu!"
    assert got["%(n)d station"] == {0: "%(n)d uchaske", 1: "%(n)d uchaske"}
    assert got["This field is required."] == "Būl örıs mındettı."
    assert "Untranslated" not in got  # read in English, as on a kk page


def test_the_built_catalogue_has_every_kazakh_message_and_no_cyrillic():
    """What scripts/bootstrap built (and Django reads): made from today's Kazakh catalogue."""
    built = polib.mofile(str(catalogue.build()))
    kazakh = polib.pofile(str(catalogue.SOURCE))
    ids = {(e.msgctxt, e.msgid) for e in built}
    assert {(e.msgctxt, e.msgid) for e in kazakh if e.translated() and not e.obsolete} <= ids
    assert [e.msgid for e in built
            if CYRILLIC.search(e.msgstr + "".join(e.msgstr_plural.values()))] == []
