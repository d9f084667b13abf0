from fractions import Fraction
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from sailau import languages
from sailau.i18n import AsWritten, local_time

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


@register.simple_tag
def languages_offered() -> list[tuple[str, str]]:
    """sailau.languages' list, each language by its own name, never translated (Django's
    `get_available_languages` translates the names, and its table knows no kk-Latn)."""
    return [(code, languages.NAMES[code]) for code in languages.LANGUAGES]


@register.filter
def written(lang: str) -> str:
    """The written language a page's language reads: "kk" for kk and kk-latn (a page compares
    with it to choose between a record's Kazakh and Russian spellings)."""
    return languages.written(lang)


@register.filter
def in_script(text) -> str:
    """A record's Kazakh spelling as the page's language writes it (Latin on a kk-latn page)."""
    return languages.in_script(str(text or ""), get_language())


@register.filter
def in_page_language(text) -> str:
    """A text written in code (`sailau.languages.Text`, a kind's words) in the page's language."""
    return text.in_language(get_language()) if text else ""


@register.simple_tag
def worded(text, **values) -> str:
    """A kind's own sentence (`law.kinds.Wording`: a `Text` with "{name}" places) in the page's
    language, its values escaped and filled in; the sentence itself is the code's, its markup
    kept (a share in <strong>)."""
    return format_html(in_page_language(text), **values)


@register.simple_tag
def link(name: str, *args) -> str:
    """The address of a view, or "" where its app is not mounted (a deployment, or a test's
    URL configuration, may leave apps out): the header and the station page then omit it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag
def commission_url(election_id: str, commission_id: str) -> str:
    """`{% url 'publish:commission' election_id commission_id %}`, remembered per language and
    URL configuration: the national page links its 20 territories five times (the map's three
    modes, its table, the list) and its 29 districts, it is rendered again after every protocol
    on election night, and each `reverse` costs a third of a millisecond."""
    return _commission_url(get_language(), get_urlconf() or settings.ROOT_URLCONF,
                           get_script_prefix(), election_id, commission_id)


@lru_cache(maxsize=8192)
def _commission_url(lang, urlconf, prefix, election_id, commission_id) -> str:
    # Called with `lang` active and `prefix` set: the key is all `reverse` depends on.
    return reverse("publish:commission", args=[election_id, commission_id], urlconf=urlconf)


@register.filter
def item(mapping, key):
    """`mapping[key]`, "" when it has none (a chart's fill for the mode being drawn)."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def num(value) -> str:
    """Thousands separated by a thin space, as printed in Kazakh and Russian protocols. A
    figure that does not exist yet (None, or a missing attribute that the template engine
    renders as "") is a dash, never an error."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return "—"


@register.filter
def pct(value, digits: int = 2) -> str:
    """A percentage with the page language's decimal separator: 40,00% on a Kazakh or Russian
    page, 40.00% on an English one."""
    try:
        return languages.decimals(f"{float(value):.{digits}f}%", get_language())
    except (TypeError, ValueError):
        return "—"


@register.filter
def fraction(value, digits: int = 2) -> str:
    """An exact quotient as the law computes it ("244868/3", a Fraction) as a decimal a reader
    can take in, with the page language's separator: 81 622,67 (81 622.67 in English)."""
    try:
        x = float(Fraction(str(value)))
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"
    whole, _, decimals = f"{x:,.{digits}f}".partition(".")
    return languages.decimals(whole.replace(",", "\u202f") + (f".{decimals}" if decimals else ""),
                              get_language())


@register.filter
def share_of(part, whole) -> float | None:
    """`part` as a percentage of `whole` (None when there is no whole)."""
    try:
        return 100 * part / whole if whole else None
    except TypeError:
        return None


@register.filter
def name_in(obj, lang: str) -> str:
    return obj.name(lang)


@register.filter
def when(value) -> str:
    """Every time on a page in one format (see `sailau.i18n.local_time`)."""
    return local_time(value)



@register.filter
def as_written(value):
    """People's own words and names (a donor, an observer, a decision's reasons), marked as not
    the page's to translate: translate="no" tells a reader's translator, and the pages'
    one-language test, that they are shown as written, in whatever language they were."""
    return format_html('<span translate="no">{}</span>', value) if value else value


@register.filter
def as_filed(value):
    """`as_written` for a text given as an i18n.AsWritten, the value itself otherwise: a
    complaint's target is a commission's or party's name in the page's language, or a name
    as the filer wrote it."""
    return as_written(value) if isinstance(value, AsWritten) else value
