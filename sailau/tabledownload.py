"""A page's table offered for download as CSV or JSON, the file named for what it holds. The
headers a browser needs to save it (an attachment, its name, UTF-8) are set here once."""

import csv
from collections.abc import Callable

from django.http import Http404, HttpResponse, JsonResponse


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
    what goes with them); 404 for any other format."""
    if fmt == "csv":
        resp = csv_attachment(f"{name}.csv")
        w = csv.DictWriter(resp, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
        return resp
    if fmt != "json":
        raise Http404("csv or json")
    return json_attachment(f"{name}.json", body())
