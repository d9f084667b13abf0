"""Errors of the protocol chain: `SailauError`s (sailau.errors) with the chain's own codes and a
message that names the problem (the field, the state, the other user)."""

from sailau import errors
from sailau.errors import Code, SailauError


class ChainError(SailauError):
    status = 400
    code = Code.CHAIN_ERROR

    def __init__(self, message, code: str | None = None, field: str | None = None, **detail):
        super().__init__(code, message, field, detail=detail)


class NotFound(ChainError, errors.NotFound):
    status = 404
    code = Code.NOT_FOUND


class BadInput(ChainError, errors.BadInput):
    """Input that cannot be read: names the field (`figures.lost`, `decision_date`...)."""

    status = 422
    code = Code.BAD_INPUT

    def __init__(self, field: str, message):
        super().__init__(errors.at_field(field, message), field=field)


class TransitionError(ChainError, errors.Conflict):
    """The double-entry state machine refuses the step in the current state."""

    status = 409
    code = Code.TRANSITION


class EntryRejected(ChainError, errors.BadInput):
    """Errors in the figures (F codes), or warnings (W codes) not acknowledged."""

    status = 422
    code = Code.ENTRY_REJECTED
