"""Kazakh in Latin script (`kk-latn`) from Kazakh in Cyrillic, letter by letter: the alphabet of
31 letters presented by the Government on 28 January 2021 to the National Commission for the
transition of the Kazakh alphabet to Latin script (under Presidential Decree No. 569 of 26
October 2017; the table is in docs/languages.md with its sources).

The alphabet has a letter for each sound of Kazakh. The Cyrillic letters Kazakh took from Russian
for Russian words (ё ц ч щ ъ ь э ю я) have none: they are written with the alphabet's letters for
the sounds they stand for (ц ts, ч ch, щ şş, ё io, ю iu, я ia, э e; the signs ъ and ь are left out).

The capital of і is I and of и is İ (the alphabet's own pairs: I ı, İ i), so a word in capitals
keeps its letters apart."""

from __future__ import annotations

import re
from functools import lru_cache

# Cyrillic lower case -> Latin lower case: the alphabet of 2021, then the Russian letters.
LETTERS: dict[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ",
    "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü",
    "ф": "f", "х": "h", "һ": "h", "ш": "ş", "ы": "y", "і": "ı",
    # letters for Russian words, by the sounds they stand for
    "ё": "io", "ц": "ts", "ч": "ch", "щ": "şş", "ъ": "", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# The capitals whose Latin is not `str.upper()` of the lower case: і -> I (dotless ı's capital),
# и/й -> İ (dotted i's capital).
CAPITALS: dict[str, str] = {"і": "I", "и": "İ", "й": "İ"}

_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")


def _upper(letter: str) -> str:
    return CAPITALS.get(letter) or LETTERS[letter].upper()


# Pages transliterate the same words again and again (a party's name on every station's row).
@lru_cache(maxsize=16384)
def _word(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        if low not in LETTERS:
            out.append(ch)  # a Cyrillic letter of another language: left as it is
        elif ch == low:
            out.append(LETTERS[low])
        else:
            latin = _upper(low)
            # A capital written with two letters (Ч -> Ch, Я -> Ia) is all capitals in a word in
            # capitals (ЧАЙ -> CHAI) and only its first letter otherwise (Чай -> Chai).
            rest = word[i + 1:i + 2]
            if len(latin) > 1 and not (rest and rest.isupper()) and not (
                    i and word[i - 1].isupper()):
                latin = latin[0] + latin[1:].lower()
            out.append(latin)
    return "".join(out)


def from_cyrillic(text: str) -> str:
    """Kazakh Cyrillic text in the Latin alphabet of 2021; what is not Cyrillic is kept as it is
    (digits, punctuation, Latin words, gettext's %(name)s and str.format's {name} placeholders,
    which are Latin already)."""
    if not text:
        return text
    return _CYRILLIC.sub(lambda m: _word(m.group(0)), text)


def table() -> dict[str, dict[str, str]]:
    """The letters and the capitals of `from_cyrillic`, for a script that applies the same rule
    where no Python runs (the static viewer's latin.js reads them from the snapshot)."""
    return {"letters": dict(LETTERS), "capitals": dict(CAPITALS)}
