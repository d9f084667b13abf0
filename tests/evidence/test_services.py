"""Volunteer verification: dispatch, double typing, reputation, comparison, duplicates."""

import pytest

from sailau.errors import Conflict, Forbidden, NotFound
from sailau.evidence import compare, dispatch, readings, sources, volunteers
from sailau.evidence import volunteers as volunteers_mod
from sailau.evidence.models import Assignment, Image, Volunteer
from tests.evidence.conftest import add_scan, picture

pytestmark = pytest.mark.django_db


def official(image):
    p = image.scan.protocol
    return dict(p.figures), dict(p.choices)


def type_it(volunteer, figures=None, choices=None, change=None, unreadable=False):
    """The volunteer asks for a task and types its paper (the official figures, as a careful
    typist reads an honest paper), or `change`d lines."""
    task = dispatch.next_task(volunteer)
    assert task is not None
    fig, cho = official(task.image)
    fig.update(figures or {})
    cho.update(choices or {})
    for key, value in (change or {}).items():
        (cho if key in cho else fig)[key] = value
    return readings.submit(volunteer, task.pk, fig, cho, unreadable=unreadable)


def test_becoming_a_volunteer_grants_the_citizen_role_once(volunteers):
    from sailau.accounts.models import Role

    v = volunteers[0]
    assert volunteers_become_again(v) == v
    assert Role.objects.filter(user=v.user, kind=Role.CITIZEN).count() == 1


def volunteers_become_again(v):
    return volunteers.become(v.user)


def test_not_a_volunteer_is_refused(db):
    from tests.factories import UserFactory

    with pytest.raises(Forbidden):
        volunteers.of(UserFactory())


def test_every_scan_becomes_an_image(papers):
    assert Image.objects.count() == 4
    assert all(len(i.phash) == 16 for i in Image.objects.all())
    assert sources.sync(papers[0].station.election_id) == 0  # idempotent


def test_two_volunteers_per_image_never_the_same_image_twice(papers, volunteers):
    a, b, c = volunteers[:3]
    ta = dispatch.next_task(a)
    assert dispatch.next_task(a) == ta  # asking again: the same open task, no slot burnt
    tb = dispatch.next_task(b)
    tc = dispatch.next_task(c)
    assert ta.image_id == tb.image_id  # the first image's two slots
    assert tc.image_id != ta.image_id  # full: the third gets another
    readings.submit(a, ta.pk, *official(ta.image))
    seen = {ta.image_id}
    while (t := dispatch.next_task(a)) is not None:
        assert t.image_id not in seen
        seen.add(t.image_id)
        readings.submit(a, t.pk, *official(t.image))
    assert len(seen) == 4


def test_a_task_carries_no_official_figures_nor_others_readings(papers, volunteers):
    from sailau.evidence import tasks

    a, b = volunteers[:2]
    type_it(a)
    t = dispatch.next_task(b)
    shown = tasks.task_json(t, "en")
    text = repr(shown)
    assert "figures" not in shown and "readings" not in shown
    p = t.image.scan.protocol
    assert str(p.choices[next(iter(p.choices))]) not in [str(x) for x in shown.values()]
    assert "amanat" in text  # the form: its lines and choices, empty


def test_equal_readings_verify_the_image_and_match_the_official(papers, volunteers):
    a, b = volunteers[:2]
    r1 = type_it(a)
    image = Image.objects.get(pk=r1.image_id)
    assert image.status == Image.OPEN
    type_it(b)
    image.refresh_from_db()
    assert (image.status, image.verified_by) == (Image.VERIFIED, 2)
    (row,) = compare.of_station(image.station_id)
    assert row["status"] == compare.MATCH
    a.refresh_from_db()
    assert (a.decided, a.confirmed, a.low) == (1, 1, False)


def test_differing_readings_go_to_a_third_volunteer(papers, volunteers):
    a, b, c = volunteers[:3]
    r1 = type_it(a)
    type_it(b, change={"amanat": 1})  # a slip
    image = Image.objects.get(pk=r1.image_id)
    assert (image.status, image.needed) == (Image.OPEN, 3)
    t = dispatch.next_task(c)
    assert t.image_id == image.pk
    readings.submit(c, t.pk, *official(t.image))
    image.refresh_from_db()
    assert image.status == Image.VERIFIED and image.figures == official(image)[0]
    b.refresh_from_db()
    assert (b.decided, b.confirmed) == (1, 0)


