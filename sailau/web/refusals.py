"""The one page mechanism for refusals: a `SailauError` raised by a view (or anything it calls)
becomes a page with the error's status and its message in the page's language. API requests
are left to the API's own handler (sailau.api.api), which answers JSON."""

from django.shortcuts import render

from sailau.errors import BadInput, Code, SailauError
from sailau.i18n import page_lang
from sailau.languages import Text


def refusal_page(request, exc: SailauError):
    return render(request, "web/refusal.html", {"error": exc, "message": exc.page_text(page_lang())},
                  status=exc.status)


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


NUL_TEXT = Text(kk="Сұрауда NUL таңбасы (\\x00) бар: мұндай мәтін сақталмайды",
                ru="В запросе есть символ NUL (\\x00): такой текст не может быть сохранён",
                en="The request contains a NUL character (\\x00): such text cannot be stored")
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
