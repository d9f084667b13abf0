"""`{% load integrity %}{% station_flags station %}`: a station's integrity status and criteria,
for the station page (the template is integrity/station_flags.html)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from sailau.elections.models import Contest
from sailau.integrity.service import station_flags as flags_of
from sailau.integrity.views import Words, evidence_items
from sailau.languages import language, pick

register = template.Library()


@register.inclusion_tag("integrity/station_flags.html")
def station_flags(station, contest=None):
    """`station`: a Station or its id; `contest`: default the election's principal contest."""
    sid = getattr(station, "id", station)
    data = flags_of(str(sid), contest)
    if data is None:
        return {"flags": None}
    lang = language(get_language())
    # the commissions and choices the evidence names, by their names (never their ids)
    words = Words(Contest.objects.get(id=data["contest"]), lang, data["flags"])
    items = [{"code": f["code"], "name": pick(f["criterion"]["name"], lang),
              "explanation": pick(f["criterion"]["explanation"], lang),
              "evidence": mark_safe("; ".join(map(conditional_escape,
                                                  evidence_items(f["evidence"], lang, words))))}
             for f in data["flags"]]
    return {"flags": {"status": data["status"], "criteria": items}}
