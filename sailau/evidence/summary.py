"""What the station page says of volunteers' readings: per verified image one sentence ("the
official figures match what the paper says, checked by N volunteers", or that they differ, or
that the paper is of an earlier version) and a link to the image beside both figures."""

from __future__ import annotations

from django.urls import reverse

from sailau.evidence import compare, texts
from sailau.evidence.models import Image


def station_summary(station_id: str, lang: str) -> dict:
    t = texts.page(lang)
    out = []
    for row in compare.of_station(station_id):
        img = row["image"]
        sentence = {compare.MATCH: t["match_text"], compare.MISMATCH: t["mismatch_text"],
                    compare.SUPERSEDED: t["superseded_text"],
                    compare.NO_OFFICIAL: t["no_official_text"]}[row["status"]]
        out.append({"status": row["status"], "source": t[img.source],
                    "text": sentence.format(n=img.verified_by, version=row.get("version"),
                                            current=row.get("current_version")),
                    "url": reverse("evidence:evidence", args=[img.pk]), "details": t["details"]})
    waiting = Image.objects.filter(station_id=station_id).exclude(status=Image.VERIFIED).count()
    if waiting:
        out.append({"status": "waiting", "count": waiting, "text": t["open_text"]})
    if not out:
        return {}
    return {"title": t["volunteer_section"], "rows": out, "about": t["title"],
            "about_url": reverse("evidence:home")}