def test_disagreement_after_four_readings_goes_to_a_moderator(papers, volunteers):
    from sailau.accounts.models import Role
    from tests.factories import UserFactory

    first = type_it(volunteers[0], change={"amanat": 1})
    for n, v in enumerate(volunteers[1:4], start=2):
        t = dispatch.next_task(v)
        assert t.image_id == first.image_id
        fig, cho = official(t.image)
        cho["amanat"] = n
        readings.submit(v, t.pk, fig, cho)
    image = Image.objects.get(pk=first.image_id)
    assert (image.status, image.wanted) == (Image.MODERATION, False)
    assert dispatch.next_task(volunteers[4]).image_id != image.pk
    with pytest.raises(Forbidden):
        readings.moderate(volunteers[5].user, image.pk, *official(image))
    admin = UserFactory()
    Role.objects.create(user=admin, kind=Role.ADMIN, commission=image.station.election.commissions
                        .get(level="cec"))
    readings.moderate(admin, image.pk, *official(image))
    image.refresh_from_db()
    assert image.status == Image.VERIFIED


def test_cannot_read_twice_sends_the_image_to_a_moderator(papers, volunteers):
    a, b = volunteers[:2]
    r = type_it(a, unreadable=True)
    t = dispatch.next_task(b)
    assert t.image_id == r.image_id
    readings.submit(b, t.pk, unreadable=True)
    assert Image.objects.get(pk=r.image_id).status == Image.UNREADABLE


def test_a_low_reputation_volunteer_never_decides_with_another(papers, volunteers):
    a, b, c = volunteers[:3]
    Volunteer.objects.filter(pk__in=[a.pk, b.pk]).update(low=True)
    a.refresh_from_db()
    b.refresh_from_db()
    r = type_it(a, change={"amanat": 7})
    type_it(b, change={"amanat": 7})  # the same wrong figure, both low: not verified
    image = Image.objects.get(pk=r.image_id)
    assert image.status == Image.OPEN and image.needed == 3
    t = dispatch.next_task(c)
    readings.submit(c, t.pk, *official(t.image))
    image.refresh_from_db()
    assert image.status == Image.OPEN  # one good reading alone decides nothing either


def test_the_same_figures_for_different_images_flags_the_volunteer(papers, volunteers):
    a = volunteers[0]
    fixed = None
    for _ in range(3):
        t = dispatch.next_task(a)
        fixed = fixed or official(t.image)
        readings.submit(a, t.pk, *fixed)
    a.refresh_from_db()
    assert (a.low, a.low_reason) == (True, Volunteer.LOW_SAME)


def test_someone_elses_task_or_a_done_one_is_refused(papers, volunteers):
    a, b = volunteers[:2]
    t = dispatch.next_task(a)
    with pytest.raises(NotFound):
        readings.submit(b, t.pk, *official(t.image))
    readings.submit(a, t.pk, *official(t.image))
    with pytest.raises(Conflict):
        readings.submit(a, t.pk, *official(t.image))


def test_nonsense_is_refused_naming_the_line(papers, volunteers):
    from sailau.errors import BadInput

    t = dispatch.next_task(volunteers[0])
    fig, cho = official(t.image)
    fig["invalid"] = "lots"
    with pytest.raises(BadInput) as exc:
        readings.submit(volunteers[0], t.pk, fig, cho)
    assert exc.value.field == "figures.invalid"
    assert not Assignment.objects.get(pk=t.pk).done


def test_claimed_stations_come_first(papers, volunteers):
    last = papers[-1].station
    volunteers_mod.claim(volunteers[0], last)
    assert dispatch.next_task(volunteers[0]).image.station_id == last.id


def test_a_stale_task_gives_its_slot_away_but_never_comes_back(papers, volunteers):
    import datetime as dt

    from django.utils import timezone

    a = volunteers[0]
    t = dispatch.next_task(a)
    assert dispatch.release_stale(timezone.now() + dt.timedelta(hours=1)) == 1
    image = Image.objects.get(pk=t.image_id)
    assert image.assigned == 0 and image.wanted
    assert dispatch.next_task(a).image_id != t.image_id


def test_a_mismatch_is_an_integrity_criterion(papers, volunteers):
    from sailau.evidence.integrity import inputs

    a, b, c = volunteers[:3]
    r = type_it(a, change={"amanat": 5})
    type_it(b, change={"amanat": 5})
    image = Image.objects.get(pk=r.image_id)
    assert inputs(image.contest)["verified_readings"] == {}  # not until a third confirms
    type_it(c, change={"amanat": 5})
    image.refresh_from_db()
    assert (image.status, image.verified_by) == (Image.VERIFIED, 3)
    (row,) = compare.of_station(image.station_id)
    assert row["status"] == compare.MISMATCH
    (diff,) = row["differences"]
    assert diff["line"] == "amanat" and diff["copy"] == 5
    found = inputs(image.contest)["verified_readings"]
    assert list(found) == [image.station_id]


