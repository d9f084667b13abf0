"""The demo's crowd types every image through the real dispatch and readings: each image by at
least two volunteers, careless ones never make a verified reading differ from the paper."""

import pytest

from sailau.evidence import compare, crowd
from sailau.evidence.models import Image, Reading, Volunteer
from tests.evidence.conftest import add_scan, picture

pytestmark = pytest.mark.django_db


def _members(behaviours):
    from sailau.evidence import volunteers
    from tests.factories import UserFactory

    return [crowd.Member(volunteers.become(UserFactory()), b) for b in behaviours]


def test_every_image_is_typed_twice_and_verified_as_the_paper_says(papers):
    members = _members([crowd.CAREFUL] * 6 + [crowd.SAME, crowd.NONSENSE, crowd.TYPO])
    sent = crowd.type_images(papers[0].station.election_id, members, seed=1)
    assert sent["readings"] >= 2 * len(papers)
    for image in Image.objects.select_related("scan", "protocol", "copy"):
        people = set(image.readings.values_list("volunteer", flat=True))
        assert len(people) >= 2
        assert image.status == Image.VERIFIED
        # The careless never decide: the verified reading is what the paper shows.
        assert (image.figures, image.choices) == crowd.shown(image)
        (row,) = compare.compared([image])
        assert row["status"] == compare.MATCH


def test_a_careless_volunteer_is_found_out(papers):
    members = _members([crowd.CAREFUL] * 3 + [crowd.SAME])
    for p in papers[:2]:  # more images, so the copier types the same figures thrice
        add_scan(p, picture(100 + p.pk))
    crowd.type_images(papers[0].station.election_id, members, seed=2)
    copier = Volunteer.objects.get(pk=members[-1].volunteer.pk)
    assert copier.low
    assert not Reading.objects.filter(volunteer=copier, outcome=Reading.CONFIRMED).exists()


def test_an_altered_scan_is_typed_as_printed(papers):
    """A scan whose printed figure was changed after printing shows that figure: the crowd
    types it, and the verified reading differs from the official protocol."""
    from sailau.scans.models import Scan

    scan = Scan.objects.filter(protocol=papers[0]).first()
    key = min(papers[0].choices)
    printed = papers[0].choices[key] + 7
    Scan.objects.filter(pk=scan.pk).update(
        status=Scan.MISMATCH, mismatches=[{"line": key, "kind": "choice", "printed": printed,
                                           "definitive": papers[0].choices[key]}])
    crowd.type_images(papers[0].station.election_id, _members([crowd.CAREFUL] * 4), seed=3)
    image = Image.objects.get(scan=scan)
    assert image.choices[key] == printed
    (row,) = compare.compared([image])
    assert row["status"] == compare.MISMATCH


def test_recruiting_twice_gives_the_same_crowd(db):
    first = crowd.recruit(12, seed=5)
    again = crowd.recruit(12, seed=5)
    assert [m.volunteer.pk for m in first] == [m.volunteer.pk for m in again]
    assert [m.behaviour for m in first] == [m.behaviour for m in again]


def test_the_live_crowd_leaves_images_for_visitors(papers):
    # A visitor opening the volunteers' page on the live demo found nothing to type: the
    # simulated crowd had taken every image.
    from sailau.evidence import dispatch, volunteers
    from tests.factories import UserFactory

    for p in papers[:3]:  # a few more images than the crowd leaves
        add_scan(p, picture(200 + p.pk))
    election = papers[0].station.election_id
    crowd.type_images(election, _members([crowd.CAREFUL] * 6), seed=4, leave=2)
    wanted = Image.objects.filter(wanted=True).count()
    assert 1 <= wanted <= 2
    visitor = volunteers.become(UserFactory())
    assert dispatch.next_task(visitor, election) is not None
