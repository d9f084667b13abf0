"""Authentication: a Django session (with CSRF) for pages, a bearer token for scripts. Reads are
public; every write needs one of the two, and then a role (checked in the service layer). A
token works until it expires or is revoked (by its owner, or by a change of password)."""

from ninja.security import HttpBearer, django_auth


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from sailau.accounts.models import ApiToken

        t = (ApiToken.live().select_related("user").filter(key_hash=ApiToken.digest(token))
             .first())
        if t is None or not t.user.is_active:
            return None
        request.user = t.user
        return t.user


WRITE = [TokenAuth(), django_auth]


def user_of(request):
    return request.auth
