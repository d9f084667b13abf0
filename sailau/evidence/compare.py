"""A verified reading against the official protocol, compared when read (so an amendment
shows at once): the paper and the published figures agree, differ (which lines, both
figures), or the paper is of a version since superseded (reported as such, never as a
mismatch: the commission amended it by a decision the amendment record names)."""

from __future__ import annotations

from collections.abc import Iterable

from sailau.evidence.models import Image
from sailau.observation.compare import differences
from sailau.protocols.models import Protocol

MATCH, MISMATCH, SUPERSEDED, NO_OFFICIAL = "match", "mismatch", "superseded", "no_official"


def current_protocols(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """{(station, contest): {id, version, figures, choices}} of the current protocols."""
    by_contest: dict[str, set[str]] = {}
    for sid, cid in pairs:
        by_contest.setdefault(cid, set()).add(sid)
    out = {}
    for cid, sids in by_contest.items():
        for sid, pk, version, fig, cho in (Protocol.objects.current()
                                          .filter(contest_id=cid, station_id__in=sids)
                                          .values_list("station_id", "id", "version", "figures",
                                                       "choices")):
            out[(sid, cid)] = {"id": pk, "version": version, "figures": fig, "choices": cho}
    return out


def compare(image: Image, official: dict | None, paper_version: int | None = None) -> dict:
    if official is None:
        return {"status": NO_OFFICIAL, "differences": []}
    diff = differences(official["figures"], official["choices"], image.figures or {},
                       image.choices or {})
    if image.protocol_id and image.protocol_id != official["id"]:
        return {"status": SUPERSEDED, "differences": diff, "version": paper_version,
                "current_version": official["version"]}
    return {"status": MISMATCH if diff else MATCH, "differences": diff,
            "version": official["version"]}


def compared(images: Iterable[Image]) -> list[dict]:
    """Each verified image with its comparison (images with `protocol` selected)."""
    images = [i for i in images if i.status == Image.VERIFIED]
    official = current_protocols((i.station_id, i.contest_id) for i in images)
    return [{"image": i, **compare(i, official.get((i.station_id, i.contest_id)),
                                   i.protocol.version if i.protocol_id else None)}
            for i in images]


def of_station(station_id: str, contest_id: str | None = None) -> list[dict]:
    qs = Image.objects.filter(station_id=station_id, status=Image.VERIFIED)
    if contest_id:
        qs = qs.filter(contest_id=contest_id)
    return compared(qs.select_related("protocol", "contest").order_by("id"))
