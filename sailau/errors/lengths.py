"""Text longer than its column holds, refused as input (422, the field named) before the
database is asked: PostgreSQL refuses a value over a `varchar(n)` with an error the request
answered as a 500, SQLite stores it whole. One check for every model, read from the model's own
field (`max_length`), so that a column widened or narrowed needs no second edit. No Django
import: a model is read through its `_meta`."""

from __future__ import annotations

from sailau.errors import BadInput, Code
from sailau.languages import Text

TOO_LONG = Text(
    kk="ең көбі {n} таңба (мұнда {got})",
    ru="не более {n} символов (здесь {got})",
    en="at most {n} characters (this has {got})",
)


def check_lengths(model, prefix: str = "", **values) -> None:
    """Refuse the first of `values` (field name: text) longer than `model`'s column of that
    name: `BadInput` with code `too_long` and the field (`prefix` + its name)."""
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise BadInput(code=Code.TOO_LONG, field=f"{prefix}{name}",
                           message=TOO_LONG.format(n=limit, got=len(value)))
