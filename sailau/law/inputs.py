"""Reading outcome input (parsed JSON) strictly: every count a non-negative integer, every field
known, every error naming the field. Keys starting with "_" are comments and are ignored."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sailau.law.errors import LawInputError


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def as_count(value: Any, field: str) -> int:
    """A vote or ballot count: a non-negative integer (JSON booleans and floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise LawInputError(field=field, message=f"must be a whole number, got {value!r}")
    if value < 0:
        raise LawInputError(field=field, message=f"must not be negative, got {value}")
    return value


def require_mapping(value: Any, field: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise LawInputError(field=field, message=f"must be an object, got {type(value).__name__}")
    return value


def check_fields(data: Mapping, allowed: Iterable[str], path: str, ruleset: str) -> None:
    """Refuse fields the rule set does not know: a misspelt field would otherwise be ignored."""
    allowed = set(allowed)
    for key in data:
        if not isinstance(key, str) or key.startswith("_"):
            continue
        if key not in allowed:
            raise LawInputError(
                field=_join(path, key),
                message=f"not a field of {ruleset} input (expected some of: {', '.join(
                    sorted(allowed))})",
            )


def require(data: Mapping, key: str, path: str, why: str = "") -> Any:
    if key not in data:
        raise LawInputError(field=_join(path, key),
                            message="missing" + (f" ({why})" if why else ""))
    return data[key]


def optional_count(data: Mapping, key: str, path: str = "", default: int | None = 0) -> int | None:
    if key not in data or data[key] is None:
        return default
    return as_count(data[key], _join(path, key))


def counts_by_name(value: Any, field: str, *, what: str = "candidate") -> dict[str, int]:
    """`{"<name>": count, ...}` with at least one entry and non-empty names."""
    mapping = require_mapping(value, field)
    if not mapping:
        raise LawInputError(field=field, message=f"must name at least one {what}")
    out: dict[str, int] = {}
    for name, count in mapping.items():
        if not isinstance(name, str) or not name.strip():
            raise LawInputError(field=field, message=f"every {what} needs a non-empty name")
        out[name] = as_count(count, _join(field, name))
    return out


def registration_order(value: Any, names: Iterable[str], field: str = "registration_order"):
    """The order in which the lists were registered: each name once, all of them known."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LawInputError(field=field, message="must be a list of names")
    known = set(names)
    seen: set[str] = set()
    for i, name in enumerate(value):
        if name not in known:
            raise LawInputError(field=f"{field}[{i}]",
                                message=f"{name!r} is not among the names in votes")
        if name in seen:
            raise LawInputError(field=f"{field}[{i}]", message=f"{name!r} appears twice")
        seen.add(name)
    missing = sorted(known - seen)
    if missing:
        raise LawInputError(field=field, message=f"does not list {', '.join(map(repr, missing))}")
    return tuple(value)


def iso_date(value: Any, field: str) -> dt.date:
    if not isinstance(value, str):
        raise LawInputError(field=field, message=f"must be a date YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LawInputError(field=field,
                            message=f"must be a date YYYY-MM-DD, got {value!r}") from None


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise LawInputError(field=field, message=f"must be true or false, got {value!r}")
    return value
