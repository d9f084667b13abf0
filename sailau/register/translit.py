"""Name keys that agree across Kazakh Cyrillic, Russian Cyrillic and the Latin spellings of both
(passport ICAO/BGN style, the 2021 Kazakh Latin alphabet, informal spellings), so that
"Жанар", "Zhanar", "Janar" and "Жанар" typed with Kazakh letters compare equal.

The key is deliberately coarse (a phonetic skeleton, not a transliteration to show anyone): it is
used for blocking and comparison in duplicate detection, where the raw names stay as evidence.
`keys_of` applies a key to a whole column, once per distinct value."""

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


def keys_of(series, fn=None):
    """`fn` (default `name_key`) of every value of a polars Series, computed once per distinct
    value: a register of millions has only hundreds of thousands of distinct names."""
    import polars as pl

    fn = fn or name_key
    values = series.unique()
    mapping = pl.DataFrame({"value": values, "key": [None if v is None else fn(v) for v in values.to_list()]},
                           schema={"value": pl.String, "key": pl.String})
    return series.to_frame("value").join(mapping, on="value", how="left", nulls_equal=True,
                                         maintain_order="left")["key"]
