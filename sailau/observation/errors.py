"""Errors of observation: `SailauError`s (through `ChainError`), answered by the one API handler
with their status and a message naming the field, like every other part."""

from sailau.protocols.errors import ChainError


class ObservationError(ChainError):
    status = 422
    code = "bad_input"

    def __init__(self, field: str, message: str, code: str | None = None, **detail):
        super().__init__(f"{field}: {message}", code, field, **detail)


class NotDeployed(ObservationError):
    status = 403
    code = "not_deployed"


class Conflict(ObservationError):
    """The same uuid was sent again with different content."""

    status = 409
    code = "uuid_conflict"


class Unknown(ObservationError):
    status = 404
    code = "not_found"
