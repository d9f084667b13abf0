"""The words a reader sees on a page, and those that are not in the page's language: English
message ids and internal keys or ids (used by test_one_language and scripts/screenshots)."""

import re
from html.parser import HTMLParser

# Latin words a Kazakh or Russian page may show: the site's and formats' names, units, the
# language switch, and parties whose registered names are Latin.
ALLOWED = {"sailau", "english", "json", "csv", "parquet", "pdf", "sha-256", "nist", "jpeg", "png", "qr", "iin",
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


class _Text(HTMLParser):
    # Codes shown as code (hashes, file paths in a snapshot) are meant to be read as they are.
    SKIP = {"script", "style", "noscript", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        a = dict(attrs)
        # What a reader also sees or hears: placeholders, alt texts, labels, button values.
        for k in ("placeholder", "alt", "aria-label", "title"):
            if a.get(k):
                self.parts.append(a[k])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


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
