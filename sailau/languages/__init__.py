"""The languages Sailau speaks, the one way to read a language code, and the one value type of a
text written in code (`Text`). Pure Python (the law and the error model use it, without Django).

`LANGUAGES` is every language a page or an API answer can be in. `WRITTEN` are those a
person writes texts in (kk, ru, en); every other language is derived from one of them (Kazakh in
Latin script from the Cyrillic Kazakh, see `DERIVED`). A text written in code is named by its
English and its module's context (`texts`), its other written languages read from the catalogues
(`messages`), and reads in all. Django's LANGUAGES (settings), the API's `lang` and every
place that used to cut a code to two letters read a code with `language()`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sailau.languages import messages
from sailau.languages.latin import from_cyrillic

KAZAKH, KAZAKH_LATIN, RUSSIAN, ENGLISH = "kk", "kk-latn", "ru", "en"

# Every language offered, in the order of the language switch. Codes are Django's: lower case
# ("kk-latn" is BCP 47's kk-Latn, and the pages' path prefix /kk-latn/).
LANGUAGES: tuple[str, ...] = (KAZAKH, KAZAKH_LATIN, RUSSIAN, ENGLISH)
# The languages people write texts in (catalogues, the law's texts, the data's names).
WRITTEN: tuple[str, ...] = (KAZAKH, RUSSIAN, ENGLISH)
# The language a text of the code is written in and named by (gettext's msgid); the others
# are its translations in the catalogues.
SOURCE = ENGLISH
# Each language's own name, as the language switch shows it.
NAMES: dict[str, str] = {KAZAKH: "Қазақша", KAZAKH_LATIN: "Qazaqşa", RUSSIAN: "Русский",
                         ENGLISH: "English"}
# Where a text lacks the language asked, it reads in the first of these it has: Kazakh, the state
# language, then Russian, used officially on a par with it in state bodies (Constitution of the
# RK, 30 August 1995, art. 7), then English. `pick` is the one place this order is applied.
FALLBACK: tuple[str, ...] = WRITTEN
# The languages of the state's own papers and of the data's addresses: the printed protocol is
# bilingual, and a station's address and settlement are written in Kazakh and in Russian (the
# same art. 7); no English spelling is kept.
OFFICIAL: tuple[str, ...] = (KAZAKH, RUSSIAN)
# A language not written by people: (the written language it is made from, how).
DERIVED: dict[str, tuple[str, Callable[[str], str]]] = {KAZAKH_LATIN: (KAZAKH, from_cyrillic)}
# How each written language writes a figure's decimals in a text a person reads: a comma in
# Kazakh and Russian (as the Central Election Commission's results in both print a share:
# "70,96 %"), a point in English. A derived language writes its source's; a written language
# listed without an entry writes a point. Attributes, SVG coordinates, CSV and JSON keep the
# point whatever the page's language.
DECIMAL_SEPARATORS: dict[str, str] = {KAZAKH: ",", RUSSIAN: ",", ENGLISH: "."}


def language(code: str | None, default: str = KAZAKH) -> str:
    """One of LANGUAGES for a code as a request, a URL, a cookie, Accept-Language or a caller
    gives it ("ru-RU", "kk_KZ", "EN", None): its language if Sailau speaks it, else `default`.
    A script subtag is kept where a language is offered in that script ("kk-Latn-KZ")."""
    if not code:
        return default
    parts = str(code).strip().lower().replace("_", "-").split("-")
    for n in range(len(parts), 0, -1):  # the longest prefix offered, then with a script subtag
        if "-".join(parts[:n]) in LANGUAGES:
            return "-".join(parts[:n])
        if n > 1 and f"{parts[0]}-{parts[n - 1]}" in LANGUAGES:
            return f"{parts[0]}-{parts[n - 1]}"
    return default


class Text(dict):
    """A text written in code, in every written language. Two spellings:

    - `T("Ballots received")` after `T = texts("law.forms")`: a text of the code, named by its
      English (gettext's msgid) and its module's context (msgctxt); its other written languages
      come from the catalogues the pages use (`sailau/locale/<lang>/LC_MESSAGES/django.po`,
      read by `sailau.languages.messages`). A new language is its catalogue and a list entry.
    - `Text(kk=..., ru=..., en=...)` (or the texts in the order of `WRITTEN`): a text made from
      data (a catalogue read from JSON, a name from the database, `Text.of`, `Text.same`),
      which no catalogue holds.

    Texts of code must read the same with no Django about (the law, `sailau verify`, published
    files), and some are formatted with values before a language is chosen, so they are values,
    not msgids resolved at render time. A `Text` is a dict of the written languages (it is
    written into JSON as it always was); asked for a derived language (`text["kk-latn"]`) it
    makes it from its source; asked for a code it reads it (`text.get("ru-RU")`);
    `in_language(lang)` is the reading of a page, through the one chooser (`pick`)."""

    # The catalogue's name of a text of the code: its module's context and its English.
    context: str | None = None
    source: str | None = None

    def __init__(self, *texts: str, **by_language: str):
        """The texts of data, as keywords named by their codes (`kk=`, `ru=`, `en=`) or given
        in the order of `WRITTEN`. The source language (English) is required and a code not
        in `WRITTEN` is refused (a derived language is made, never written); a written
        language the data lacks reads by the one fallback rule (`pick`)."""
        if len(texts) > len(WRITTEN):
            raise TypeError(f"a Text has one text per written language ({', '.join(WRITTEN)}); "
                            f"{len(texts)} were given")
        by_language = {**dict(zip(WRITTEN, texts)), **by_language}
        unknown = [code for code in by_language if code not in WRITTEN]
        if SOURCE not in by_language or unknown:
            raise TypeError("a Text is written in the languages of WRITTEN ("
                            + ", ".join(WRITTEN) + "), its English at least"
                            + (f"; missing: {SOURCE}" if SOURCE not in by_language else "")
                            + (f"; not written: {', '.join(unknown)}" if unknown else ""))
        super().__init__((lang, by_language[lang]) for lang in WRITTEN if lang in by_language)

    @classmethod
    def written(cls, context: str, source: str) -> Text:
        """A text of the code: the English `source` in `context`, with every other written
        language's text from its catalogue. A language whose catalogue lacks it is refused
        here, so a module of texts fails at import, not on the page that shows one."""
        found = {lang: source if lang == SOURCE else messages.translation(lang, context, source)
                 for lang in WRITTEN}
        missing = [lang for lang, text in found.items() if text is None]
        if missing:
            raise TypeError(f"no text in {', '.join(missing)} for {source!r} (context "
                            f"{context!r}): add it to "
                            + ", ".join(str(messages.catalogue_path(lang)) for lang in missing))
        text = cls(**found)
        text.context, text.source = context, source
        return text

    @classmethod
    def same(cls, text: str) -> Text:
        """The one text in every written language (a code shown as it is, for want of a
        name)."""
        return cls(**dict.fromkeys(WRITTEN, text))

    @classmethod
    def of(cls, texts) -> Text:
        """A Text from a mapping of the written languages (a catalogue read from JSON)."""
        return texts if isinstance(texts, cls) else cls(
            **{lang: texts[lang] for lang in WRITTEN if lang in texts})

    def __missing__(self, key):
        if key in DERIVED:
            source, make = DERIVED[key]
            return make(self[source])
        if key in WRITTEN and self.context is not None:  # a language listed after it was made
            found = messages.translation(key, self.context, self.source)
            if found is not None:
                return found
        code = language(key, default="")
        if code and code != key:
            return self[code]
        raise KeyError(key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def in_language(self, lang: str | None) -> str:
        return pick(self, lang)

    def map(self, change: Callable[[str], str]) -> Text:
        """The same text changed alike in every language ("field: ..." around it)."""
        return Text(**{lang: change(self[lang]) for lang in WRITTEN
                       if self.get(lang) is not None})

    def format(self, **values) -> Text:
        """`str.format` in every language. A value that is itself a text by language (a `Text`,
        a record's `spellings`) goes into each language as that language reads it (`pick`):
        `T("Not in the election of {contest}").format(contest=spellings(contest, "name"))`."""
        return Text(**{lang: self[lang].format(**{
            key: pick(value, lang) if isinstance(value, Mapping) else value
            for key, value in values.items()}) for lang in WRITTEN if self.get(lang) is not None})


def texts(context: str) -> Callable[[str], Text]:
    """The spelling of a module's texts: `T = texts("law.forms")`, then `T("Ballots received")`
    is that text in every written language (`Text.written`). The context is the module's place
    in the project, so that one English phrase can read differently in two areas."""
    def text(source: str) -> Text:
        return Text.written(context, source)
    return text


def page_words(catalogue: Mapping[str, Mapping[str, str]], lang: str | None) -> dict[str, str]:
    """A page's words in `lang` from a catalogue of texts by key ({"title": Text(...), ...}: the
    evidence pages', the integrity criteria's words of a contest's kind), each through the one
    chooser: what a template reads as `t.title`."""
    return {key: pick(text, lang) for key, text in catalogue.items()}


def every_language(text) -> dict[str, str]:
    """A text in every language offered, derived ones made: for a page's script that reads the
    language it is in from a dict (the entry form's live findings), with no transliteration of
    its own."""
    text = Text.of(text)
    return {lang: text[lang] for lang in LANGUAGES}


def written(lang: str | None) -> str:
    """The written language `lang` is read in: its source for a derived one (kk for kk-latn)."""
    lang = language(lang)
    return DERIVED[lang][0] if lang in DERIVED else lang


def decimal_separator(lang: str | None) -> str:
    """The decimal separator of a text in `lang` (`DECIMAL_SEPARATORS`; Django's number
    formats of the pages are made from it, `sailau/formats`)."""
    return DECIMAL_SEPARATORS.get(written(lang), ".")


def decimals(figure: str, lang: str | None) -> str:
    """A figure written with a point ("40.00", "0.7670", "81 622.67") as `lang` writes it in a
    text a person reads ("40,00" on a Kazakh or Russian page)."""
    return figure.replace(".", decimal_separator(lang))


def tag(lang: str) -> str:
    """A code as BCP 47 writes it, for a standard's files (NIST's `Language`): a script subtag
    in title case ("kk-latn" -> "kk-Latn"), the rest as Django writes it."""
    return "-".join(p.title() if i and len(p) == 4 else p for i, p in enumerate(lang.split("-")))


def column(prefix: str, lang: str) -> str:
    """A table's column for a text in `lang` (`name_ru`, `region_kk_latn`): the code with "_"
    for "-", a name a CSV, SQL or data-frame reader takes as it is."""
    return f"{prefix}_{lang.replace('-', '_')}"


def in_script(text: str, lang: str | None) -> str:
    """`text`, written in `written(lang)`, as `lang` writes it (transliterated for kk-latn)."""
    lang = language(lang)
    return DERIVED[lang][1](text) if lang in DERIVED and text else text


def pick(texts: Mapping[str, str | None], lang: str | None) -> str:
    """The one chooser: the text in `lang` from a mapping keyed by language code (a `Text`, a
    record's own spellings {"kk": name_kk, "ru": name_ru}, a name map read from JSON), by the
    one fallback rule: the text in `lang` itself when the mapping has one; for a derived
    language, the text its source language is picked by this rule, made (Kazakh in Latin script
    from the Kazakh, else from what stands in for it); else the first of `FALLBACK` the mapping
    has (a station has no English address: an English page reads the Kazakh one). "" when the
    mapping has no text at all."""
    lang = language(lang)
    own = texts.get(lang)
    if own:
        return own
    if lang in DERIVED:
        source, make = DERIVED[lang]
        made = pick(texts, source)
        return make(made) if made else ""
    return next((texts[code] for code in FALLBACK if texts.get(code)), "")
