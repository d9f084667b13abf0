"""Errors of the protocol chain: `SailauError`s (sailau.errors) with the chain's own codes and a
message that names the problem (the field, the state, the other user)."""

from sailau import errors
from sailau.errors import Code, SailauError


class ChainError(SailauError):
    status = 400
    code = Code.CHAIN_ERROR

    def __init__(self, message, code: str | None = None, field: str | None = None, **detail):
        super().__init__(code, message, field, detail=detail)


class NotFound(ChainError, errors.NotFound):
    status = 404
    code = Code.NOT_FOUND


class BadInput(ChainError, errors.BadInput):
    """Input that cannot be read: names the field (`figures.lost`, `decision_date`...)."""

    status = 422
    code = Code.BAD_INPUT

    def __init__(self, field: str, message):
        super().__init__(errors.at_field(field, message), field=field)


class TransitionError(ChainError, errors.Conflict):
    """The double-entry state machine refuses the step in the current state."""

    status = 409
    code = Code.TRANSITION


class EntryRejected(ChainError, errors.BadInput):
    """Errors in the figures (F codes), or warnings (W codes) not acknowledged."""

    status = 422
    code = Code.ENTRY_REJECTED


# What a line of the entry form says when the form is refused for a value it cannot read: each
# such line says it (an empty form said "Invalid input" under line 1 alone).
EMPTY_LINE = {"kk": "Бос жол: қағаз хаттамадағы санды енгізіңіз (жоқ болса, 0)",
              "ru": "Строка пуста: введите число с бумажного протокола (если нет, 0)",
              "en": "Empty: type the figure on the paper protocol (0 if there is none)"}
UNREAD_SUMMARY = {"kk": "Бос немесе сан емес жолдар: {n}. Әрқайсысының астында не жетпейтіні жазылған.",
                  "ru": "Пустых строк или строк не с числом: {n}. Под каждой написано, чего не хватает.",
                  "en": "Lines empty or not a whole number: {n}. Each says what is missing."}
NOT_A_COUNT = {"kk": "Бүтін сан емес: тек цифрлар енгізіңіз",
               "ru": "Не целое число: введите только цифры",
               "en": "Not a whole number: type digits only"}


def unreadable_fields(keys: dict[str, bool], values: dict, lang: str) -> dict[str, str]:
    """{field: message} for each field of the form (`keys`: field name -> required) left empty
    while required, or holding something other than a count, in `lang`, through the project's
    error model (a BadInput per field)."""
    out = {}
    for field, required in keys.items():
        part, key = field.split(".", 1)
        value = values.get(part, {}).get(key)
        text = "" if value is None else str(value).strip()
        if text == "":
            message = EMPTY_LINE if required else None
        else:
            message = None if text.isdigit() else NOT_A_COUNT
        if message:
            out[field] = BadInput(field, message).text(lang).removeprefix(f"{field}: ")
    return out
