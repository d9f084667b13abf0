"""Statistics by territory: images, verified readings, matches, mismatches, readings of a
superseded version, images waiting for a moderator, duplicates."""

from __future__ import annotations

from sailau.elections.models import Commission
from sailau.evidence import compare
from sailau.evidence.models import Image

COLUMNS = ("images", "verified", "matches", "mismatches", "superseded", "moderation",
           "duplicates")


def by_territory(election_id: str, lang: str = "kk") -> list[dict]:
    names = {c.id: c.name(lang) for c in Commission.objects.filter(
        election_id=election_id, level=Commission.TERRITORIAL)}
    rows: dict[str, dict] = {}
    images = list(Image.objects.filter(station__election_id=election_id)
                  .select_related("station", "protocol").order_by("id"))
    territory = {i.pk: i.station.territory_id or "" for i in images}
    for i in images:
        row = rows.setdefault(territory[i.pk], dict.fromkeys(COLUMNS, 0))
        row["images"] += 1
        row["moderation"] += i.status in (Image.MODERATION, Image.UNREADABLE)
        row["duplicates"] += i.duplicate_of_id is not None
    for c in compare.compared(images):
        row = rows[territory[c["image"].pk]]
        row["verified"] += 1
        row[{compare.MATCH: "matches", compare.MISMATCH: "mismatches",
             compare.SUPERSEDED: "superseded"}.get(c["status"], "verified")] += (
            c["status"] != compare.NO_OFFICIAL)
    out = [{"territory": tid, "name": names.get(tid, tid), **row}
           for tid, row in sorted(rows.items(), key=lambda kv: names.get(kv[0], kv[0]))]
    if out:
        out.append({"territory": "", "name": "", **{k: sum(r[k] for r in out) for k in COLUMNS}})
    return out
