"""Two equal readings that something independent speaks against (the official figures, the
machine's reading of the scan, a control relation) are not final until a third volunteer, in
good standing and not one of the two, types the same: two careless people can make the same
slip on one image, and a disagreement becomes a mismatch only when confirmed."""

import pytest

from sailau.evidence import checks, compare, dispatch, readings
from sailau.evidence.models import Image, Reading, Volunteer
from sailau.evidence.summary import station_summary
from tests.evidence.test_services import official, type_it

pytestmark = pytest.mark.django_db


def _slip(volunteer):
    """The volunteer types the image with the same slip as the others (amanat: 5)."""
    return type_it(volunteer, change={"amanat": 5})


def test_a_shared_slip_waits_for_a_third_and_is_never_reported(papers, volunteers):
    a, b, c, d = volunteers[:4]
    image_id = _slip(a).image_id
    _slip(b)
    image = Image.objects.get(pk=image_id)
    assert (image.status, image.needed, image.wanted) == (Image.CHECKING, 3, True)
    assert compare.of_station(image.station_id) == []  # no mismatch on two people's word
    t = dispatch.next_task(c)
    assert t.image_id == image_id
    readings.submit(c, t.pk, *official(t.image))  # the third reads the paper as it is
    image.refresh_from_db()
    assert (image.status, image.needed) == (Image.CHECKING, 4)
    t = dispatch.next_task(d)
    assert t.image_id == image_id
    readings.submit(d, t.pk, *official(t.image))
    image.refresh_from_db()
    assert (image.status, image.verified_by) == (Image.VERIFIED, 2)
    (row,) = compare.of_station(image.station_id)
    assert row["status"] == compare.MATCH
    assert set(Reading.objects.filter(image=image, volunteer__in=[a, b])
               .values_list("outcome", flat=True)) == {Reading.OUTVOTED}


def test_a_real_difference_is_confirmed_by_the_third(papers, volunteers):
    a, b, c = volunteers[:3]
    image_id = _slip(a).image_id
    _slip(b)
    t = _slip(c)
    assert t.image_id == image_id
    image = Image.objects.get(pk=image_id)
    assert (image.status, image.verified_by) == (Image.VERIFIED, 3)
    (row,) = compare.of_station(image.station_id)
    assert row["status"] == compare.MISMATCH


def test_the_third_is_in_good_standing(papers, volunteers):
    a, b, low, good = volunteers[:4]
    image_id = _slip(a).image_id
    _slip(b)
    Volunteer.objects.filter(pk=low.pk).update(low=True)
    low.refresh_from_db()
    for _ in range(len(papers)):  # whatever else it gets, never the image being checked
        t = dispatch.next_task(low)
        if t is None:
            break
        assert t.image_id != image_id
        readings.submit(low, t.pk, *official(t.image))
    assert dispatch.next_task(good).image_id == image_id


@pytest.mark.parametrize("machine", ["qr", "ocr"])
def test_a_reading_the_machine_read_otherwise_is_checked_again(papers, volunteers, machine):
    """The official figures and two volunteers agree, but the scan's QR code (or its printed
    digits) says otherwise: a third volunteer looks before it is called a match."""
    from sailau.scans.models import Scan

    a, b, c = volunteers[:3]
    task = dispatch.next_task(a)
    scan, paper = task.image.scan, task.image.scan.protocol
    other = paper.choices["amanat"] + 3
    if machine == "qr":
        Scan.objects.filter(pk=scan.pk).update(
            status=Scan.MISMATCH, reason="figures", payload={"text": "the code"},
            mismatches=[{"line": "amanat", "kind": "choice", "printed": other,
                         "definitive": paper.choices["amanat"]}])
    else:
        Scan.objects.filter(pk=scan.pk).update(
            ocr={"status": "differs", "figures": {}, "choices": {"amanat": other}})
    readings.submit(a, task.pk, *official(task.image))
    assert type_it(b).image_id == task.image_id
    image = Image.objects.get(pk=task.image_id)
    assert image.status == Image.CHECKING
    type_it(c)
    image.refresh_from_db()
    assert (image.status, image.verified_by) == (Image.VERIFIED, 3)


def test_control_relations_are_a_checksum(papers):
    image = Image.objects.select_related("protocol", "scan").get(scan__protocol=papers[0])
    form = readings.form_of(image)[0]
    fig, cho = dict(papers[0].figures), dict(papers[0].choices)
    assert checks.doubts(image, form, fig, cho, []) == []
    rel = next(r for r in form.relations if all(k in fig for k in r.lines))
    fig[rel.lines[0]] += 1000
    typed, typed_cho, findings = readings.read_figures(image, fig, cho)
    assert rel.code in {f["code"] for f in findings}
    assert checks.doubts(image, form, typed, typed_cho, findings) == [checks.OFFICIAL,
                                                                       checks.RELATIONS]
    # The paper itself breaks it (the official figures are the typed ones): evidence, no doubt.
    image.protocol.figures = typed
    assert checks.doubts(image, form, typed, typed_cho, findings) == []


@pytest.mark.parametrize("lang,words", [
    ("kk", "Қайта тексерілуде"), ("ru", "Проверяется ещё раз"), ("en", "Being checked again")])
def test_the_station_page_says_being_checked_again(client, papers, volunteers, lang, words):
    a, b = volunteers[:2]
    image = Image.objects.get(pk=_slip(a).image_id)
    _slip(b)
    summary = station_summary(image.station_id, lang)
    assert [r["status"] for r in summary["rows"]] == ["waiting"]
    st = image.station
    page = client.get(f"/{lang}/e/{st.election_id}/s/{st.number}/").content.decode()
    assert words in page
    detail = client.get(f"/{lang}/evidence/image/{image.pk}/").content.decode()
    assert words in detail
