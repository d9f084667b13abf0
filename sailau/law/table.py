"""Reading a CSV file strictly, cell by cell, for the law's importers (nominations, signature
sheets): the header checked against the expected columns, each bad cell reported with its row
(spreadsheet numbering, header = row 1) and its column, in kk/ru/en."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from sailau.languages import Text, texts
from sailau.law.errors import LawInputError

T = texts("law.table")


class RowError(LawInputError):
    """A file that cannot be read: `row` and `column` where, the message in three languages."""

    @classmethod
    def at(cls, row: int | None, column: str | None, message: dict[str, str]) -> RowError:
        """The refusal of the cell at `row` and `column` (either may be None), which the
        message names first in each language."""
        where = Text.same("")
        if row is not None and column:
            where = T("row {row}, column {column}: ").format(row=row, column=column)
        elif row is not None:
            where = T("row {row}: ").format(row=row)
        return cls(field=column, message={k: where[k] + message[k] for k in message},
                   detail={"row": row, "column": column})

    @property
    def row(self) -> int | None:
        return self.detail["row"]

    def text(self, lang: str | None = None) -> str:
        return super(LawInputError, self).text(lang)  # the location is in the message already


def records(text: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
            ) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: stripped cell}) for every non-blank row; every optional column
    missing from the header reads as ''."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
        if header is None:
            raise RowError.at(1, None, T("the file is empty: no header row"))
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            names = ", ".join(missing)
            raise RowError.at(1, missing[0], T(
                "the header lacks the column(s) {names}").format(names=names))
        known = required + optional
        for col in header:
            if col not in known or header.count(col) > 1:
                raise RowError.at(1, col, T(
                    "unknown or repeated column (expected {known})").format(known=", ".join(known)))
        for n, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # a blank line, as spreadsheets write at the end
            if len(record) != len(header):
                raise RowError.at(n, None, T(
                    "has {len_record} cells, the header has {len_header}").format(len_header=len(header), len_record=len(record)))
            cells = dict.fromkeys(optional, "")
            cells.update({h: c.strip() for h, c in zip(header, record, strict=True)})
            yield n, cells
    except csv.Error as exc:
        raise RowError.at(reader.line_num, None, T(
            "not readable CSV ({exc})").format(exc=exc)) from None


def need(n: int, column: str, value: str) -> str:
    if not value:
        raise RowError.at(n, column, T("empty"))
    return value


def one_of(n: int, column: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        listed = ", ".join(allowed)
        raise RowError.at(n, column, T(
            "{value!r} is not one of {listed}").format(value=value, listed=listed))
    return value


def date(n: int, column: str, raw: str, required: bool = True) -> dt.date | None:
    if not raw and not required:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise RowError.at(n, column, T(
            "{raw!r} is not a date YYYY-MM-DD").format(raw=raw)) from None


def whole(n: int, column: str, raw: str, required: bool = True, minimum: int = 0) -> int | None:
    """A whole number (no sign, no decimals) at least `minimum`."""
    if not raw and not required:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < minimum:
        raise RowError.at(n, column, T(
            "{raw!r} is not a whole number of at least {minimum}").format(raw=raw, minimum=minimum))
    return int(raw)


YES, NO = ("yes", "true", "1", "иә", "да"), ("no", "false", "0", "жоқ", "нет")


def flag(n: int, column: str, raw: str) -> bool | None:
    """yes/no (also true/false, 1/0, иә/жоқ, да/нет); empty: not recorded (None)."""
    v = raw.casefold()
    if not v:
        return None
    if v in YES:
        return True
    if v in NO:
        return False
    raise RowError.at(n, column, T("{raw!r}: must be yes or no").format(raw=raw))


def within(n: int, column: str, day: dt.date | None, start: dt.date | None,
           end: dt.date | None, what: dict[str, str]) -> None:
    """`day` inside [start, end] (either bound may be open)."""
    if day is None or ((start is None or day >= start) and (end is None or day <= end)):
        return
    span = f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
    raise RowError.at(n, column, T("{day} is outside {what} ({span})").format(
        day=day.isoformat(), what=what, span=span))
