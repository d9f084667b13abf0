"""Small helpers of the routers that take an uploaded CSV file."""

from django.utils.translation import get_language

from sailau.errors import BadInput


def utf8_text(file) -> str:
    """The uploaded file's text; BadInput (in kk/ru/en) when it is not UTF-8."""
    try:
        return file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(message={"kk": "Файл UTF-8 мәтіні емес", "ru": "Файл не в кодировке UTF-8",
                                "en": "the file is not UTF-8 text"}, field="file") from None


def request_lang() -> str:
    """The request's language among kk/ru/en; English for any other."""
    code = (get_language() or "kk")[:2]
    return code if code in ("kk", "ru", "en") else "en"
