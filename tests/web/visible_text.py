"""The words a reader sees on a page, and those that are not in the page's language: English
message ids and internal keys or ids, Kazakh on a Russian page and Russian on a Kazakh one
(used by test_one_language and scripts/screenshots)."""

import json
import re
from html.parser import HTMLParser

# Latin words a Kazakh or Russian page may show: the site's and formats' names, units, the
# language switch, and parties whose registered names are Latin.
ALLOWED = {"sailau", "english", "qazaq",  # the switch's "English", "Qazaqşa" (the match stops at ş)
           "json", "csv", "parquet", "pdf", "sha-256", "nist", "jpeg", "png", "qr", "iin",
           "amanat", "auyl", "respublica", "utc", "zip", "kb", "mb", "sp", "x-content-sha256",
           # authors cited by the forensic methods, and Mebane's "2BL" test
           "kobak", "shpilkin", "pshenichnikov", "klimek", "mebane", "bl",
           # and the knockoff+ bar of Barber & Candès (the è ends the Latin match: "Cand")
           "barber", "cand"}
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]")
# A file a download link names by its file name ("manifest.json").
FILE = re.compile(r"^[\w.\-]+\.(json|csv|zip|pdf|png|xml)$")
# A control-relation or criterion code (F101, I02, W2), an observer's badge number
# (D011000000), a variable in a formula (f_i): not English.
CODE = re.compile(r"^([A-Z]{1,2}\d{1,12}|[a-z]_[a-z])$")


# Elements with no end tag: a lang attribute on one of them covers nothing inside.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Text(HTMLParser):
    # Codes shown as code (hashes, file paths in a snapshot) are meant to be read as they are.
    SKIP = {"script", "style", "noscript", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # parts: (text, the language of the innermost element below <html> that declares one,
        # e.g. the language switch's links, or None)
        self.depth, self.parts, self.langs, self.svg = 0, [], [], 0
        # The strings of the data a page's script shows (<script type="application/json">: the
        # observer's form draws its stations and contests from it), and whether it is being read.
        self.data, self.json = [], False

    def _lang(self):
        return self.langs[-1][1] if self.langs else None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        a = dict(attrs)
        self.json = tag == "script" and a.get("type") == "application/json"
        # Declared: a language (lang="kk" on the language switch's "Қазақша"), people's own
        # words and names shown as written (translate="no"), or the page's <title>, which
        # repeats its heading (and where a name as written cannot be marked; not an SVG's).
        self.svg += tag == "svg"
        own = (a["lang"][:2] if a.get("lang") and tag != "html" else "as written"
               if a.get("translate") == "no" or (tag == "title" and not self.svg) else None)
        if own and tag not in VOID:
            self.langs.append((tag, own))
        lang = own or self._lang()
        # What a reader also sees or hears: placeholders, alt texts, labels, button values.
        for k in ("placeholder", "alt", "aria-label", "title"):
            if a.get(k):
                self.parts.append((a[k], lang))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append((a["value"], lang))

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1
        self.svg -= tag == "svg"
        if self.langs and self.langs[-1][0] == tag:
            self.langs.pop()

    def handle_data(self, data):
        if self.json:
            self.data += list(_strings(json.loads(data)))
            self.json = False
        if not self.depth and data.strip():
            self.parts.append((data, self._lang()))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def visible_text(html: str, declared: bool = True) -> str:
    """The page's visible text; without `declared`, not the text of an element that declares
    its own language or that it is shown as written (see _Text.handle_starttag), and with the
    strings of the data its scripts draw (their names and addresses)."""
    p = _Text()
    p.feed(html)
    return " ".join(" ".join([t for t, lang in p.parts if declared or lang is None]
                             + ([] if declared else p.data)).split())


def foreign_words(html: str, extra_allowed=()) -> list[str]:
    """Latin words of a kk or ru page that are neither allowed nor codes: English left
    untranslated, or an internal key or id ("against_all", "kz.mazhilis.2023-03-19.tec.01")."""
    allowed = ALLOWED | {w.lower() for w in extra_allowed}
    out = []
    for w in LATIN.findall(visible_text(html)):
        if CODE.match(w) or FILE.match(w) or w.lower() in allowed:
            continue
        if w.lower().rstrip(".") in allowed:
            continue
        out.append(w)
    return out


# Letters of the Kazakh alphabet that Russian does not have: a word with one of them on a Russian
# page is Kazakh ("Жамбыл көшесі", "Қазақстан Республикасының елшілігі").
KAZAKH = re.compile(r"\w*[ӘәҒғҚқҢңӨөҰұҮүҺһІі]\w*")
# ... except the regions whose official Russian names keep their Kazakh form (the decree of 2022
# forming them: "область Жетісу", "область Ұлытау").
OFFICIAL_RUSSIAN = {"Жетісу", "Ұлытау"}
# Russian words a Kazakh page would not use (Kazakh has its own words for them), the kinds of
# words a place's or commission's Russian name or address is made of: "ул.", "город", "область".
RUSSIAN = re.compile(
    r"(?<!\w)(ул\.|улица|проспект|город|района?|область|областная|школа|посольство|больница|"
    r"избирательная|участковая|территориальная|Республики)(?!\w)", re.IGNORECASE)


def other_language_words(html: str, lang: str) -> list[str]:
    """Words of the other of the two national languages on a kk or ru page, outside elements
    that declare their own language: Kazakh words on a Russian page, and the Russian words of
    `RUSSIAN` on a Kazakh one (Kazakh writes every Russian letter, so only words can tell)."""
    text = visible_text(html, declared=False)
    if lang == "ru":
        return [w for w in KAZAKH.findall(text) if w not in OFFICIAL_RUSSIAN]
    return [m.group(0) for m in RUSSIAN.finditer(text)]


# Any Cyrillic letter: a page in Kazakh in Latin script has none (its messages, names and
# addresses are transliterated), outside elements that declare their own language.
CYRILLIC = re.compile(r"\w*[\u0400-\u04ff]\w*")


def cyrillic_words(html: str) -> list[str]:
    """Words in Cyrillic script on a kk-latn page, outside elements that declare their language
    or that they are shown as written (the language switch's "Қазақша", a person's own words)."""
    return CYRILLIC.findall(visible_text(html, declared=False))
