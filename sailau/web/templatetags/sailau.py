from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def lang_url(context, code: str) -> str:
    """The current page in another language: the first path segment is the language."""
    path = context["request"].get_full_path()
    parts = path.split("/", 2)
    codes = {c for c, _ in settings.LANGUAGES}
    if len(parts) > 1 and parts[1] in codes:
        parts[1] = code
        return "/".join(parts)
    return f"/{code}{path}"


@register.filter
def num(value) -> str:
    """Thousands separated by a thin space, as printed in Kazakh and Russian protocols."""
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", "\u202f")


@register.filter
def pct(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}%"


@register.filter
def name_in(obj, lang: str) -> str:
    return obj.name(lang)
