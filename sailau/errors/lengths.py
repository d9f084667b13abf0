"""Text longer than its column holds, refused as input (422, the field named) before the
database is asked: PostgreSQL refuses a value over a `varchar(n)` with an error the request
answered as a 500, SQLite stores it whole. One check for every model, read from the model's own
field (`max_length`), so that a column widened or narrowed needs no second edit. Every `save()`
passes through `refuse_over_long` (Django's `pre_save`, connected for all models); a
`bulk_create`, which sends no signal, calls `check_rows`; `check_lengths` names a field as the
request spelled it (`observers[0].full_name`) before anything is built. No Django import: a
model is read through its `_meta`."""

from __future__ import annotations

from sailau.errors import BadInput, Code
from sailau.languages import texts

T = texts("errors.lengths")

TOO_LONG = T("at most {n} characters (this has {got})")


def check_lengths(model, prefix: str = "", **values) -> None:
    """Refuse the first of `values` (field name: text) longer than `model`'s column of that
    name: `BadInput` with code `too_long` and the field (`prefix` + its name)."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None) if field.get_internal_type() in TEXT_COLUMNS \
            else None
        if limit and isinstance(value, str) and len(value) > limit:
            raise BadInput(code=Code.TOO_LONG, field=f"{prefix}{name}",
                           message=TOO_LONG.format(n=limit, got=len(value)))


TOO_LONG_IN_ROW = T("row {row}: at most {n} characters (this has {got})")


# The columns whose value is stored as the text given: a UUID's `max_length` (32) is of its hex
# digits, while the value given may be written with dashes (36), and an IP address is parsed.
TEXT_COLUMNS = {"CharField", "TextField", "SlugField"}


def _over_long(instance) -> tuple[str, int, int] | None:
    """(field, its limit, the value's length) of the first text column of `instance` longer
    than it holds, or None."""
    for field in instance._meta.concrete_fields:
        if field.get_internal_type() not in TEXT_COLUMNS:
            continue
        limit = getattr(field, "max_length", None)
        value = getattr(instance, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            return field.name, limit, len(value)
    return None


def check_instance(instance, prefix: str = "") -> None:
    """Refuse the first text column of `instance` (a model object about to be written) longer
    than it holds: the same refusal as `check_lengths`, for every column of the model at once."""
    if found := _over_long(instance):
        name, limit, got = found
        raise BadInput(code=Code.TOO_LONG, field=f"{prefix}{name}",
                       message=TOO_LONG.format(n=limit, got=got))


def check_rows(instances, row_of) -> None:
    """`check_instance` for the rows of an imported file written by `bulk_create` (which sends
    no `pre_save`): the refusal names the column as `field` and the file's row (`row_of(obj)`)
    in `detail`, as the imports name their other errors."""
    for obj in instances:
        if found := _over_long(obj):
            name, limit, got = found
            row = row_of(obj)
            raise BadInput(code=Code.TOO_LONG, field=name, detail={"row": row},
                           message=TOO_LONG_IN_ROW.format(row=row, n=limit, got=got))


def refuse_over_long(sender, instance, raw: bool = False, **kwargs) -> None:
    """Django's `pre_save`, connected for every model (sailau.elections.apps): every `save()`
    and `objects.create()` of any service, API or page passes here, so no write path can forget
    the check. A fixture being loaded (`raw`) is written as it is."""
    if not raw:
        check_instance(instance)
