"""A scan belongs to the protocol version its code shows. After an amendment the old paper's
scan stays the scan of version 1: the station page says so (kk/ru/en) and that the current
version has no scan of its own until the new paper's scan is uploaded; "matches the protocol" is
only said of a scan of the current version; the integrity report counts the station meanwhile."""

import pytest
from django.utils import translation

from sailau.integrity.service import station_inputs
from sailau.protocols.models import Protocol
from sailau.scans import service
from sailau.scans.models import Scan
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1(small_election):
    return (Protocol.objects.current().filter(station__election=small_election,
                                              contest__kind="party_list")
            .select_related("station", "contest").order_by("station__number").first())


@pytest.fixture
def old_paper(v1) -> bytes:
    return service.protocol_pdf(v1)


def page(client, p: Protocol, lang: str) -> str:
    """The public station page and the station's scans page, in `lang`."""
    out = []
    for url in (f"/{lang}/e/{p.station.election_id}/s/{p.station.number}/",
                f"/{lang}/scans/{p.station_id}/{p.contest_id}/"):
        with translation.override(lang):
            r = client.get(url)
        assert r.status_code == 200, url
        out.append(r.content.decode())
    return out


EARLIER = {"kk": "Бұл скан хаттаманың 1-нұсқасына жатады; қазіргі нұсқа — 2.",
           "ru": "Этот скан — версии 1 протокола; текущая версия — 2.",
           "en": "This scan is of version 1 of the protocol; the current version is 2."}
MATCHES = {"kk": "Скан хаттамаға сәйкес", "ru": "Скан соответствует протоколу",
           "en": "The scan matches the protocol"}
SCANS_MATCH = {"kk": "түпкілікті хаттамаға сәйкес келеді", "ru": "совпадает с окончательным протоколом",
               "en": "matches the definitive protocol"}


def test_after_an_amendment_the_page_says_the_scan_is_of_an_earlier_version(
        v1, old_paper, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = service.upload_scan(v1.station, v1.contest, old_paper, "v1.pdf")
    assert (scan.status, scan.protocol_id) == (Scan.MATCH, v1.pk)
    v2 = f.amend(v1)
    scan.refresh_from_db()
    assert scan.protocol_id == v1.pk and scan.status == Scan.MATCH  # still the paper of v1
    for lang in ("kk", "ru", "en"):
        station, scans = page(client, v2, lang)
        for html in (station, scans):
            assert EARLIER[lang] in html and service.NO_CURRENT_SCAN[lang] in html
        assert MATCHES[lang] not in station
        assert SCANS_MATCH[lang] not in scans
    # The new paper, printed from version 2, is the current version's scan.
    new = service.upload_scan(v2.station, v2.contest, service.protocol_pdf(v2), "v2.pdf")
    assert (new.status, new.protocol_id) == (Scan.MATCH, v2.pk)
    for lang in ("kk", "ru", "en"):
        station, scans = page(client, v2, lang)
        assert MATCHES[lang] in station and SCANS_MATCH[lang] in scans
        for html in (station, scans):
            assert EARLIER[lang] in html and service.NO_CURRENT_SCAN[lang] not in html


def test_the_old_paper_uploaded_after_the_amendment_belongs_to_version_1(
        v1, old_paper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    v2 = f.amend(v1)
    scan = service.upload_scan(v2.station, v2.contest, old_paper, "v1.pdf")
    assert (scan.status, scan.protocol_id, scan.mismatches) == (Scan.MATCH, v1.pk, [])
    [shown], note = service.standing([{"protocol_version": 1, "status": "match"}], 2, "en")
    assert not shown["of_current"] and note == service.NO_CURRENT_SCAN["en"]


def test_the_integrity_report_counts_a_current_version_without_its_scan(
        v1, old_paper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    service.upload_scan(v1.station, v1.contest, old_paper, "v1.pdf")
    assert station_inputs(v1.contest)["scans"][v1.station_id] == [
        {"status": "match", "reason": "", "mismatches": []}]
    v2 = f.amend(v1)
    assert station_inputs(v1.contest)["scans"][v1.station_id] == [
        {"status": "mismatch", "reason": "version", "mismatches": [
            {"line": "version", "kind": "version", "printed": 1, "definitive": 2}]}]
    service.upload_scan(v2.station, v2.contest, service.protocol_pdf(v2), "v2.pdf")
    assert station_inputs(v1.contest)["scans"][v1.station_id] == [
        {"status": "match", "reason": "", "mismatches": []}]
