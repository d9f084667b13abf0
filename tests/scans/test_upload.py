"""Uploading the scan of a signed protocol: checked by content, stored once under its hash,
compared with the definitive protocol, refused when it is someone else's."""

import io

import pytest
from PIL import Image

from sailau.errors import Forbidden
from sailau.protocols.models import Protocol
from sailau.scans import service
from sailau.scans.models import Scan
from sailau.verify import qr
from tests.scans.scan_helpers import page_png, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(listing):
    return listing[0]


@pytest.fixture
def printed(first) -> bytes:
    return service.protocol_pdf(first[2])


def test_printed_pdf_scanned_to_png_matches(first, printed, media):
    station, contest, protocol = first
    scan = service.upload_scan(station, contest, page_png(printed), "scan.png")
    assert scan.created and scan.status == Scan.MATCH and scan.mismatches == []
    assert scan.content_type == "image/png" and scan.protocol == protocol
    assert scan.payload["station"] == station.id and scan.payload["version"] == protocol.version
    [path] = stored_files(media)
    assert path.name == f"{scan.sha256}.png"
    assert scan.file.read() == page_png(printed)


def test_the_pdf_itself_matches(first, printed):
    station, contest, _ = first
    scan = service.upload_scan(station, contest, printed, "protocol.pdf")
    assert (scan.status, scan.content_type) == (Scan.MATCH, "application/pdf")


def test_figure_changed_after_printing_is_a_mismatch_naming_the_line(first, printed):
    station, contest, protocol = first
    # The electronic protocol changed after the paper was printed and signed.
    figures = dict(protocol.figures, invalid=protocol.figures["invalid"] + 5)
    key = min(protocol.choices)
    choices = dict(protocol.choices, **{key: protocol.choices[key] + 2})
    Protocol.objects.filter(pk=protocol.pk).update(figures=figures, choices=choices)
    scan = service.upload_scan(station, contest, page_png(printed), "scan.png")
    assert (scan.status, scan.reason) == (Scan.MISMATCH, "figures")
    diffs = {d["line"]: d for d in scan.mismatches}
    assert set(diffs) == {"invalid", key}
    assert diffs["invalid"]["printed"] == protocol.figures["invalid"]
    assert diffs["invalid"]["definitive"] == figures["invalid"]
    assert diffs["invalid"]["number"] == 11
    assert diffs[key]["kind"] == "choice" and diffs[key]["definitive"] == choices[key]


def test_scan_of_another_stations_protocol_is_refused_saying_whose(listing, media):
    (a, contest, pa), (b, _, _) = listing
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(b, contest, page_png(service.protocol_pdf(pa)), "scan.png")
    assert err.value.code == "scan.other_station"
    assert f"station № {a.number} ({a.settlements["kk"]})" in str(err.value)
    assert f"not of station № {b.number}" in str(err.value)
    assert f"участка № {a.number}" in err.value.text("ru")
    assert f"№ {a.number} учаскенің" in err.value.text("kk")
    assert not Scan.objects.exists() and stored_files(media) == []


def test_scan_of_another_contest_is_refused(tiny):
    smd = Protocol.objects.filter(contest__kind="single_member",
                                  current=True).select_related("station", "contest").first()
    listed = Protocol.objects.get(station=smd.station, contest__kind="party_list", current=True)
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(smd.station, smd.contest, service.protocol_pdf(listed), "p.pdf")
    assert err.value.code == "scan.other_contest"
    assert listed.contest.name("en") in str(err.value)
    assert not Scan.objects.exists()


def test_single_member_district_protocol_prints_and_matches(tiny):
    # A single-member contest is governed by the rule set's "single_member" form.
    smd = Protocol.objects.filter(contest__kind="single_member", current=True).first()
    scan = service.upload_scan(smd.station, smd.contest, service.protocol_pdf(smd), "smd.pdf")
    assert scan.status == Scan.MATCH
    assert len(scan.payload["choices"]) == 3


def test_same_file_twice_is_one_scan(first, printed, media):
    station, contest, _ = first
    png = page_png(printed)
    one = service.upload_scan(station, contest, png, "a.png")
    two = service.upload_scan(station, contest, png, "b.png")
    assert one.created and not two.created and one.pk == two.pk
    assert Scan.objects.count() == 1 and len(stored_files(media)) == 1


def png_of(size=(300, 300), colour=255) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("data,code", [
    (b"", "scan.empty"),
    (b"Hello, this is a text file pretending to be a scan", "scan.type"),
    (b"GIF89a" + b"\0" * 100, "scan.type"),
    (png_of()[:120], "scan.corrupt"),  # truncated PNG
    (b"\xff\xd8\xff\xe0" + b"\0" * 500, "scan.corrupt"),  # a JPEG header and nothing else
    (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", "scan.corrupt"),
])
def test_bad_files_are_refused_with_a_named_problem_and_nothing_stored(first, media, data, code):
    station, contest, _ = first
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(station, contest, data, "scan.png")
    assert err.value.code == code
    assert all(err.value.text(lang) for lang in ("kk", "ru", "en"))
    assert not Scan.objects.exists() and stored_files(media) == []


def test_oversized_file_is_refused_before_it_is_opened(first, media, monkeypatch):
    station, contest, _ = first
    monkeypatch.setattr(service, "MAX_BYTES", 1000)
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(station, contest, png_of((900, 900), 0) + b"\0" * 1000, "big.png")
    assert err.value.code == "scan.too_large" and "MB" in str(err.value)
    assert not Scan.objects.exists() and stored_files(media) == []


def test_huge_image_dimensions_are_refused(first):
    station, contest, _ = first
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, format="PNG")  # small file, 81M pixels
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(station, contest, out.getvalue(), "bomb.png")
    assert err.value.code == "scan.pixels" and "pixels" in str(err.value)


