"""Errors of observation: `SailauError`s of the one error model, answered by the one API handler
with their status and a message naming the field, like every other part. Messages are msgids
(`sailau.i18n.later`), so the API and the pages answer in kk, ru or en."""

from django.utils.translation import gettext_noop as _

from sailau import errors
from sailau.errors import Code, SailauError
from sailau.i18n import Later, later


class ObservationError(SailauError, status=422, code=Code.BAD_INPUT):
    """A report, a deployment or an accreditation refused: the message names the field."""

    names_field = True


class NotDeployed(ObservationError, errors.Forbidden, status=403, code=Code.NOT_DEPLOYED):
    pass


class Conflict(ObservationError, errors.Conflict, status=409, code=Code.UUID_CONFLICT):
    """The same uuid was sent again with different content."""


class Unknown(ObservationError, errors.NotFound, status=404, code=Code.NOT_FOUND):
    pass


# messages said at several places
REQUIRED = _("required")
ONE_OF = _("must be one of %(allowed)s")
ISO_TIME = _("an ISO date and time")


def one_of(choices) -> Later:
    """`must be one of a, b, c` for a model's (value, label) choices: the values, which the API
    takes."""
    return later(ONE_OF, allowed=", ".join(dict(choices)))
