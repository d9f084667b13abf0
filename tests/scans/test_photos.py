"""Bad photos of the demo's drawn page (a phone's capture, not the printed PDF): another
station's paper, a photo cut short in transfer, a blank one. Each answered in the user's
language, nothing half-stored."""

import random

import pytest

from sailau.scans import capture, demo, page, service
from sailau.scans.models import Scan
from tests.scans.scan_helpers import stored_files

pytestmark = pytest.mark.django_db


def photo(station, contest, protocol, kind="phone", seed=4) -> bytes:
    form = demo.forms(station.election_id)[contest.id][0]
    sheet = page.Template(form).page(demo.sheets([station.id])[station.id],
                                     service.payload_for(protocol), protocol.figures,
                                     protocol.choices, random.Random(seed))
    return capture.capture(sheet, random.Random(seed), kind)[0]


def test_a_photo_of_another_stations_paper_is_refused_naming_it(listing, media):
    (a, contest, pa), (b, _, _) = listing
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(b, contest, photo(a, contest, pa), "IMG_0001.jpg")
    assert err.value.code == "scan.other_station"
    assert f"№ {a.number} учаскенің" in err.value.text("kk")
    assert f"участка № {a.number}" in err.value.text("ru")
    assert f"not of station № {b.number}" in err.value.text("en")
    assert not Scan.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_photo_cut_short_is_refused_as_corrupt(listing, media, cut):
    station, contest, protocol = listing[0]
    data = photo(station, contest, protocol, "scanner")
    with pytest.raises(service.ScanError) as err:
        service.upload_scan(station, contest, data[:int(len(data) * cut)], "IMG_0002.jpg")
    assert err.value.code == "scan.corrupt"
    assert "JPEG" in err.value.text("ru") and "JPEG" in err.value.text("kk")
    assert not Scan.objects.exists() and stored_files(media) == []


def test_the_photo_of_the_stations_own_paper_matches_in_every_capture(listing, media):
    station, contest, protocol = listing[0]
    for i, kind in enumerate(capture.KINDS):
        scan = service.upload_scan(station, contest, photo(station, contest, protocol, kind, i),
                                   f"IMG_{i}.jpg")
        assert (scan.status, scan.protocol_id) == (Scan.MATCH, protocol.pk), kind
    assert len(stored_files(media)) == len(capture.KINDS)
