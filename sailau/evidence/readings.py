"""A volunteer's reading of an image, and what the readings of an image decide.

Rules (why in brackets):
- a reading is what was typed, control relations shown but not enforced (the paper itself may
  break them: that is evidence, not a typing slip);
- two readings by different volunteers with equal figures and choices verify the image, if at
  least one of the two is in good standing (a low-reputation volunteer never decides alone) and
  nothing independent speaks against them (`checks.doubts`: the official figures, the machine's
  reading of a scan, a control relation); otherwise the image is `checking` until a third
  volunteer types the same (two careless people can make the same slip, so a disagreement
  becomes a mismatch only when confirmed);
- when every wanted reading is in and none agree, one more volunteer is wanted, up to
  MAX_READINGS; then a moderator decides;
- two "cannot read" send the image to a moderator (one alone may be a careless volunteer);
- a moderator (CEC administrator) may set the reading of an image waiting for one.
The image row is locked while its readings are judged, so two readings arriving together are
judged one after the other."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import F

from sailau import clock
from sailau.errors import BadInput, Code, Conflict, Forbidden, NotFound
from sailau.evidence import checks, reputation, texts
from sailau.evidence.models import Assignment, Image, Reading, Volunteer
from sailau.law.errors import ProtocolInputError
from sailau.protocols.catalog import Catalog

MAX_READINGS = 4
CONFIRMED = 3  # volunteers who must agree on a reading something speaks against


def form_of(image: Image, catalog: Catalog | None = None):
    """The contest's form and its choice keys (`against_all` added by the form)."""
    info = (catalog or Catalog()).contest(image.contest_id)
    return info.form, info.choice_keys


def read_figures(image: Image, figures: dict, choices: dict,
                 catalog: Catalog | None = None) -> tuple[dict, dict, list]:
    """Typed figures as counts, checked like an entry's: (figures, choices, findings).
    `catalog`: one kept by a caller that reads many images (the demo's crowd), so each
    contest's form is read once."""
    form, keys = form_of(image, catalog)
    try:
        fig, cho = form.validate(figures, choices, keys)
    except ProtocolInputError as exc:
        raise BadInput(code=Code.BAD_INPUT, message=exc.message, field=exc.field) from None
    return fig, cho, [f.to_json() for f in form.check(fig, cho)]


def _key(r: Reading) -> str:
    return json.dumps([r.figures, r.choices], sort_keys=True)


def submit(volunteer: Volunteer, assignment_id: int, figures: dict | None = None,
           choices: dict | None = None, unreadable: bool = False,
           catalog: Catalog | None = None) -> Reading:
    a = (Assignment.objects.filter(pk=assignment_id).select_related("image").first())
    if a is None or a.volunteer_id != volunteer.pk:
        raise NotFound(code=Code.NOT_FOUND, message=texts.NO_TASK, field="task")
    if unreadable:
        fig, cho, findings = {}, {}, []
    else:
        fig, cho, findings = read_figures(a.image, figures or {}, choices or {}, catalog)
    with transaction.atomic():
        image = Image.objects.select_for_update().get(pk=a.image_id)
        if not Assignment.objects.filter(pk=a.pk, done=False).update(done=True):
            raise Conflict(code=Code.CONFLICT, message=texts.TASK_DONE, field="task")
        reading = Reading.objects.create(assignment=a, image=image, volunteer=volunteer,
                                         unreadable=unreadable, figures=fig, choices=cho,
                                         findings=findings)
        Volunteer.objects.filter(pk=volunteer.pk).update(typed=F("typed") + 1)
        reputation.after_reading(volunteer, reading)
        judge(image, catalog)
    return reading


def moderate(user, image_id: int, figures: dict | None = None, choices: dict | None = None,
             unreadable: bool = False) -> Reading:
    """A CEC administrator's reading of an image waiting for a moderator: it decides."""
    from sailau.accounts.models import Role

    image = Image.objects.filter(pk=image_id).select_related("station").first()
    if image is None:
        raise NotFound(code=Code.NOT_FOUND, message=texts.NO_TASK, field="image")
    if not (user.is_superuser or Role.objects.filter(
            user=user, kind=Role.ADMIN, election_id=image.station.election_id).exists()):
        raise Forbidden(code=Code.NOT_ALLOWED, message=texts.NOT_MODERATOR)
    fig, cho, findings = ({}, {}, []) if unreadable else read_figures(image, figures or {},
                                                                        choices or {})
    with transaction.atomic():
        image = Image.objects.select_for_update().get(pk=image_id)
        if image.status not in (Image.MODERATION, Image.UNREADABLE):
            raise Conflict(code=Code.CONFLICT, message=texts.NOTHING_TO_MODERATE, field="image")
        reading = Reading.objects.create(image=image, moderator=user, unreadable=unreadable,
                                         figures=fig, choices=cho, findings=findings)
        if not unreadable:
            _verify(image, [r for r in image.readings.all() if not r.unreadable
                            and _key(r) == _key(reading)])
    return reading


def judge(image: Image, catalog: Catalog | None = None) -> None:
    """Decide what the image's readings say (called with the image row locked)."""
    if image.status == Image.VERIFIED:  # a late reading counts for its volunteer's reputation
        reputation.after_verified(image.pk, json.dumps([image.figures, image.choices],
                                                       sort_keys=True))
    if image.status not in (Image.OPEN, Image.CHECKING):
        return
    readings = list(image.readings.select_related("volunteer"))
    groups: dict[str, list[Reading]] = {}
    for r in readings:
        if not r.unreadable:
            groups.setdefault(_key(r), []).append(r)
    checking = False
    for group in sorted(groups.values(), key=len, reverse=True):
        people = {r.volunteer_id for r in group}
        if len(people) < 2 or all(r.volunteer.low for r in group):
            continue
        first = group[0]
        if len(people) >= CONFIRMED or not checks.doubts(
                image, form_of(image, catalog)[0], first.figures, first.choices, first.findings):
            _verify(image, group)
            return
        checking = True
    if sum(r.unreadable for r in readings) >= 2:
        _close(image, Image.UNREADABLE)
    elif len(readings) >= image.needed:
        if image.needed < MAX_READINGS:
            Image.objects.filter(pk=image.pk).update(
                needed=F("needed") + 1, wanted=True,
                status=Image.CHECKING if checking else image.status)
        else:
            _close(image, Image.MODERATION)
    elif checking and image.status != Image.CHECKING:  # a further reading is on its way
        Image.objects.filter(pk=image.pk).update(status=Image.CHECKING)


def _close(image: Image, status: str) -> None:
    Image.objects.filter(pk=image.pk).update(status=status, wanted=False)


def _verify(image: Image, group: list[Reading]) -> None:
    first = group[0]
    people = {r.volunteer_id for r in group if r.volunteer_id}
    Image.objects.filter(pk=image.pk).update(
        status=Image.VERIFIED, wanted=False, figures=first.figures, choices=first.choices,
        verified_by=len(people), verified_at=clock.now())
    reputation.after_verified(image.pk, _key(first))
