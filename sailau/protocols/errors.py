"""Errors of the protocol chain. Each has a stable `code`, an HTTP-like `status`, and a message
that names the problem (the field, the state, the other user)."""


class ChainError(Exception):
    status = 400
    code = "chain_error"

    def __init__(self, message: str, code: str | None = None, **detail):
        self.message = message
        if code:
            self.code = code
        self.detail = detail
        super().__init__(message)

    def to_json(self) -> dict:
        return {"error": self.code, "message": self.message, **self.detail}


class NotFound(ChainError):
    status = 404
    code = "not_found"


class BadInput(ChainError):
    """Input that cannot be read: names the field (`figures.lost`, `decision_date`...)."""

    status = 422
    code = "bad_input"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", field=field)


class TransitionError(ChainError):
    """The double-entry state machine refuses the step in the current state."""

    status = 409
    code = "transition"


class EntryRejected(ChainError):
    """Errors in the figures (F codes), or warnings (W codes) not acknowledged."""

    status = 422
    code = "entry_rejected"
