"""`{% station_scans part %}`: the scans of one protocol on the station page, each said against
the current version (a scan of an earlier version is said to be one)."""

from django import template
from django.utils.translation import get_language

from sailau.languages import language
from sailau.scans.service import standing

register = template.Library()


@register.inclusion_tag("scans/_station_scans.html")
def station_scans(part: dict) -> dict:
    """`part`: a contest of the published station document (`protocol`, `scans`)."""
    lang = language(get_language())
    protocol = part.get("protocol") or {}
    scans, note = standing(part.get("scans") or [], protocol.get("version"),
                           lang)
    return {"scans": scans, "note": note}
