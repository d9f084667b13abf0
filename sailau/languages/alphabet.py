"""The one order of names in a list (organisations, and any list a reader scans by name): the
Kazakh alphabet's, the same on every database.

A database orders text by its own collation: PostgreSQL compares a jsonb string (`ORDER BY
names -> 'kk'`) with the database's default collation, so a cluster made with C.UTF-8 puts
"Ірі", "Қазақ", "Әділет" and any lower-case name after "Яссауи" (code point order), and one
made with an ICU or glibc locale puts them among the letters; SQLite compares bytes. A list
ordered in the query reads differently by where it is hosted, so lists are ordered here, with
one key. The order is that of the Kazakh Cyrillic alphabet (42 letters, as the Unicode CLDR's
Kazakh collation orders them: Ә after А, Ғ after Г, Қ after К, Ң after Н, Ө after О, Ұ and Ү
after У, Һ after Х, І after Ы), which holds the Russian alphabet in its own order, so a Russian
name sorts as a Russian reader expects too; Latin letters (English names, Kazakh in Latin
script) by their base letter, before Cyrillic as in CLDR's root order; case is ignored but
breaks ties, so the order is total."""

from __future__ import annotations

import unicodedata

KAZAKH_CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_PLACE = {letter: n for n, letter in enumerate(KAZAKH_CYRILLIC)}
# Groups, in order: spaces and punctuation, digits, other letters (Latin), Kazakh Cyrillic.
_MARK, _DIGIT, _LETTER, _KAZAKH = range(4)


def _letter(ch: str) -> tuple[int, int, str]:
    if ch in _PLACE:
        return (_KAZAKH, _PLACE[ch], "")
    base, *marks = unicodedata.normalize("NFD", ch)  # "ä" is "a" then its mark
    if base.isalpha():
        return (_LETTER, ord(base), "".join(marks))
    return (_DIGIT if base.isdigit() else _MARK, ord(base), "".join(marks))


def sort_key(name: str | None) -> tuple:
    """The key that puts names in alphabetical order: `sorted(rows, key=lambda r:
    sort_key(r.name(lang)))`. A missing name sorts first."""
    name = name or ""
    return (tuple(_letter(ch) for ch in name.casefold()), name)


def alphabetical(rows, lang: str | None) -> list:
    """Named rows (`.name(lang)`) in alphabetical order of their names in `lang`; rows of one
    name keep the order they came in (order the query by its key for a stable list)."""
    return sorted(rows, key=lambda row: sort_key(row.name(lang)))
