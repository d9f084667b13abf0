"""The one page mechanism for refusals: a `SailauError` raised by a view (or anything it calls)
becomes a page with the error's status and its message in the page's language. API requests
are left to the API's own handler (sailau.api.api), which answers JSON.

Pages raise the project's refusals only (`NotFound`, `Forbidden`...); what Django itself refuses
(an address no view answers, `get_object_or_404`, a permission decorator) comes here too, as
settings' handler404 and handler403 (sailau.urls), so a 404 or 403 has one page whoever
refused."""

from django.shortcuts import render

from sailau.errors import MESSAGES, BadInput, Code, Forbidden, NotFound, SailauError
from sailau.i18n import page_lang
from sailau.languages import texts

T = texts("web.refusals")

# A 404 and a 403 keep their own pages (what to do next: check the link, sign in); every other
# refusal the common one.
TEMPLATES = {404: "404.html", 403: "403.html"}


def refusal_page(request, exc: SailauError):
    lang = page_lang()
    message = exc.page_text(lang)
    if exc.status in TEMPLATES and message == MESSAGES[exc.code].get(lang):
        message = ""  # only the code's general words: the page's own sentence says it better
    return render(request, TEMPLATES.get(exc.status, "web/refusal.html"),
                  {"error": exc, "message": message}, status=exc.status)


# Under /api/ the page is answered again in the API's error shape (sailau.api.shape).
def not_found(request, exception=None):
    """handler404: Django's own 404 as the project's `NotFound`."""
    return refusal_page(request, NotFound(code=Code.NOT_FOUND))


def denied(request, exception=None):
    """handler403: Django's own 403 as the project's `Forbidden`."""
    return refusal_page(request, Forbidden(code=Code.NOT_ALLOWED))


def csrf_failure(request, reason: str = ""):
    """A form refused for its CSRF token (settings.CSRF_FAILURE_VIEW): Django's own page is
    English and names the token; this one speaks the page's language, with the site's header."""
    return render(request, "403_csrf.html", status=403)


class RefusalMiddleware:
    """Renders a refusal raised by a page view (settings.MIDDLEWARE, after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, SailauError) and not request.path.startswith("/api/"):
            return refusal_page(request, exc)
        return None


NUL_TEXT = T("The request contains a NUL character (\\x00): such text cannot be stored")
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.content_type in TEXT_BODIES:  # files (multipart) may hold any byte
        return b"\x00" in request.body or b"\\u0000" in request.body
    return False


class NulInputMiddleware:
    """Refuses text with a NUL character before any view stores it: PostgreSQL text cannot hold
    one, and the database error it raised was a 500 (found by schemathesis on PostgreSQL only,
    SQLite stores it). settings.MIDDLEWARE, inside LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            exc = BadInput(code=Code.BAD_INPUT, message=NUL_TEXT)
            if request.path.startswith("/api/"):
                from sailau.api.api import _refusal

                return _refusal(request, exc)
            return refusal_page(request, exc)
        return self.get_response(request)
