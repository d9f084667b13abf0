"""Messages translated when shown, not when raised. A refusal is often raised where no language
is known yet (a service, a query parser); the page or the API request that shows it decides.
Below every app, so that any layer may raise a translated message."""

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override

from sailau.languages import language


def page_lang() -> str:
    """The language of the page being made, one of LANGUAGES (Kazakh for any other)."""
    return language(get_language())


def answer_lang(request, active: str | None = None) -> str:
    """The language of an API answer: the request's if it states one (Accept-Language, the
    language cookie), else English: a program that asks for nothing gets the most specific
    message. `active`: the request's language where LocaleMiddleware has not run yet."""
    from django.conf import settings

    if "Accept-Language" in request.headers or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return language(active or get_language())
    return "en"


class Later:
    """A msgid and its values. `str()` reads it in the active language; `in_language(lang)` in
    any (the error model asks for English in logs and commands, kk or ru for a page). A value
    that is itself lazy (a model choice's label) is translated with it."""

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, values: dict):
        self.msgid, self.values = msgid, values

    def _text(self) -> str:
        text = gettext(self.msgid)
        if not self.values:
            return text
        return text % {k: str(v) if isinstance(v, Promise | Later) else v
                       for k, v in self.values.items()}

    def in_language(self, lang: str | None) -> str:
        if not lang:
            return self._text()
        with override(lang):
            return self._text()

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        return f"later({self.msgid!r})"


def later(msgid: str, **values) -> Later:
    """`later(gettext_noop("at most %(n)d"), n=5)` reads in the language of the page or the API
    request that shows it."""
    return Later(msgid, values)


def local_time(value) -> str:
    """Every time shown to people in one format: local (the installation's TIME_ZONE,
    Asia/Almaty) dd.mm.yyyy HH:MM; a date alone as dd.mm.yyyy. Takes datetimes and the ISO
    strings of the snapshot manifests and reports (UTC), so no page shows a raw ISO time beside a
    local one; a string that is not a time comes back as it is."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = value.replace(tzinfo=dt.UTC)
        return date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d.m.Y")
    return str(value)


class AsWritten(str):
    """Text shown as a person wrote it (a name, a complaint's target as filed), not in the page's
    language: the `as_written` filter marks it translate="no" on the page, which tells a reader's
    translator, and the pages' one-language test, that it is nobody's message to translate."""
