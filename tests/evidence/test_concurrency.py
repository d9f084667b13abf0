"""Volunteers asking and typing at once, in threads with their own database connections: in
every interleaving nobody gets an image twice, no image has more volunteers than readings
wanted, its slot count is its live assignments, and every verified reading was typed equal by
two different volunteers. Outcomes only, no timing: it holds under any load, on SQLite and
PostgreSQL."""

import threading
import time
from collections import Counter

import pytest
from django.db import OperationalError, close_old_connections, connection

from sailau.errors import Conflict
from sailau.evidence import dispatch, readings, volunteers
from sailau.evidence.models import Assignment, Image, Reading, Volunteer
from sailau.protocols.models import Protocol
from tests.evidence.conftest import add_scan, picture

pytestmark = pytest.mark.django_db(transaction=True)

IMAGES = 6
PEOPLE = 8


def _retrying(fn, *args):
    # SQLite lets one writer at a time and answers "locked" to the others: they try again, as a
    # volunteer's browser would. Nothing here depends on who wins.
    give_up = time.monotonic() + 240  # only a dead lock holder takes this long
    attempt = 0
    while True:
        try:
            return fn(*args)
        except OperationalError:
            if time.monotonic() > give_up:
                raise
            close_old_connections()
            attempt += 1
            time.sleep(0.001 * (attempt % 20))


def _paper(image_id: int) -> Protocol:
    return Protocol.objects.get(scans__evidence_image=image_id)


def _may_want_me(v) -> bool:
    return (Image.objects.filter(status__in=(Image.OPEN, Image.CHECKING))
            .exclude(assignments__volunteer=v)
            .exists())


def _work(v, careless: bool, errors: list, start: threading.Barrier):
    try:
        start.wait()
        while True:
            task = _retrying(dispatch.next_task, v)
            if task is None:
                # Nothing free now; but an image others are typing may still want one more
                # reading (theirs may differ): come back, as volunteers do, while one could.
                if not _retrying(_may_want_me, v):
                    return
                time.sleep(0.01)
                continue
            p = _retrying(_paper, task.image_id)
            fig, cho = dict(p.figures), dict(p.choices)
            if careless:
                cho[next(iter(cho))] += 1
            try:
                _retrying(readings.submit, v, task.pk, fig, cho)
            except Conflict:
                pass  # the same person's other tab typed this task first: take the next one
    except Exception as exc:  # noqa: BLE001 - reported to the test thread
        errors.append(exc)
    finally:
        connection.close()


def test_concurrent_volunteers_keep_independence():
    from tests.factories import (
        ContestFactory,
        DefinitiveProtocolFactory,
        StationFactory,
        UserFactory,
        beside,
    )

    # Papers with different figures, as real stations' are: a volunteer who types identical
    # figures for three images is flagged as typing anything (`reputation.SAME_RUN`), and with
    # identical papers an honest volunteer would be, depending on who got which image.
    first = StationFactory(registered=1000)
    stations = [first] + [beside(first, registered=1000 + 37 * i) for i in range(1, IMAGES)]
    contest = ContestFactory(election=first.election)
    for i, st in enumerate(stations):
        add_scan(DefinitiveProtocolFactory(station=st, contest=contest), picture(100 + i))
    people = [volunteers.become(UserFactory()) for _ in range(PEOPLE)]
    errors: list = []
    start = threading.Barrier(PEOPLE + 2)
    threads = [threading.Thread(target=_work, args=(v, i == 0, errors, start))
               for i, v in enumerate(people)]
    # the same volunteer in two tabs at once
    threads += [threading.Thread(target=_work, args=(people[1], False, errors, start))
                for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors

    honest_flagged = Volunteer.objects.filter(low=True).exclude(pk=people[0].pk)
    assert not honest_flagged.exists()  # typing what the paper says never lowers a reputation
    pairs = Counter(Assignment.objects.values_list("image_id", "volunteer_id"))
    assert max(pairs.values()) == 1
    for image in Image.objects.all():
        live = image.assignments.filter(abandoned=False).count()
        assert image.assigned == live <= image.needed
        typed = Reading.objects.filter(image=image).values_list("volunteer_id", flat=True)
        assert len(typed) == len(set(typed))  # one reading per volunteer and image
        assert image.status == Image.VERIFIED  # eight volunteers, six images: all done
        agreeing = {r.volunteer_id for r in image.readings.all()
                    if (r.figures, r.choices) == (image.figures, image.choices)}
        assert len(agreeing) >= 2
        p = image.scan.protocol
        assert (image.figures, image.choices) == (p.figures, p.choices)  # the careless lost