def test_the_integrity_report_flags_the_station(client, papers, volunteers):
    from sailau.integrity import service

    a, b, c = volunteers[:3]
    r = type_it(a, change={"amanat": 5})
    type_it(b, change={"amanat": 5})
    type_it(c, change={"amanat": 5})
    image = Image.objects.get(pk=r.image_id)
    flags = service.get(image.contest)["stations"][image.station_id]["flags"]
    assert "I17" in [f["code"] for f in flags]
    # The report's row shows the image beside both figures, as the station page does.
    page = client.get(f"/ru/e/{image.station.election_id}/integrity/"
                      f"?contest={image.contest_id}").content.decode()
    row = page[page.index(f'id="{image.station_id}"'):]
    row = row[:row.find('<tr id="', 1)]  # up to the next station's row (or the page's end)
    assert f"/evidence/image/{image.pk}/file" in row
    assert "<strong>5</strong>" in row
    assert f"<strong>{image.protocol.choices['amanat']}</strong>" in row


def test_a_reading_of_a_superseded_version_is_reported_as_such(papers, volunteers):
    from sailau.protocols.models import Protocol

    a, b = volunteers[:2]
    r = type_it(a)
    type_it(b)
    image = Image.objects.get(pk=r.image_id)
    old = image.protocol
    # An amendment: a new current version with other figures.
    Protocol.objects.filter(pk=old.pk).update(current=False)
    Protocol.objects.create(station=old.station, contest=old.contest, version=old.version + 1,
                            figures=old.figures, choices={**old.choices, "amanat": 1})
    (row,) = compare.of_station(image.station_id)
    assert (row["status"], row["version"], row["current_version"]) == (
        compare.SUPERSEDED, old.version, old.version + 1)


def test_the_same_photo_for_two_stations_is_flagged(papers):
    p0, p1 = papers[0], papers[1]
    # the first station's photo, re-encoded, uploaded again for the second station
    import io

    from PIL import Image as PILImage

    again = io.BytesIO()
    PILImage.open(io.BytesIO(picture(0))).save(again, format="JPEG", quality=60)
    scan = add_scan(p1, again.getvalue())
    img = Image.objects.get(scan=scan)
    assert img.duplicate_of == Image.objects.get(scan__protocol=p0)
    assert Image.objects.filter(duplicate_of__isnull=False).count() == 1


def test_the_publisher_loop_releases_stale_tasks(papers, volunteers, monkeypatch):
    """`sailau serve` always runs the publisher: its loop gives an abandoned task's slot back."""
    import datetime as dt

    from sailau.evidence.models import Assignment
    from sailau.publish.pipeline import publisher

    t = dispatch.next_task(volunteers[0])
    Assignment.objects.filter(pk=t.pk).update(issued_at=t.issued_at - dt.timedelta(hours=1))
    fresh = dispatch.next_task(volunteers[1])
    monkeypatch.setattr(publisher, "publish_changes", lambda *a, **k: None)  # files: not here
    rounds = []
    publisher.follow(None, stop=lambda: rounds.append(1) or len(rounds) > 1, poll=0.01,
                     say=lambda *a, **k: None, lane=False)
    assert Assignment.objects.get(pk=t.pk).abandoned
    assert not Assignment.objects.get(pk=fresh.pk).done
    assert Image.objects.get(pk=t.image_id).wanted


def test_no_single_volunteer_changes_a_verified_reading(papers, volunteers):
    """Bad input: once two volunteers agree, the one who typed otherwise cannot
    type it again, nobody else is given it, a volunteer cannot moderate it, and even a
    moderator cannot overrule a verified reading."""
    from tests.factories import UserFactory

    a, b, c, *others = volunteers
    r = type_it(a)
    t = dispatch.next_task(b)
    assert t.image_id == r.image_id
    fig, cho = official(t.image)
    readings.submit(b, t.pk, fig, {**cho, "amanat": 1})  # b disagrees: a third volunteer
    t3 = dispatch.next_task(c)
    assert t3.image_id == r.image_id
    readings.submit(c, t3.pk, *official(t3.image))
    image = Image.objects.get(pk=r.image_id)
    before = (image.status, image.figures, image.choices, image.verified_by)
    assert before[0] == Image.VERIFIED and before[2]["amanat"] != 1 and before[3] == 2
    with pytest.raises(Conflict):  # b's task is done: no second reading
        readings.submit(b, t.pk, fig, {**cho, "amanat": 1})
    for v in (b, *others):  # nobody gets the verified image again
        task = dispatch.next_task(v)
        assert task is None or task.image_id != image.pk
    with pytest.raises(Forbidden):  # a volunteer is not a moderator
        readings.moderate(b.user, image.pk, fig, {**cho, "amanat": 1})
    with pytest.raises(Conflict):  # nor does a moderator overrule two volunteers
        readings.moderate(UserFactory(is_superuser=True), image.pk, fig, {**cho, "amanat": 1})
    image.refresh_from_db()
    assert (image.status, image.figures, image.choices, image.verified_by) == before
