"""The texts of the population-register extract's codes (sailau.register.extract): a row's field
(`ROW_TEXTS`) and a file that cannot be read at all (`FILE_TEXTS`). Part of the one catalogue:
sailau.errors.catalogue adds them to `MESSAGES` under their `Code`. Kept apart only so that the
catalogue's module stays readable; keyed by the code's value."""

from sailau.languages import texts

T = texts("errors.register_texts")

ROW_TEXTS = {
    "encoding": T("not valid UTF-8 (the file may be in Windows-1251 or another code page)"),
    "control": T("contains a control character (NUL, a tab inside a field, ...)"),
    "format": T("IIN must be exactly 12 digits"),
    "century": T("7th IIN digit is not a century/sex code 1-6"),
    "date": T("impossible date"),
    "unusable": T("no check digit exists for these 11 digits: never issued"),
    "check_digit": T("IIN check digit is wrong"),
    "future": T("birth date is in the future"),
    "too_old": T("birth date before 1880"),
    "iin_mismatch": T("does not match the IIN"),
    "invalid_chars": T("contains characters that are not letters, hyphen, apostrophe or space"),
    "not_boolean": T("expected 1/0, true/false, yes/no, да/нет or иә/жоқ"),
    "duplicate_iin": T("IIN already used by an earlier row of this file"),
}

FILE_TEXTS = {
    "extract.empty": T("The file is empty: expected a header line"),
    "extract.encoding": T("The header line is not UTF-8 (the file may be in Windows-1251)"),
    "extract.missing_columns": T("Columns missing from the file"),
    "extract.repeated_columns": T("Columns named twice in the header line"),
}
