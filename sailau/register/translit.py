"""Name keys that agree across Kazakh Cyrillic, Russian Cyrillic and the Latin spellings of both
(passport ICAO/BGN style, the 2021 Kazakh Latin alphabet, informal spellings), so that
"Жанар", "Zhanar", "Janar" and "Жанар" typed with Kazakh letters compare equal.

The key is deliberately coarse (a phonetic skeleton, not a transliteration to show anyone): it is
used for blocking and comparison in duplicate detection, where the raw names stay as evidence.
The same steps exist as a polars expression (`name_key_expr`) for whole registers and are tested
against the scalar function."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Russian + the nine Kazakh letters) to a plain Latin spelling; the Latin rules below
# then fold this and every other Latin spelling into one skeleton.
CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Latin letters of the Kazakh alphabets (2017-2021) and Turkish-style spellings.
LATIN_EXTRA = {
    "ä": "a", "á": "a", "ğ": "g", "ǵ": "g", "ı": "i", "ñ": "n", "ń": "n", "ö": "o", "ó": "o",
    "ū": "u", "ü": "u", "ú": "u", "q": "k", "ş": "sh", "ç": "ch", "ý": "i", "y": "i", "w": "v",
    "x": "h", "c": "ts",
}
_CHARMAP = {**CYRILLIC, **LATIN_EXTRA}
# Multi-letter rules on the Latin form, applied in this order (longest first where they overlap).
# "c" has already become "ts", so Latin "ch" arrives here as "tsh".
DIGRAPHS = [
    ("ttsh", "ch"), ("tsh", "ch"), ("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"),
    ("kh", "h"),
]
_DOUBLE = re.compile(r"(.)\1+")
# Iotation ("ia", "ie", "iu", "io", from я/е/ю/ё and y-spellings) folds to the bare vowel.
_IOTA = re.compile(r"i(?=[aeou])")
_NOT_LETTER = re.compile(r"[^a-z]")
# Patronymic endings: Russian-style (-ович/-овна) and Kazakh (-ұлы/-қызы), in key form.
PATRONYMIC_SUFFIXES = ("ovich", "evich", "ovna", "evna", "ichna", "ich", "uli", "kizi")


def _fold(text: str) -> str:
    """Lowercase, compose, map every letter to plain Latin and drop anything else."""
    text = unicodedata.normalize("NFC", text.lower())
    out = "".join(_CHARMAP.get(ch, ch) for ch in text)
    return _NOT_LETTER.sub("", out)


def name_key(text: str | None) -> str:
    """The script-independent key of a name ("" for an empty one)."""
    if not text:
        return ""
    key = _fold(text)
    for a, b in DIGRAPHS:
        key = key.replace(a, b)
    key = _DOUBLE.sub(r"\1", key)
    key = _IOTA.sub("", key)
    return key


def patronymic_key(text: str | None) -> str:
    """The key of the father's name inside a patronymic, whichever suffix style was used."""
    key = name_key(text)
    for suffix in PATRONYMIC_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def name_key_expr(col):
    """`name_key` as a polars expression (same steps, vectorised)."""
    import polars as pl

    e = pl.col(col) if isinstance(col, str) else col
    e = e.fill_null("").str.to_lowercase()
    # Map letters: multi-character targets need replace_many (a str.translate is not available).
    e = e.str.replace_many(list(_CHARMAP.keys()), list(_CHARMAP.values()))
    e = e.str.replace_all(r"[^a-z]", "")
    for a, b in DIGRAPHS:
        e = e.str.replace_all(a, b, literal=True)
    # Collapse doubled letters: the regex crate has no backreferences, so one rule per letter.
    e = e.str.replace_all(r"a+", "a").str.replace_all(r"b+", "b")
    for letter in "cdefghijklmnopqrstuvwxyz":
        e = e.str.replace_all(f"{letter}{letter}+", letter)
    e = e.str.replace_all(r"i([aeou])", "${1}")
    return e


def patronymic_key_expr(col):
    """`patronymic_key` as a polars expression."""
    import polars as pl

    key = name_key_expr(col)
    pattern = "^(.{2,}?)(" + "|".join(PATRONYMIC_SUFFIXES) + ")$"
    return pl.when(key.str.contains(pattern)).then(key.str.replace(pattern, "${1}")).otherwise(key)
