"""The IIN (individual identification number, ЖСН/ИИН): 12 digits YYMMDD, a digit for century
and sex, four serial digits and a check digit.

Check digit (Government Decree No. 565 of 11 June 2003, as implemented by the validators
github.com/ZhymabekRoman/kz-iin-validator and gist.github.com/adilkhash/cca3e4ee73e75c2fc405af901d7672f6):
the first 11 digits weighted 1..11, sum mod 11; if that is 10, weighted 3,4,5,6,7,8,9,10,11,1,2,
sum mod 11; if that is 10 again, the number is never issued (not valid).

Scalar functions here; the vectorised versions used on whole extracts are in `extract.py` and
`synthetic.py` and are tested against these. An invalid IIN is refused with the same codes as a
row of an extract, whose texts in kk, ru and en are in the one catalogue (sailau.errors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sailau.errors import BadInput, Code

WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Seventh digit: century of birth and sex.
CENTURY_SEX = {1: (1800, "M"), 2: (1800, "F"), 3: (1900, "M"), 4: (1900, "F"), 5: (2000, "M"), 6: (2000, "F")}
SEX_CENTURY_DIGIT = {(c, s): d for d, (c, s) in CENTURY_SEX.items()}


def check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits, or None when no digit is possible (never issued)."""
    digits = [int(c) for c in first11]
    c = sum(w * d for w, d in zip(WEIGHTS_1, digits)) % 11
    if c == 10:
        c = sum(w * d for w, d in zip(WEIGHTS_2, digits)) % 11
        if c == 10:
            return None
    return c


@dataclass(frozen=True)
class IinInfo:
    birth_date: dt.date
    sex: str  # "M" or "F"


class IinError(BadInput, ValueError):
    """An invalid IIN; `code` is stable (format, century, date, check_digit, unusable), its
    message the code's text in every language."""


def parse_iin(iin: str) -> IinInfo:
    """The birth date and sex an IIN encodes; IinError if it is not a valid IIN."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        raise IinError(code=Code.FORMAT, field="iin")
    century_sex = CENTURY_SEX.get(int(iin[6]))
    if century_sex is None:
        raise IinError(code=Code.CENTURY, field="iin")
    century, sex = century_sex
    try:
        born = dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise IinError(code=Code.DATE, field="iin") from None
    expected = check_digit(iin[:11])
    if expected is None:
        raise IinError(code=Code.UNUSABLE, field="iin")
    if expected != int(iin[11]):
        raise IinError(code=Code.CHECK_DIGIT, field="iin")
    return IinInfo(born, sex)


def is_valid_iin(iin: str) -> bool:
    try:
        parse_iin(iin)
    except IinError:
        return False
    return True


def make_iin(birth_date: dt.date, sex: str, serial: int) -> str | None:
    """The IIN for a birth date, sex and 4-digit serial, or None if that serial has no check digit."""
    digit7 = SEX_CENTURY_DIGIT[(birth_date.year // 100 * 100, sex)]
    first11 = f"{birth_date:%y%m%d}{digit7}{serial:04d}"
    c = check_digit(first11)
    return None if c is None else first11 + str(c)
