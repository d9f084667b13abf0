"""The message catalogue of Kazakh in Latin script, made from the Kazakh one (scripts/bootstrap
runs `build`, beside compiling the other catalogues): every message of the project's Kazakh
catalogue and of Django's own Kazakh catalogues, transliterated (sailau.languages.latin), and
the Latin texts people wrote (`kk_Latn/LC_MESSAGES/django.po`, which may be empty) over them.

Made at build time rather than kept in git: the Kazakh catalogue is the one people edit, and a
message added to it reads in Latin script at the next bootstrap with no second file to keep in
step. Django's own messages are included because gettext falls back from kk_Latn to kk: a
message the Latin catalogue lacks would be shown in Cyrillic."""

from __future__ import annotations

from pathlib import Path

import polib

from sailau.languages.latin import from_cyrillic

LOCALE = Path(__file__).resolve().parents[1] / "locale"
SOURCE = LOCALE / "kk" / "LC_MESSAGES" / "django.po"
WRITTEN = LOCALE / "kk_Latn" / "LC_MESSAGES" / "django.po"
BUILT = LOCALE / "kk_Latn" / "LC_MESSAGES" / "django.mo"


def _django_catalogues() -> list[Path]:
    """Django's Kazakh catalogues (its own and its contrib apps')."""
    import django

    return sorted(Path(django.__file__).parent.glob("**/locale/kk/LC_MESSAGES/django.mo"))


def _latin(entry: polib.POEntry | polib.MOEntry) -> polib.MOEntry:
    out = polib.MOEntry(msgid=entry.msgid, msgctxt=entry.msgctxt,
                        msgid_plural=entry.msgid_plural)
    if entry.msgid_plural:
        out.msgstr_plural = {n: from_cyrillic(s) for n, s in entry.msgstr_plural.items()}
    else:
        out.msgstr = from_cyrillic(entry.msgstr)
    return out


def catalogue(source: Path = SOURCE, written: Path = WRITTEN,
              django_catalogues: list[Path] | None = None) -> polib.MOFile:
    """The Latin catalogue: Django's messages, then the project's, then the written ones (a
    later one wins)."""
    entries: dict[tuple, polib.MOEntry] = {}
    kazakh = polib.pofile(str(source))
    for path in _django_catalogues() if django_catalogues is None else django_catalogues:
        for e in polib.mofile(str(path)):
            if e.msgid and (e.msgstr or e.msgstr_plural):
                entries[(e.msgctxt, e.msgid)] = _latin(e)
    for e in kazakh:
        if e.msgid and not e.obsolete and e.translated():
            entries[(e.msgctxt, e.msgid)] = _latin(e)
    if written.exists():
        for e in polib.pofile(str(written)):
            if e.msgid and not e.obsolete and e.translated():
                entries[(e.msgctxt, e.msgid)] = polib.MOEntry(
                    msgid=e.msgid, msgctxt=e.msgctxt, msgid_plural=e.msgid_plural,
                    msgstr=e.msgstr, msgstr_plural=e.msgstr_plural)
    mo = polib.MOFile()
    mo.metadata = {**kazakh.metadata, "Language": "kk_Latn",
                   "Content-Type": "text/plain; charset=UTF-8"}
    mo.extend(entries.values())
    return mo


def build(target: Path = BUILT) -> Path:
    """Write the catalogue where Django reads it (when it is older than what it is made of)."""
    from sailau.languages import latin

    sources = [p for p in (SOURCE, WRITTEN, Path(latin.__file__), Path(__file__)) if p.exists()]
    if target.exists() and target.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue().save(str(target))
    return target


def compile_all(locale: Path = LOCALE) -> list[Path]:
    """Every catalogue where Django reads it: each language's `.mo` from its `.po` (the source,
    merged as text) when older, then Kazakh in Latin script (`build`). Cheap when nothing
    changed (a stat each), so that `sailau demo` and `sailau serve` call it at start: a checkout
    run without `scripts/bootstrap` would otherwise serve every page in English. Returns the
    `.mo` files it wrote."""
    wrote = []
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        if po.parent.parent.name == "kk_Latn":
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))
            wrote.append(mo)
    build()
    return wrote
