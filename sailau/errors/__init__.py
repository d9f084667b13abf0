"""One error model for the whole project (no Django: the law, the entry machine and the
commands raise it too).

A `SailauError` is a refusal: a stable `code` (a `Code`), a `message`, the `field` at fault, an
HTTP `status` and optional `detail` (findings, the bulk item...). The API answers every one in
one shape (`to_json`, sailau.api.api), pages render it with its status (sailau.web.refusals).

The message may be a plain string (English, naming what and where), a msgid translated when
shown (`sailau.i18n.later`), a lazily translated string or a `Text` (sailau.languages). `text(lang)`
is what a page or the API shows; `str()` is English, for logs and commands. A plain English
message is never shown on a kk or ru page: the code's own text from MESSAGES (every code has
one, sailau.errors.catalogue) is shown instead, so every refusal reads in the page's language; a
refusal page of a 403 or 404 shows that text in English too (`page_text`): the English message
names ids, for logs, and a public page shows none."""

from __future__ import annotations

from typing import Any

from sailau.errors.catalogue import MESSAGES, Code  # re-exported: raisers import both from here
from sailau.languages import ENGLISH, Text, language, pick


class SailauError(Exception):
    """A refusal with a stable code, the field at fault and an HTTP status. A kind of refusal
    names its status and code in its class line: `class Gone(SailauError, status=410, code=...)`,
    and every refusal is made by the one constructor, with keywords:
    `NotFound(code=Code.UNKNOWN_STATION, field="station", message=f"no station {n}")`. A refusal
    computed from data (every problem of a file, a cell's row and column) has a named class
    method that calls it (`StructureError.listing`, `RowError.at`)."""

    status = 400
    code: str = Code.BAD_INPUT
    names_field = False  # the message reads "field: message"

    def __init_subclass__(cls, status: int | None = None, code: str | None = None, **kw):
        super().__init_subclass__(**kw)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, *, code: str | None = None, field: str | None = None,
                 message: Any = None, status: int | None = None, detail: dict | None = None):
        """The one constructor of every refusal, keywords only. `code` is a `Code` (a code
        outside the enum is refused here, so every code a client can see has its kk/ru/en text
        in the catalogue); without a `message` the code's own text from MESSAGES is the message.
        A kind whose `names_field` is set reads "field: message" (in every language the message
        has)."""
        self.code = Code(code if code is not None else self.code)
        if status is not None:
            self.status = status
        self.field = field or None
        if message is None:
            message = MESSAGES[self.code]
        elif self.names_field and self.field:
            message = at_field(self.field, message)
        self.message = message
        self.detail = dict(detail or {})
        super().__init__(self.text("en"))

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (kk, ru or en); None: the active language of a lazy message."""
        m = self.message
        if isinstance(m, dict):
            return pick(m, language(lang, default=ENGLISH))
        if hasattr(m, "in_language"):  # a msgid (sailau.i18n.later): in `lang`, or the active one
            return m.in_language(lang)
        if not isinstance(m, str):
            return str(m)  # lazily translated: resolves in the active language
        if language(lang, default=ENGLISH) == ENGLISH:
            return m
        return pick(MESSAGES[self.code], lang)

    def page_text(self, lang: str) -> str:
        """What a page shows of a refusal (its refusal page, or a form's line by the field):
        `text(lang)`, except that a plain English message (written for logs, naming ids and
        login names) shows its code's own text, in English too: a page names no internal id and
        no user. The general BAD_INPUT of a 4xx other than 403 and 404 keeps its message: its
        code's text says nothing of what was wrong."""
        if isinstance(self.message, str) and (self.status in (403, 404)
                                              or self.code != Code.BAD_INPUT):
            known = MESSAGES[self.code]
            return pick(known, language(lang, default=ENGLISH))
        return self.text(lang)

    def to_json(self, lang: str | None = None) -> dict:
        """The one wire shape of every refusal (the API's `ErrorOut`)."""
        return {"error": str(self.code), "message": self.text(lang), "field": self.field,
                "detail": self.detail}

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):
        # Pickled (a refusal crossing to another process) by its state, not by re-calling the
        # keyword-only constructor with positional `args`.
        return _remade, (type(self), dict(vars(self)))


def _remade(kind: type[SailauError], state: dict) -> SailauError:
    exc = kind.__new__(kind)
    exc.__dict__.update(state)
    Exception.__init__(exc, exc.text("en"))
    return exc


class BadInput(SailauError, status=422, code=Code.BAD_INPUT):
    """Input that cannot be used; `field` names it."""


class NotFound(SailauError, status=404, code=Code.NOT_FOUND):
    pass


class Conflict(SailauError, status=409, code=Code.CONFLICT):
    """The request conflicts with the current state."""


class Forbidden(SailauError, status=403, code=Code.NOT_ALLOWED):
    """Signed in, but no role allows this."""


class Unauthorized(SailauError, status=401, code=Code.UNAUTHORIZED):
    pass


class RateLimited(SailauError, status=429, code=Code.RATE_LIMITED):
    pass


class StorageUnavailable(SailauError, status=503, code=Code.STORAGE_UNAVAILABLE):
    """The file storage (the disk or the object store) did not answer: nothing was stored."""


class Unsettled(SailauError, status=503, code=Code.PUBLICATION_UNSETTLED):
    """No moment had every definitive protocol in the log's checkpoint within the time allowed:
    nothing was published (a file showing a protocol its checkpoint lacks would fail `sailau
    verify`); the next round publishes."""


class _AtField:
    """`field: message`, for a message translated when shown (`sailau.i18n.later`)."""

    def __init__(self, field: str, message: Any):
        self.field, self.message = field, message

    def in_language(self, lang: str | None) -> str:
        return f"{self.field}: {self.message.in_language(lang)}"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def at_field(field: str, message: Any) -> Any:
    """"field: message" (a kind's `names_field`, or a raiser that wants the field named), keeping
    every language the message has (a `Text`, a lazy text, a string)."""
    if isinstance(message, dict):
        return Text.of(message).map(lambda text: f"{field}: {text}")
    if hasattr(message, "in_language"):
        return _AtField(field, message)
    return f"{field}: {message}"
