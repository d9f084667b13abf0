"""From a mismatch to a complaint: the person who found that a station's paper says otherwise
than its official protocol (the observer whose copy it is, or a volunteer whose reading of the
image was confirmed) is offered a complaint already written: against the territorial
commission that tabulated the station (where figures entered upstream come from), to the
commission above it, on tabulation, with the image attached and both figures in its text.

The terms are the law's, not ours: the last day to file is the rule set's
`filing_deadline` of the day the official figures were made definitive, and the decision's
term is computed by the complaints register when it files (`complaints.services`), which also
writes the audit record of the filing; a second record, in the same transaction, ties the
complaint to its evidence (the image's hash and both figures)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sailau import audit, clock
from sailau.accounts import permissions as perm
from sailau.complaints import services as complaints
from sailau.errors import Code, Conflict, Forbidden
from sailau.evidence import compare, texts
from sailau.evidence.models import Image, Reading
from sailau.languages import page_words
from sailau.law import deadlines as law


def finder_kind(image: Image, user) -> str | None:
    """How `user` found this image's mismatch: "observer" (their own copy), "voter" (a
    volunteer whose reading was confirmed), or None (not theirs to file)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if image.source == Image.COPY and image.copy.observer.user_id == user.pk:
        return "observer"
    if Reading.objects.filter(image=image, volunteer__user=user,
                              outcome=Reading.CONFIRMED).exists():
        return "voter"
    return None


def mismatch(image: Image) -> dict | None:
    """The image's comparison when it is a mismatch with the current official protocol."""
    if image.status != Image.VERIFIED:
        return None
    (row,) = compare.compared([image])
    return row if row["status"] == compare.MISMATCH else None


def _official(image: Image) -> tuple[int | None, dt.date]:
    """The current official protocol's id and the day it was made definitive (the event
    complained of)."""
    from sailau.protocols.models import Protocol

    p = (Protocol.objects.current().filter(station_id=image.station_id,
                                           contest_id=image.contest_id)
         .values_list("id", "created_at").first())
    return (p[0], timezone.localtime(p[1]).date()) if p else (None, clock.localdate())


def draft(image: Image, user, lang: str) -> dict:
    """The complaint's fields, pre-filled, and its terms; refuses whoever is not its finder
    and an image that is no mismatch."""
    row = mismatch(image)
    if row is None:
        raise Conflict(code=Code.CONFLICT, message=texts.NO_MISMATCH, field="image")
    kind = finder_kind(image, user)
    if kind is None:
        raise Forbidden(code=Code.NOT_ALLOWED, message=texts.NOT_FINDER)
    station = image.station
    territory = station.territory
    body_commission = territory.parent
    from sailau.protocols.catalog import line_names

    t = page_words(texts.PAGE, lang)
    names = line_names(image.contest, lang)
    lines = "\n".join(t["complaint_line"].format(line=names.get(d["line"], d["line"]),
                                                 paper=d["copy"],
                                                 official=d["official"])
                      for d in row["differences"])
    protocol, event = _official(image)
    terms = complaints.deadlines_for(station.election)
    due = terms.decision_due(clock.localdate(), body=law.HIGHER_COMMISSION,
                             topic="tabulation", election_day=station.election.date)
    return {
        "election": station.election_id, "filer_kind": kind,
        "filer_name": user.get_full_name() or user.get_username(),
        "filer_contact": user.email or "",
        "against_kind": "commission", "against_name": territory.name(lang),
        "commission": territory.pk, "topic": "tabulation", "station": str(station.number),
        "protocol": str(protocol or ""), "body": law.HIGHER_COMMISSION,
        "body_commission": body_commission.pk if body_commission else "",
        "event_date": event.isoformat(),
        "text": t["complaint_text"].format(number=station.number, source=t[image.source],
                                           n=image.verified_by, lines=lines),
        "filing_deadline": terms.filing_deadline(event), "decision_due": due,
        "late": terms.is_late(clock.localdate(), event),
        "body_name": body_commission.name(lang) if body_commission else "",
        "differences": row["differences"],
    }


FIELDS = ("election", "filer_kind", "filer_name", "filer_contact", "against_kind",
          "against_name", "commission", "topic", "station", "protocol", "body",
          "body_commission", "event_date", "text")


def file(image: Image, user, lang: str, edited: dict | None = None):
    """File the complaint (the finder may edit their name, contact and text; what it is
    against, where and on what stays the evidence's), with the image attached."""
    draft_row = draft(image, user, lang)
    data = {k: v for k, v in draft_row.items() if k in FIELDS}
    for k in ("filer_name", "filer_contact", "text"):
        if edited and k in edited:
            data[k] = edited[k]
    f = image.scan.file if image.source == Image.SCAN else image.copy.photo
    with f.storage.open(f.name, "rb") as fh:
        content = fh.read()
    ext = f.name.rsplit(".", 1)[-1].lower()
    name = f"evidence-{image.pk}.{ext if ext in ('pdf', 'png', 'jpg', 'jpeg') else 'jpg'}"
    with transaction.atomic():
        c, created = complaints.file_complaint(data, [complaints.Upload(name, content)],
                                               user=user)
        if created:
            # The filing's own record holds the text; this one ties it to the evidence: which
            # image (its hash, as attached), what it shows and what the protocol says.
            audit.append(perm.username(user), "evidence.complaint_filed", f"complaint/{c.pk}",
                         {"image": image.pk, "source": image.source, "sha256": image.sha256,
                          "station": image.station_id, "contest": image.contest_id,
                          "protocol": data["protocol"] or None,
                          "differences": draft_row["differences"]})
    return c, created
