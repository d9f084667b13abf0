"""The demo's crowd of volunteers: simulated people who type every uploaded scan and observer's
photo through the same code the pages use (`dispatch.next_task`, `readings.submit`), so that
double typing, the third reading on disagreement and the reputation show what they are worth.

Most of the crowd is careful (a slip now and then); some are careless in the three ways the
issue names: frequent typos, the same figures for every image, nonsense. What a volunteer
"sees" is what the image shows (`shown`): an observer's copy carries the figures the
commission signed, a scan the figures printed on it (its QR code, where it was read).

Speed: readings are sent in chunks, one transaction per chunk (each reading keeps its own
savepoint, so a refused one undoes only itself): on SQLite a commit per reading would be a
disk sync each. The demo types a sample at build and the rest while it serves
(`sailau.evidence.night`, started by `sailau demo` beside the night)."""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from sailau.errors import SailauError
from sailau.evidence import dispatch, readings, volunteers
from sailau.evidence.models import Image, Volunteer

CAREFUL, TYPO, SAME, NONSENSE = "careful", "typo", "same", "nonsense"
# Shares of the crowd; the rest are careful. Careful people slip once in SLIP readings.
BEHAVIOURS = ((TYPO, 0.10), (SAME, 0.05), (NONSENSE, 0.05))
SLIP = {CAREFUL: 0.01, TYPO: 0.3}
CROWD = 80
CHUNK = 250  # readings per transaction at build
NIGHT_CHUNK = 1  # while it serves: one reading a transaction, so the server's writes never wait long
USER_PREFIX = "demo-volunteer-"


@dataclass
class Member:
    volunteer: Volunteer
    behaviour: str


def recruit(n: int = CROWD, seed: int = 2023) -> list[Member]:
    """`n` volunteer accounts (created once, the same ones on a later call), each with the
    behaviour the seed gives it. They have no usable password: nobody signs in as them."""
    from django.contrib.auth import get_user_model

    users = get_user_model()
    rnd = random.Random(seed * 7 + 3)
    names = [f"{USER_PREFIX}{i:04d}" for i in range(n)]
    have = set(users.objects.filter(username__in=names).values_list("username", flat=True))
    with transaction.atomic():
        for name in names:
            if name not in have:
                u = users(username=name)
                u.set_unusable_password()
                u.save()
        by_name = {u.username: u for u in users.objects.filter(username__in=names)}
        crowd = []
        for name in names:
            r, behaviour = rnd.random(), CAREFUL
            for kind, share in BEHAVIOURS:
                if r < share:
                    behaviour = kind
                    break
                r -= share
            crowd.append(Member(volunteers.become(by_name[name]), behaviour))
    return crowd


def shown(image: Image) -> tuple[dict, dict]:
    """The figures and choices the image shows. A copy: what the observer read from the paper
    the commission signed. A scan: its protocol version's figures, with the figures its code
    printed otherwise (a paper altered after printing shows the altered figure)."""
    if image.source == Image.COPY:
        return dict(image.copy.figures or {}), dict(image.copy.choices or {})
    figures = dict(image.protocol.figures) if image.protocol_id else {}
    choices = dict(image.protocol.choices) if image.protocol_id else {}
    for m in (image.scan.mismatches or []) if image.scan_id else []:
        part = {"line": figures, "choice": choices}.get(m.get("kind"))
        if part is not None and isinstance(m.get("printed"), int):
            part[m["line"]] = m["printed"]
    return figures, choices


def _slip(rnd: random.Random, figures: dict, choices: dict) -> tuple[dict, dict]:
    """One figure mistyped, as hands slip: a digit replaced by another, dropped, doubled, or
    two neighbours swapped, on any line of the form."""
    figures, choices = dict(figures), dict(choices)
    keys = [("f", k) for k in sorted(figures)] + [("c", k) for k in sorted(choices)]
    if not keys:
        return figures, choices
    where, key = rnd.choice(keys)
    part = figures if where == "f" else choices
    s = str(part[key])
    i = rnd.randrange(len(s))
    how = rnd.randrange(4) if len(s) > 1 else rnd.choice((0, 2))
    if how == 0:
        s = s[:i] + rnd.choice([d for d in "0123456789" if d != s[i]]) + s[i + 1:]
    elif how == 1:
        s = s[:i] + s[i + 1:]
    elif how == 2:
        s = s[:i] + s[i] + s[i:]
    else:
        i = min(i, len(s) - 2)
        s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    part[key] = int(s)
    return figures, choices


def typed(rnd: random.Random, behaviour: str, figures: dict, choices: dict,
          constant: dict) -> tuple[dict, dict]:
    """What a volunteer of this behaviour types from an image showing these figures."""
    if behaviour == SAME:  # whatever they typed first, every time
        return constant.setdefault("f", {k: rnd.randint(0, 999) for k in figures}), \
            constant.setdefault("c", {k: rnd.randint(0, 99) for k in choices})
    if behaviour == NONSENSE:
        return ({k: rnd.randint(0, 9999) for k in figures},
                {k: rnd.randint(0, 999) for k in choices})
    if rnd.random() < SLIP[behaviour]:
        return _slip(rnd, figures, choices)
    return figures, choices


def _still_wanted(election_id: str) -> int:
    return Image.objects.filter(station__election_id=election_id, wanted=True).count()


def type_images(election_id: str, crowd: list[Member], seed: int = 2023,
                limit: int | None = None, stop=None, chunk: int = CHUNK,
                pause: float = 0.0, leave: int = 0) -> Counter:
    """Rounds of the crowd asking for tasks and typing them, until no one gets a task (every
    image has its readings), `limit` readings were sent, `stop()` is true, or no more than
    `leave` images still want a reading (the live demo leaves some for its visitors: a first
    visit to the volunteers' page found nothing to type). `pause` seconds between chunks
    (outside their transaction) leave a live server room. Returns counts."""
    from sailau.protocols.catalog import Catalog

    catalog = Catalog()
    rnd = random.Random(seed * 13 + 5)
    constants: dict[int, dict] = {}
    sent: Counter = Counter()
    members = list(crowd)
    while True:
        rnd.shuffle(members)
        got = 0
        for start in range(0, len(members), chunk):
            if stop and stop():
                return sent
            if leave and _still_wanted(election_id) <= leave:
                return sent
            time.sleep(pause)
            with transaction.atomic():
                for m in members[start:start + chunk]:
                    if limit is not None and sent["readings"] + sent["unreadable"] >= limit:
                        return sent
                    task = dispatch.next_task(m.volunteer, election_id)
                    if task is None:
                        continue
                    got += 1
                    image = (Image.objects.select_related("copy", "scan", "protocol")
                             .get(pk=task.image_id))
                    fig, cho = typed(rnd, m.behaviour, *shown(image),
                                     constants.setdefault(m.volunteer.pk, {}))
                    try:
                        with transaction.atomic():
                            readings.submit(m.volunteer, task.pk, fig, cho, catalog=catalog)
                        sent["readings"] += 1
                        sent[m.behaviour] += 1
                    except SailauError:
                        # Refused as a page would refuse it (a figure the form cannot take):
                        # the volunteer says they cannot read it instead.
                        with transaction.atomic():
                            readings.submit(m.volunteer, task.pk, unreadable=True)
                        sent["unreadable"] += 1
        if not got:
            return sent
