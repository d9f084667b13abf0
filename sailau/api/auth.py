"""Authentication: a Django session (with CSRF) for pages, a bearer token for scripts. Reads are
public; every write needs one of the two, and then a role (checked in the service layer). A
token works until it expires or is revoked (by its owner, or by a change of password)."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from sailau.accounts.models import ApiToken

        t = (ApiToken.live().select_related("user").filter(key_hash=ApiToken.digest(token))
             .first())
        if t is None or not t.user.is_active:
            return None
        request.user = t.user
        return t.user


class SessionAuth(APIKeyCookie):
    """The Django session, CSRF-checked. Unlike ninja's `django_auth`, an anonymous caller is
    told 401 (sign in) rather than 403 "CSRF check Failed": the CSRF check is for sessions."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


session_auth = SessionAuth()
WRITE = [TokenAuth(), session_auth]


def user_of(request):
    return request.auth
