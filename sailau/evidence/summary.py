"""What the station page says of volunteers' readings: per verified image one sentence ("the
official figures match what the paper says, checked by N volunteers", or that they differ, or
that the paper is of an earlier version) and a link to the image beside both figures."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from sailau.evidence import compare, texts
from sailau.evidence.models import Image
from sailau.languages import page_words


def station_summary(station_id: str, lang: str) -> dict:
    from sailau.protocols.catalog import line_names

    t = page_words(texts.PAGE, lang)
    out = []
    names: dict[str, dict] = {}
    for row in compare.of_station(station_id):
        img = row["image"]
        # A mismatch shows its evidence at once: the image beside the lines that differ,
        # both figures (the whole form is on the image's page).
        lines = []
        if row["status"] == compare.MISMATCH:
            if img.contest_id not in names:
                names[img.contest_id] = line_names(img.contest, lang)
            lines = [{"label": names[img.contest_id].get(d["line"], d["line"]),
                      "paper": d["copy"], "official": d["official"]}
                     for d in row["differences"]]
        sentence = {compare.MATCH: t["match_text"], compare.MISMATCH: t["mismatch_text"],
                    compare.SUPERSEDED: t["superseded_text"],
                    compare.NO_OFFICIAL: t["no_official_text"]}[row["status"]]
        out.append({"status": row["status"], "source": t[img.source],
                    "text": sentence.format(n=img.verified_by, version=row.get("version"),
                                            current=row.get("current_version")),
                    "url": reverse("evidence:evidence", args=[img.pk]), "details": t["details"],
                    "lines": lines, "image_url": reverse("evidence:image_file", args=[img.pk])
                    if lines else ""})
    waiting = dict(Image.objects.filter(station_id=station_id).exclude(status=Image.VERIFIED)
                   .values_list("status").annotate(n=Count("id")).order_by())
    checking = waiting.pop(Image.CHECKING, 0)
    if checking:  # two readings disagree with the official figures: not a mismatch until confirmed
        out.append({"status": "waiting", "count": checking, "text": t["checking_text"]})
    if sum(waiting.values()):
        out.append({"status": "waiting", "count": sum(waiting.values()), "text": t["open_text"]})
    if not out:
        return {}
    return {"title": t["volunteer_section"], "rows": out, "about": t["title"],
            "about_url": reverse("evidence:home"), "line": t["line"], "paper": t["paper"],
            "official": t["official"], "handwriting": t["handwriting"]}


def side_by_side(found: list[dict], contest, lang: str) -> list[dict]:
    """The evidence of criterion I17 in the integrity report (`integrity.inputs`: image, source,
    differences) as `_side_by_side.html` shows it on the image's own page: the image beside
    both figures of every line that differs."""
    from sailau.protocols.catalog import line_names

    if not found:
        return []
    t = page_words(texts.PAGE, lang)
    names = line_names(contest, lang)
    return [{"image": {"pk": f["image"]}, "source": t[f["source"]], "t": t,
             "summary": {"lines": [{"label": names.get(d["line"], d["line"]), "paper": d["copy"],
                                    "official": d["official"], "differs": True}
                                   for d in f["differences"]]}}
            for f in found]
