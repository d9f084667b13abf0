"""`{% load video %}{% station_video station %}`: a station's cameras, its recordings with their
hashes, and a small timeline of how they cover the count window (video/station.html)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from sailau.languages import language
from sailau.video import coverage
from sailau.video.models import Camera, Recording
from sailau.video.views import file_url

register = template.Library()


def _pct(at, start, total) -> float:
    return round(max(0.0, min(100.0, (at - start).total_seconds() / total * 100)), 2)


@register.inclusion_tag("video/station.html")
def station_video(station):
    cameras = list(Camera.objects.filter(station=station))
    if not cameras:
        return {"cameras": []}
    recordings = list(Recording.objects.filter(station=station).select_related("camera"))
    for r in recordings:
        r.url = file_url(r) if r.state == Recording.AVAILABLE else None
    cov = coverage.of_station(station.id)
    bars = []
    if cov.known:
        start, total = cov.start, (cov.end - cov.start).total_seconds()
        for a, b in cov.spans:
            if b > cov.start and a < cov.end:
                x = _pct(a, start, total)
                bars.append({"x": x, "w": max(_pct(b, start, total) - x, 0.3), "kind": "on"})
        for a, b in cov.gaps:
            x = _pct(a, start, total)
            bars.append({"x": x, "w": max(_pct(b, start, total) - x, 0.3), "kind": "gap"})
    return {"cameras": cameras, "recordings": recordings, "coverage": cov, "bars": bars}


CITATION = re.compile(r"\brecording-(\d{1,18})#t=(\d{1,6})\b")


@register.filter
def recording_links(text):
    """Complaint text with each `recording-ID#t=SECONDS` made a link to that moment of the
    recording (the rest of the text escaped as usual)."""
    lang = language(get_language())

    def link(m):
        href = f"/{lang}/video/r/{m[1]}/?t={m[2]}"
        return f'<a href="{escape(href)}">{escape(m[0])}</a>'

    parts, at = [], 0
    text = str(text or "")
    for m in CITATION.finditer(text):
        parts += [escape(text[at:m.start()]), link(m)]
        at = m.end()
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # every piece escaped above
