"""Small helpers of the routers that take an uploaded CSV file."""

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from sailau.accounts import permissions as perm
from sailau.api.auth import user_of
from sailau.elections.models import Election
from sailau.errors import BadInput
from sailau.languages import language, texts

T = texts("api.files")


def utf8_text(file) -> str:
    """The uploaded file's text; BadInput (in kk/ru/en) when it is not UTF-8."""
    try:
        return file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(message=T("the file is not UTF-8 text"), field="file") from None


def request_lang() -> str:
    """The request's language, one of LANGUAGES; English for any other."""
    return language(get_language(), default="en")


def admin_upload(request, election: str, file) -> tuple[Election, str, str]:
    """What an import into an election starts with: the election (404), the caller one of its
    CEC administrators (401, 403), then the file's text (422 when not UTF-8) and the caller's
    name for the audit log."""
    e = get_object_or_404(Election, id=election)
    user = user_of(request)
    perm.require_admin(user, e.id)
    return e, utf8_text(file), perm.username(user)
