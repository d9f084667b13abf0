"""The one error shape of the API (`ErrorOut`), and which error answers an operation declares.

Every refusal (a `sailau.errors.SailauError`, a validation error, a missing object, a missing
login) is answered as `ErrorOut` by the handlers in sailau.api.api. Which statuses an operation
can answer follows from what it is, so they are declared here once for every operation rather
than by hand on each (an operation may still declare more itself)."""

from ninja import Schema

from sailau.errors import Code


class ErrorOut(Schema):
    error: str  # a `sailau.errors.Code`: stable, for programs
    message: str  # for people, in the request's language (Accept-Language)
    field: str | None = None  # the input at fault (`figures.lost`, `items`, `limit`...)
    detail: dict = {}  # what else the refusal carries (findings, the bulk item, all errors)


ERROR_DESCRIPTIONS = {
    401: f"Not signed in: no session and no valid bearer token (`{Code.UNAUTHORIZED}`)",
    403: f"Signed in, but no role allows this (`{Code.NOT_ALLOWED}`, or a narrower code)",
    404: f"No such object (`{Code.NOT_FOUND}` or a narrower code)",
    409: "The request conflicts with the current state (a narrower code says how)",
    422: f"Input that cannot be used; `field` names it (`{Code.BAD_INPUT}` or narrower)",
    429: f"Too many requests from this address (`{Code.RATE_LIMITED}`)",
}


def error_statuses(method: str, has_params: bool, has_path_params: bool, secured: bool,
                   throttled: bool) -> list[int]:
    """The error statuses an operation can answer, from what it is."""
    out = []
    if secured:
        out += [401, 403]
    if has_path_params or secured:
        out.append(404)  # a path names an object; a write names one in its body
    if method != "get":
        out.append(409)
    if has_params:
        out.append(422)
    if throttled:
        out.append(429)
    return out
