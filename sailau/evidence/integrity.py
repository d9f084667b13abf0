"""Input of integrity criterion I17 (a verified reading of the paper differs from the official
protocol), in the shape `sailau.analysis.criteria.evaluate` takes it; read by
`sailau.integrity.service.station_inputs`. Readings of superseded versions are left out: the
amendment is criterion I12's."""

from django.db.models import Count, Max

from sailau.evidence import compare
from sailau.evidence.models import Image
from sailau.evidence.summary import side_by_side


def inputs(contest) -> dict:
    found: dict[str, list] = {}
    images = (Image.objects.filter(contest=contest, status=Image.VERIFIED)
              .select_related("protocol").order_by("station_id", "id"))
    for row in compare.compared(images):
        if row["status"] == compare.MISMATCH:
            image = row["image"]
            found.setdefault(image.station_id, []).append({
                "image": image.pk, "source": image.source, "verified_by": image.verified_by,
                "differences": row["differences"]})
    return {"verified_readings": found}


def cache_part(contest) -> str:
    """What the report depends on here: a new verified reading makes it stale."""
    v = Image.objects.filter(contest=contest, status=Image.VERIFIED).aggregate(
        n=Count("id"), last=Max("verified_at"))
    return f"e{v['n']}-{v['last']}"


def images(found: list[dict], contest, lang: str) -> list[dict]:
    """The integrity report's images beside both figures, as on the image's own page."""
    return side_by_side(found, contest, lang)
