"""One error model for the whole project (no Django: the law, the entry machine and the
commands raise it too).

A `SailauError` is a refusal: a stable `code` (a `Code`), a `message`, the `field` at fault, an
HTTP `status` and optional `detail` (findings, the bulk item...). The API answers every one in
one shape (`to_json`, sailau.api.api), pages render it with its status (sailau.web.refusals).

The message may be a plain string (English, naming what and where), a msgid translated when
shown (`sailau.i18n.later`), a lazily translated string or a {"kk", "ru", "en"} dict. `text(lang)`
is what a page or the API shows; `str()` is English, for logs and commands. A plain English
message is never shown on a kk or ru page: the code's own text from MESSAGES is shown instead
(or the status's, for a code without one), so every refusal reads in the page's language; a
refusal page of a 403 or 404 shows that text in English too (`page_text`): the English message
names ids, for logs, and a public page shows none."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

LANGS = ("kk", "ru", "en")


class Code(StrEnum):
    """Refusal codes. Clients match on these; their meaning never changes."""

    BAD_INPUT = "bad_input"
    BAD_QUERY = "bad_query"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    NOT_ALLOWED = "not_allowed"
    UNAUTHORIZED = "unauthorized"
    RATE_LIMITED = "rate_limited"
    # the protocol chain
    CHAIN_ERROR = "chain_error"
    TRANSITION = "transition"
    ENTRY_REJECTED = "entry_rejected"
    ENTRY_HAS_ERRORS = "entry_has_errors"
    WARNINGS_NOT_ACKNOWLEDGED = "warnings_not_acknowledged"
    ENTRY_TAKEN = "entry_taken"
    SECOND_ENTRY_SAME_USER = "second_entry_same_user"
    ENTRY_ALREADY_FINALISED = "entry_already_finalised"
    FIRST_ENTRY_NOT_FINALISED = "first_entry_not_finalised"
    ENTRIES_DIFFERENT = "entries_different"
    DEFINITIVE = "definitive"
    NOTHING_TO_RESOLVE = "nothing_to_resolve"
    COORDINATOR_TYPED_ENTRY = "coordinator_typed_entry"
    ENTRY_NUMBER = "entry_number"
    NOTHING_TO_DISCARD = "nothing_to_discard"
    # publication
    UNKNOWN_ELECTION = "unknown_election"
    UNKNOWN_COMMISSION = "unknown_commission"
    UNKNOWN_STATION = "unknown_station"
    UNKNOWN_CONTEST = "unknown_contest"
    STATION_NOT_IN_ELECTION = "station_not_in_election"
    STATION_NOT_IN_CONTEST = "station_not_in_contest"
    NOT_PUBLISHED = "not_published"
    # observation
    NOT_DEPLOYED = "not_deployed"
    UUID_CONFLICT = "uuid_conflict"
    # voters
    DEADLINE_PASSED = "deadline_passed"
    TOO_EARLY = "too_early"
    NOT_ON_LIST = "not_on_list"
    ALREADY_LISTED = "already_listed"
    ALREADY_REDEEMED = "already_redeemed"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    NOT_ELECTION_DAY = "not_election_day"
    NOT_ELIGIBLE = "not_eligible"
    SAME_STATION = "same_station"
    DUPLICATE = "duplicate"
    REQUIRED = "required"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    # structure and complaints
    STRUCTURE = "structure"
    # files
    STORAGE_UNAVAILABLE = "storage_unavailable"
    # commission-held keys and the commission's own signature
    KEY_INVALID = "key_invalid"
    KEY_ACTIVE = "key_active"
    KEY_NOT_CONFIRMED = "key_not_confirmed"
    KEY_CONFIRMED = "key_confirmed"
    KEY_REVOKED = "key_revoked"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_VERSION = "signature_version"
    NOTHING_TO_SIGN = "nothing_to_sign"
    ALREADY_SIGNED = "already_signed"
    AWAITING_SIGNATURE = "awaiting_signature"


def _m(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


# What a code means, in each language: shown when the raiser gave only an English message.
MESSAGES: dict[str, dict[str, str]] = {
    Code.BAD_INPUT: _m("Енгізілген деректер қате", "Неверные входные данные", "Invalid input"),
    Code.BAD_QUERY: _m("Іздеу сұрауы қате", "Неверный поисковый запрос", "Invalid search query"),
    Code.NOT_FOUND: _m("Сұралған нысан табылмады", "Запрошенный объект не найден",
                       "Not found"),
    Code.CONFLICT: _m("Сұрау ағымдағы күймен қайшы келеді",
                      "Запрос противоречит текущему состоянию",
                      "The request conflicts with the current state"),
    Code.NOT_ALLOWED: _m("Бұл әрекетке құқығыңыз жоқ", "У вас нет права на это действие",
                         "You are not allowed to do this"),
    Code.UNAUTHORIZED: _m("Жүйеге кіру қажет", "Требуется вход в систему",
                          "Authentication required"),
    Code.RATE_LIMITED: _m("Сұраулар тым көп; кейінірек қайталаңыз",
                          "Слишком много запросов; повторите позже",
                          "Too many requests; try again later"),
    Code.ENTRY_HAS_ERRORS: _m("Енгізуде қателер бар", "Во вводе есть ошибки",
                              "The entry has errors"),
    Code.WARNINGS_NOT_ACKNOWLEDGED: _m("Ескертулерді растау қажет",
                                       "Предупреждения нужно подтвердить",
                                       "Warnings must be acknowledged"),
    Code.ENTRY_TAKEN: _m("Бұл енгізуді басқа пайдаланушы теріп жатыр",
                         "Этот ввод набирает другой пользователь",
                         "This entry is being typed by another user"),
    Code.SECOND_ENTRY_SAME_USER: _m("Екінші енгізуді басқа пайдаланушы теруі керек",
                                    "Второй ввод должен сделать другой пользователь",
                                    "The second entry needs a different user"),
    Code.ENTRY_ALREADY_FINALISED: _m("Бұл енгізу аяқталған", "Этот ввод уже завершён",
                                     "This entry is already finalised"),
    Code.FIRST_ENTRY_NOT_FINALISED: _m("Алдымен бірінші енгізу аяқталуы керек",
                                       "Сначала нужно завершить первый ввод",
                                       "The first entry must be finalised first"),
    Code.ENTRIES_DIFFERENT: _m("Екі енгізу әртүрлі: үйлестіруші шешуі керек",
                               "Два ввода различаются: решает координатор",
                               "The two entries differ: a coordinator must resolve them"),
    Code.DEFINITIVE: _m("Хаттама түпкілікті: тек түзету арқылы өзгереді",
                        "Протокол окончательный: изменяется только поправкой",
                        "The protocol is definitive: it changes only by an amendment"),
    # What a page shows for a raiser's English message that names ids (a station, a contest).
    Code.UNKNOWN_ELECTION: _m("Мұндай сайлау жоқ", "Таких выборов нет", "No such election"),
    Code.UNKNOWN_COMMISSION: _m("Бұл сайлауда мұндай комиссия жоқ",
                                "В этих выборах нет такой комиссии",
                                "No such commission in this election"),
    Code.UNKNOWN_STATION: _m("Мұндай сайлау учаскесі жоқ", "Такого избирательного участка нет",
                             "No such polling station"),
    Code.UNKNOWN_CONTEST: _m("Мұндай сайлау түрі жоқ", "Таких выборов (бюллетеня) нет",
                             "No such contest"),
    Code.STATION_NOT_IN_ELECTION: _m("Бұл учаске осы сайлауға жатпайды",
                                     "Этот участок не относится к этим выборам",
                                     "This station is not in the election of this contest"),
    Code.STATION_NOT_IN_CONTEST: _m("Бұл учаскеде осы сайлау түрі бойынша дауыс берілмейді",
                                    "На этом участке не голосуют по этим выборам",
                                    "This station does not vote in this contest"),
    Code.DEADLINE_PASSED: _m("Заңда белгіленген мерзім өтіп кетті",
                             "Установленный законом срок истёк",
                             "The legal deadline has passed"),
    Code.NOT_DEPLOYED: _m("Сіз бұл учаскеге жіберілмегенсіз",
                          "Вы не направлены на этот участок",
                          "You are not deployed to this station"),
    Code.STORAGE_UNAVAILABLE: _m(
        "Файлдар қоймасы қазір қолжетімсіз: файл сақталмады. Біраздан кейін қайталаңыз.",
        "Хранилище файлов сейчас недоступно: файл не сохранён. Повторите немного позже.",
        "File storage is unavailable right now: the file was not stored. Try again shortly."),
    Code.KEY_INVALID: _m("Бұл Ed25519 ашық кілті емес (32 байт, base64)",
                         "Это не открытый ключ Ed25519 (32 байта, base64)",
                         "This is not an Ed25519 public key (32 bytes, base64)"),
    Code.KEY_ACTIVE: _m("Комиссияның өз кілті бар: алдымен оны кері қайтарып алыңыз",
                        "У комиссии уже есть свой ключ: сначала отзовите его",
                        "The commission already has a key of its own: revoke it first"),
    Code.KEY_NOT_CONFIRMED: _m("Комиссияның кілтін жоғары тұрған комиссия әлі растамаған",
                               "Ключ комиссии ещё не подтверждён вышестоящей комиссией",
                               "The commission's key is not yet confirmed by the commission "
                               "above"),
    Code.KEY_CONFIRMED: _m("Бұл кілт расталған", "Этот ключ уже подтверждён",
                           "This key is already confirmed"),
    Code.KEY_REVOKED: _m("Бұл кілт кері қайтарылған", "Этот ключ отозван",
                         "This key has been revoked"),
    Code.SIGNATURE_INVALID: _m("Қолтаңба осы хаттамаға сәйкес келмейді: цифрлар, нұсқа немесе "
                               "кілт басқа",
                               "Подпись не соответствует этому протоколу: другие цифры, версия "
                               "или ключ",
                               "The signature does not verify over this protocol: other "
                               "figures, another version or another key"),
    Code.SIGNATURE_VERSION: _m("Қолтаңба хаттаманың басқа нұсқасына арналған",
                               "Подпись относится к другой версии протокола",
                               "The signature is for another version of the protocol"),
    Code.NOTHING_TO_SIGN: _m("Қол қоюды күтетін хаттама жоқ",
                             "Нет протокола, ожидающего подписи",
                             "No protocol is awaiting the commission's signature"),
    Code.ALREADY_SIGNED: _m("Хаттамаға комиссияның басқа мүшесі қол қойып қойған",
                            "Протокол уже подписан другим членом комиссии",
                            "The protocol has already been signed by another member"),
    Code.AWAITING_SIGNATURE: _m("Хаттама комиссияның қолтаңбасын күтуде",
                                "Протокол ожидает подписи комиссии",
                                "The protocol is awaiting the commission's signature"),
}

# For codes without their own text: what the status means.
BY_STATUS: dict[int, dict[str, str]] = {
    400: MESSAGES[Code.BAD_INPUT], 422: MESSAGES[Code.BAD_INPUT],
    401: MESSAGES[Code.UNAUTHORIZED], 403: MESSAGES[Code.NOT_ALLOWED],
    404: MESSAGES[Code.NOT_FOUND], 409: MESSAGES[Code.CONFLICT],
    429: MESSAGES[Code.RATE_LIMITED], 503: MESSAGES[Code.STORAGE_UNAVAILABLE],
}


class SailauError(Exception):
    """A refusal with a stable code, the field at fault and an HTTP status. A kind of refusal
    names its status and code in its class line: `class Gone(SailauError, status=410, code=...)`."""

    status = 400
    code: str = Code.BAD_INPUT

    def __init_subclass__(cls, status: int | None = None, code: str | None = None, **kw):
        super().__init_subclass__(**kw)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, code: str | None = None, message: Any = None, field: str | None = None,
                 status: int | None = None, detail: dict | None = None):
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.message = message if message is not None else MESSAGES.get(self.code, "")
        self.field = field
        self.detail = dict(detail or {})
        super().__init__(self.text("en"))

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (kk, ru or en); None: the active language of a lazy message."""
        m = self.message
        if isinstance(m, dict):
            return m.get(lang or "en") or m.get("en") or next(iter(m.values()), "")
        if hasattr(m, "in_language"):  # a msgid (sailau.i18n.later): in `lang`, or the active one
            return m.in_language(lang)
        if not isinstance(m, str):
            return str(m)  # lazily translated: resolves in the active language
        if lang in (None, "en") or not lang:
            return m
        known = MESSAGES.get(self.code) or BY_STATUS.get(self.status)
        return known.get(lang, m) if known else m

    def page_text(self, lang: str) -> str:
        """What a refusal page shows: `text(lang)`, except that a 403 or 404 whose message is
        plain English (written for logs, naming ids and login names) shows its code's own text,
        in English too: a page names no internal id and no user."""
        known = MESSAGES.get(self.code) or BY_STATUS.get(self.status)
        if isinstance(self.message, str) and self.status in (403, 404) and known:
            return known.get(lang) or known["en"]
        return self.text(lang)

    def to_json(self, lang: str | None = None) -> dict:
        """The one wire shape of every refusal (the API's `ErrorOut`)."""
        return {"error": str(self.code), "message": self.text(lang), "field": self.field,
                "detail": self.detail}

    def __str__(self) -> str:
        return self.text("en")


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


class _AtField:
    """`field: message`, for a message translated when shown (`sailau.i18n.later`)."""

    def __init__(self, field: str, message: Any):
        self.field, self.message = field, message

    def in_language(self, lang: str | None) -> str:
        return f"{self.field}: {self.message.in_language(lang)}"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def at_field(field: str, message: Any) -> Any:
    """The message of the older `(field, message)` constructors, which read "field: message",
    keeping every language the message has (a {"kk", "ru", "en"} dict, a lazy text, a string)."""
    if isinstance(message, dict):
        return {lang: f"{field}: {text}" for lang, text in message.items()}
    if hasattr(message, "in_language"):
        return _AtField(field, message)
    return f"{field}: {message}"
