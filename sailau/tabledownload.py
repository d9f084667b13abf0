"""A page's table offered for download as CSV or JSON, the file named for what it holds. The
headers a browser needs to save it (an attachment, its name, UTF-8) are set here once, and so is
what keeps a CSV cell from running as a formula.

Free text from the public (a complaint, a donor's or an organisation's name) may begin with `=`,
`+`, `-`, `@`, a tab or a carriage return; Excel and LibreOffice then evaluate it
(`=HYPERLINK(...)`, `=cmd|...`). Such a cell gets a leading apostrophe, which spreadsheets hide
and treat as "text". Numbers stay numbers: only strings are touched."""

import csv
from collections.abc import Callable

from django.http import HttpResponse, JsonResponse

from sailau.errors import Code, NotFound

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """`value` as a spreadsheet will show it, never evaluate it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values) -> list:
    """Every cell of a CSV row through `cell`: write this, never the raw values."""
    return [cell(v) for v in values]


def csv_attachment(filename: str) -> HttpResponse:
    """An empty CSV response that saves as `filename`: write the rows into it."""
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def json_attachment(filename: str, body) -> JsonResponse:
    """`body` as JSON (other scripts than Latin as they are) that saves as `filename`."""
    resp = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def csv_or_json(fmt: str, name: str, fields: list[str], rows: list[dict],
                body: Callable[[], dict]) -> HttpResponse:
    """`name`.csv (`rows` under the header `fields`) or `name`.json (`body()`: the rows and
    what goes with them); 404 for any other format. The rows hold text people typed (names,
    donors), so every cell goes through `row`: none opens as a formula."""
    if fmt == "csv":
        resp = csv_attachment(f"{name}.csv")
        w = csv.writer(resp)
        w.writerow(fields)
        w.writerows(row(r.get(f, "") for f in fields) for r in rows)
        return resp
    if fmt != "json":
        raise NotFound(code=Code.NOT_FOUND, field="format", message="csv or json")
    return json_attachment(f"{name}.json", body())