def test_page_without_a_code_is_stored_as_unreadable(first):
    station, contest, _ = first
    scan = service.upload_scan(station, contest, png_of((800, 1100)), "blank.png")
    assert (scan.status, scan.reason, scan.payload) == (Scan.UNREADABLE, "no_qr", None)


def test_altered_code_is_flagged_not_trusted(first):
    station, contest, protocol = first
    good = service.payload_for(protocol)
    forged = good.text.replace(f"|{good.lines[0]},", f"|{good.lines[0] + 100},", 1)
    assert forged != good.text
    import segno

    out = io.BytesIO()
    segno.make(forged, micro=False).save(out, kind="png", scale=6)
    scan = service.upload_scan(station, contest, out.getvalue(), "forged.png")
    assert (scan.status, scan.reason) == (Scan.MISMATCH, "altered")
    assert scan.mismatches[0]["kind"] == "hash"
    assert scan.payload["lines"][0] == good.lines[0] + 100  # what it claimed, kept for review


def test_no_definitive_protocol_yet(first, printed):
    station, contest, protocol = first
    Protocol.objects.filter(pk=protocol.pk).update(current=False)
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(station, contest, printed, "p.pdf")
    assert err.value.code == "scan.no_protocol"


def test_payload_order_is_the_forms_and_the_ballots(first):
    _, contest, protocol = first
    p = service.payload_for(protocol)
    form = contest.form
    assert p.lines == tuple(protocol.figures.get(k) for k in form.keys)
    assert p.choices == tuple(protocol.choices.get(k, 0) for k in service.choice_keys(contest))
    assert qr.parse(p.text) == p


def test_users_need_a_role_covering_the_station(listing, printed, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from sailau.accounts.models import Role

    (a, contest, _), (b, _, _) = listing
    with pytest.raises(Forbidden):
        service.upload_scan(a, contest, printed, "p.pdf", AnonymousUser())
    user = django_user_model.objects.create_user("op-b")
    Role.objects.create(user=user, kind=Role.OPERATOR, commission_id=b.commission_id)
    with pytest.raises(Forbidden):
        service.upload_scan(a, contest, printed, "p.pdf", user)
    assert not Scan.objects.exists()
    user = django_user_model.objects.create_user("op-a")
    Role.objects.create(user=user, kind=Role.OPERATOR, commission_id=a.commission_id)
    scan = service.upload_scan(a, contest, printed, "p.pdf", user)
    assert scan.uploaded_by == user


def test_upload_is_in_the_audit_log_and_the_chronometry(first, printed):
    from sailau import audit
    from sailau.audit.models import Record
    from sailau.protocols.models import StepTime

    station, contest, _ = first
    scan = service.upload_scan(station, contest, printed, "p.pdf")
    service.upload_scan(station, contest, printed, "p.pdf")  # the duplicate adds nothing
    [rec] = Record.objects.filter(action="scan.upload")
    assert rec.subject == f"{station.id}/{contest.id}"
    assert rec.payload["sha256"] == scan.sha256 and rec.payload["status"] == "match"
    assert rec.payload["scan"] == scan.pk
    assert audit.verify().ok
    assert StepTime.objects.filter(station=station, step="scan_uploaded").count() == 1


def test_a_sideways_skewed_photo_still_matches(first, printed):
    station, contest, _ = first
    page = Image.open(io.BytesIO(page_png(printed, dpi=120))).convert("RGB")
    photo = page.rotate(90, expand=True).rotate(2.5, expand=True, fillcolor=(200, 200, 200))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=70)
    scan = service.upload_scan(station, contest, out.getvalue(), "IMG_0001.JPG")
    assert (scan.status, scan.content_type) == (Scan.MATCH, "image/jpeg")


def test_a_png_named_pdf_is_judged_by_its_content(first, printed):
    station, contest, _ = first
    scan = service.upload_scan(station, contest, page_png(printed), "protocol.pdf")
    assert scan.content_type == "image/png" and scan.file.name.endswith(".png")


def test_scan_of_a_station_not_held_here_says_so_without_an_elections_words(listing, media):
    """A paper whose station the server does not hold is refused as "not here": the words fit a
    referendum's staff page as well as an election's."""
    (a, contest, pa), (b, _, _) = listing
    paper = page_png(service.protocol_pdf(pa))
    Protocol.objects.filter(station=a).delete()
    a.delete()
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(b, contest, paper, "scan.png")
    assert err.value.code == "scan.other_station"
    for lang, here, election in (("kk", "мұнда жоқ", "сайлау"), ("ru", "здесь нет", "выбор"),
                                 ("en", "not here", "election")):
        said = err.value.text(lang)
        assert here in said and election not in said.lower() and f"№ {b.number}" in said, said
