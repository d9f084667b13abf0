"""A scan uploaded on the demo's night carries the night's date, as every time a person reads."""

import datetime as dt

import pytest
from django.utils import timezone

from sailau.protocols.models import StepTime
from sailau.scans import service

pytestmark = pytest.mark.django_db


def test_a_scan_uploaded_during_the_demo_night_carries_its_date(demo_clock, listing):
    station, contest, protocol = listing[0]
    scan = service.upload_scan(station, contest, service.protocol_pdf(protocol), "p.pdf")
    assert demo_clock.closing < scan.uploaded_at < demo_clock.ends + dt.timedelta(minutes=5)
    assert timezone.localtime(scan.uploaded_at).date() == dt.date(2023, 3, 20)
    step = StepTime.objects.get(station=station, step="scan_uploaded")
    assert demo_clock.closing < step.at < demo_clock.ends + dt.timedelta(minutes=5)
