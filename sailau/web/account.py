"""The header's account corner for a signed-in visitor: their name and "Sign out" instead of
"Sign in".

Public pages are rendered once and cached for everyone (`publish.pagecache`), so the header
they carry is the anonymous one, between two markers. For a request with a session of a
signed-in user this middleware puts the user's own corner between the markers, on the way out:
the cached page stays shared, only the bytes sent to this visitor differ, and those are marked
private so that no shared cache keeps them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

OPEN, CLOSE = b"<!--account-->", b"<!--/account-->"


class AccountMiddleware:
    """settings.MIDDLEWARE, after AuthenticationMiddleware (it reads `request.user`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, no user: the anonymous page as it is, without touching the
        # session (which would make every public page vary on cookies).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        # The visitor's copy of a page may be the anonymous one: never answer it "not modified".
        request.META.pop("HTTP_IF_NONE_MATCH", None)
        request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
        response = self.get_response(request)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            return response
        content = response.content
        start = content.find(OPEN)
        end = content.find(CLOSE, start)
        if start < 0 or end < 0:
            return response
        corner = render_to_string("web/_account.html", {"account": user}, request)
        response.content = content[:start + len(OPEN)] + corner.encode() + content[end:]
        if response.has_header("ETag"):
            del response["ETag"]
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response
