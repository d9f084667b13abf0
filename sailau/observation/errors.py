"""Errors of observation: `SailauError`s (through `ChainError`), answered by the one API handler
with their status and a message naming the field, like every other part. Messages are msgids
(`sailau.i18n.later`), so the API and the pages answer in kk, ru or en."""

from django.utils.translation import gettext_noop as _

from sailau.errors import at_field
from sailau.i18n import later
from sailau.protocols.errors import ChainError


class ObservationError(ChainError):
    status = 422
    code = "bad_input"

    def __init__(self, field: str, message, code: str | None = None, **detail):
        super().__init__(at_field(field, message), code, field, **detail)


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


# messages said at several places
REQUIRED = _("required")
ONE_OF = _("must be one of %(allowed)s")
ISO_TIME = _("an ISO date and time")


def one_of(choices) -> str:
    """`must be one of a, b, c` for a model's (value, label) choices: the values, which the API
    takes."""
    return later(ONE_OF, allowed=", ".join(dict(choices)))
