"""Recordings on the demo's clock: uploaded on the night it replays, and still within their
retention, which counts from the election's date, not from today's."""

import datetime as dt

import pytest
from django.utils import timezone

from sailau.video.models import Recording
from tests.video.conftest import Tus, clip

pytestmark = pytest.mark.django_db


def test_the_expiry_dry_run_on_the_demo_night_removes_nothing(
        demo_clock, client, camera, operator, clips, capsys, recordings_storage):
    from sailau.cli import main

    data = clip(clips, "demo-night", seconds=2,
                start=demo_clock.closing + dt.timedelta(minutes=5)).read_bytes()
    Tus(client, operator).send(camera, data)
    rec = Recording.objects.get()
    assert timezone.localtime(rec.uploaded_at).date() == dt.date(2023, 3, 20)
    assert main(["video", "expire", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 recording(s) would remove" in out and "would remove recording" not in out
    assert recordings_storage.exists(rec.object_name)
