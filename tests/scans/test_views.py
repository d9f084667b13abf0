"""The pages: printable PDF, upload form, a station's scans, flagged scans, scan files."""

import pytest
from django.urls import reverse

from sailau.scans import service
from sailau.scans.models import Scan
from tests.scans.scan_helpers import page_png
from tests.stored import fetch

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.scans.urls")]


@pytest.fixture
def first(listing):
    return listing[0]


@pytest.fixture
def operator(first, django_user_model):
    from sailau.accounts.models import Role

    user = django_user_model.objects.create_user("op")  # no password: hashing one costs a second
    Role.objects.create(user=user, kind=Role.OPERATOR, commission_id=first[0].commission_id)
    return user


def test_protocol_pdf_is_public(client, first):
    station, contest, protocol = first
    r = client.get(f"/ru/scans/{station.id}/{contest.id}/protocol.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert f"v{protocol.version}.pdf" in r["Content-Disposition"]
    assert r.content.startswith(b"%PDF-")


def test_protocol_pdf_of_an_unknown_station_is_404(client, first):
    assert client.get(f"/en/scans/nope/{first[1].id}/protocol.pdf").status_code == 404


def test_the_public_cannot_upload(client, first, django_user_model):
    station, contest, _ = first
    url = reverse("scans:upload", args=[station.id, contest.id])
    for r in (client.get(url), client.post(url, {"file": b""})):  # sent to sign in
        assert r.status_code == 302 and "/entry/login/?next=" in r["Location"]
    client.force_login(django_user_model.objects.create_user("nobody"))  # no role here
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": b""}).status_code == 403
    assert not Scan.objects.exists()


def test_operator_uploads_and_sees_the_check(client, first, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    station, contest, protocol = first
    client.force_login(operator)
    url = f"/en/scans/{station.id}/{contest.id}/upload/"
    assert client.get(url).status_code == 200
    png = page_png(service.protocol_pdf(protocol))
    r = client.post(url, {"file": SimpleUploadedFile("scan.png", png, "image/png")})
    assert r.status_code == 302
    scan = Scan.objects.get()
    assert r["Location"].endswith(f"?scan={scan.pk}")
    page = client.get(r["Location"]).content.decode()
    assert "matches the definitive protocol" in page and scan.sha256[:16] in page
    # Again: no second row, and the page says so.
    r = client.post(url, {"file": SimpleUploadedFile("again.png", png, "image/png")})
    assert r["Location"].endswith("&again=1") and Scan.objects.count() == 1


@pytest.mark.parametrize("lang,words", [("kk", "PDF, JPEG немесе PNG емес"),
                                        ("ru", "не является PDF, JPEG или PNG"),
                                        ("en", "not a PDF, JPEG or PNG")])
def test_bad_file_gets_the_error_in_the_page_language(client, first, operator, lang, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    station, contest, _ = first
    client.force_login(operator)
    r = client.post(f"/{lang}/scans/{station.id}/{contest.id}/upload/",
                    {"file": SimpleUploadedFile("scan.png", b"not an image", "image/png")})
    assert r.status_code == 400 and words in r.content.decode()
    assert not Scan.objects.exists()


def test_oversized_upload_is_refused_by_the_page(client, first, operator, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    station, contest, _ = first
    monkeypatch.setattr(service, "MAX_BYTES", 100)
    client.force_login(operator)
    r = client.post(f"/en/scans/{station.id}/{contest.id}/upload/",
                    {"file": SimpleUploadedFile("big.png", b"\x89PNG" + b"\0" * 500)})
    assert r.status_code == 400 and "too large" in r.content.decode()


def test_scan_file_download_is_sandboxed(client, first):
    station, contest, protocol = first
    pdf = service.protocol_pdf(protocol)
    scan = service.upload_scan(station, contest, pdf, "p.pdf")
    got = fetch(client, f"/kk/scans/file/{scan.pk}/")
    assert got.status == 200 and got.headers["Content-Type"] == "application/pdf"
    assert got.body == pdf
    # On S3 the bytes come from the bucket's own address, never a page of this site.
    assert got.redirected_to or got.headers["Content-Security-Policy"] == "sandbox"


def test_flagged_page_lists_mismatches_for_everyone(client, listing):
    from sailau.protocols.models import Protocol

    station, contest, protocol = listing[0]
    pdf = service.protocol_pdf(protocol)
    Protocol.objects.filter(pk=protocol.pk).update(
        figures=dict(protocol.figures, lost=protocol.figures["lost"] + 1))
    service.upload_scan(station, contest, pdf, "p.pdf")
    html = client.get(f"/en/scans/flagged/{station.election_id}/").content.decode()
    assert f"№ {station.number}" in html and "lost: " in html
    assert "mismatch: 1" in html
