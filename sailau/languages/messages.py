"""The texts written in code, read from the catalogues the pages use: each written language's
`sailau/locale/<locale>/LC_MESSAGES/django.po`, its entries with a `msgctxt` (the context a module
names, "errors.catalogue", "law.forms") and a `msgid` (the English text). Read without Django,
so that the law, the error model and `sailau verify` find them wherever they run.

The `.po` is read, not the compiled `.mo`: the `.po` is the source kept in git and installed
with the package, while the `.mo` exists only once `scripts/bootstrap` (or `sailau serve`) has
compiled it, and a stale one would give a text that was since corrected. Reading the three
catalogues takes a few hundredths of a second, once per process (again if a file changes)."""

from __future__ import annotations

from pathlib import Path

import polib

# Where the catalogues are read, in order (a later directory's entry wins): the project's own.
# A language added at test time puts its catalogue's directory here.
DIRECTORIES: list[Path] = [Path(__file__).resolve().parents[1] / "locale"]

_read: dict[tuple[str, int], dict[tuple[str, str], str]] = {}


def locale_name(lang: str) -> str:
    """The catalogue's directory for a language code, as Django names it ("kk-latn" ->
    "kk_Latn", "ru" -> "ru")."""
    first, _, rest = lang.partition("-")
    return first + ("_" + (rest.title() if len(rest) > 2 else rest.upper()) if rest else "")


def _entries(path: Path) -> dict[tuple[str, str], str]:
    """The translated entries with a context of one `.po` file, by (context, English)."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _read:
        _read[key] = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))
                      if e.msgctxt and e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    return _read[key]


def catalogue_path(lang: str) -> Path:
    """The project's catalogue of a language (where the texts of a new language go)."""
    return DIRECTORIES[0] / locale_name(lang) / "LC_MESSAGES" / "django.po"


def translation(lang: str, context: str, source: str) -> str | None:
    """The text in `lang` of the English `source` in `context`, from the catalogues; None when no
    catalogue has it."""
    found = None
    for directory in DIRECTORIES:
        try:  # one stat a catalogue: a text of the code is made at each import
            entries = _entries(directory / locale_name(lang) / "LC_MESSAGES" / "django.po")
        except FileNotFoundError:
            continue
        found = entries.get((context, source), found)
    return found
