"""Every answer under /api/ in the one error shape. What is answered before any API handler
runs — Django's 404 page for a path no route matches, ninja's plain-text 405 for a method the
route lacks — is answered again as `ErrorOut`, through the API's own handler (so in the
request's language), with its status kept."""

from sailau.errors import Code, NotFound, SailauError
from sailau.languages import texts

T = texts("api.shape")

NO_ROUTE = T("No API operation at this address")
NO_METHOD = T("This address does not accept this HTTP method")


def _as_error(response) -> SailauError:
    if response.status_code == 404:
        return NotFound(code=Code.NOT_FOUND, message=NO_ROUTE)
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        return SailauError(code=Code.METHOD_NOT_ALLOWED, message=NO_METHOD, status=405,
                           detail={"allowed": [m.strip() for m in allowed.split(",") if m]})
    return SailauError(code=Code.BAD_INPUT, status=response.status_code)


class ApiErrorShapeMiddleware:
    """settings.MIDDLEWARE, inside LocaleMiddleware (the message's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            from sailau.api.api import _refusal

            shaped = _refusal(request, _as_error(response))
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
