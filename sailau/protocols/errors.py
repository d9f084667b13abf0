"""Errors of the protocol chain: `SailauError`s (sailau.errors) with the chain's own codes and a
message that names the problem (the field, the state, the other user). An object the chain does
not know is the one `NotFound`, input it cannot read the one `BadInput` (sailau.errors)."""

from sailau import errors
from sailau.errors import Code, SailauError
from sailau.languages import texts

T = texts("protocols.errors")


class ChainError(SailauError):
    """A refusal of the chain's own (the double-entry state machine, the figures)."""

    status = 400
    code = Code.CHAIN_ERROR


class TransitionError(ChainError, errors.Conflict):
    """The double-entry state machine refuses the step in the current state."""

    status = 409
    code = Code.TRANSITION


class EntryRejected(ChainError, errors.BadInput):
    """Errors in the figures (F codes), or warnings (W codes) not acknowledged."""

    status = 422
    code = Code.ENTRY_REJECTED


# What the chain refuses with: its own refusals, an object it does not know (`NotFound`), input
# it cannot read (`BadInput`, naming the field).
REFUSALS = (ChainError, errors.NotFound, errors.BadInput)


# What a line of the entry form says when the form is refused for a value it cannot read: each
# such line says it (an empty form said "Invalid input" under line 1 alone).
EMPTY_LINE = T("Empty: type the figure on the paper protocol (0 if there is none)")
UNREAD_SUMMARY = T("Lines empty or not a whole number: {n}. Each says what is missing.")
NOT_A_COUNT = T("Not a whole number: type digits only")


def unreadable_fields(keys: dict[str, bool], values: dict, lang: str) -> dict[str, str]:
    """{field: message} for each field of the form (`keys`: field name -> required) left empty
    while required, or holding something other than a count, in `lang`, through the project's
    error model (a BadInput per field)."""
    out = {}
    for field, required in keys.items():
        part, key = field.split(".", 1)
        value = values.get(part, {}).get(key)
        text = "" if value is None else str(value).strip()
        if text == "":
            message = EMPTY_LINE if required else None
        else:
            message = None if text.isdigit() else NOT_A_COUNT
        if message:
            out[field] = errors.BadInput(field=field, message=message).text(lang)
    return out
