"""CSV cells that a spreadsheet opens as text, never as a formula.

Free text from the public (a complaint, an organisation's name) may begin with `=`, `+`, `-`,
`@`, a tab or a carriage return; Excel and LibreOffice then evaluate it (`=HYPERLINK(...)`,
`=cmd|...`). Such a cell gets a leading apostrophe, which spreadsheets hide and treat as "text".
Numbers stay numbers: only strings are touched."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values) -> list:
    return [cell(v) for v in values]
