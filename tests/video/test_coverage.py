"""The count window against the recordings, criterion I18, and the station page's timeline."""

import datetime as dt

import pytest

from sailau.video.coverage import cover
from tests.video.conftest import NIGHT, Tus, clip

M = dt.timedelta(minutes=1)
START, END = NIGHT, NIGHT + 120 * M


def test_whole_window_covered_by_overlapping_recordings():
    c = cover(START, END, [(START - 5 * M, START + 70 * M), (START + 60 * M, END + M)])
    assert c.complete and not c.ends_before_signing and c.covered_seconds() == 7200


def test_gap_in_the_middle_and_a_camera_restart_within_tolerance():
    c = cover(START, END, [(START, START + 40 * M), (START + 40 * M + dt.timedelta(seconds=20),
                                                     START + 50 * M), (START + 80 * M, END)])
    assert c.gaps == [(START + 50 * M, START + 80 * M)]
    assert not c.ends_before_signing and c.covered_seconds() == 90 * 60


def test_recording_ending_before_signing():
    c = cover(START, END, [(START, START + 100 * M)])
    assert c.gaps == [(START + 100 * M, END)] and c.ends_before_signing


def test_no_recording_and_unknown_window():
    c = cover(START, END, [])
    assert c.gaps == [(START, END)] and c.ends_before_signing and c.covered_seconds() == 0
    assert not cover(START, None, [(START, END)]).known
    assert not cover(END, START, [(START, END)]).known  # signed before closing: not judged


@pytest.fixture
def night(station, operator):
    from sailau.protocols.models import StepTime

    StepTime.objects.create(station=station, step="polls_closed", at=START)
    StepTime.objects.create(station=station, step="protocol_signed", at=START + 5 * M)
    return station


@pytest.mark.django_db
def test_station_page_and_integrity_report_show_the_gap(client, night, camera, operator, clips):
    """A 2 s recording from the close, the protocol signed 5 minutes after."""
    from sailau.integrity import service
    from tests.factories import ContestFactory, DefinitiveProtocolFactory, beside

    Tus(client, operator).send(camera, clip(clips, "short").read_bytes())
    other = beside(night)  # the stations first, then the contest (its tallies count them)
    contest = ContestFactory(election=night.election)
    DefinitiveProtocolFactory(station=night, contest=contest)
    DefinitiveProtocolFactory(station=other, contest=contest)
    stations = service.get(contest)["stations"]
    (flag,) = [f for f in stations[night.id]["flags"] if f["code"] == "I18"]
    assert flag["evidence"]["ends_before_signing"] and len(flag["evidence"]["gaps"]) == 1
    client.logout()
    page = client.get(f"/ru/e/{night.election_id}/s/{night.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Видеозапись подсчёта" in html and "Записи покрывают не весь подсчёт" in html
    assert "Без видеозаписи" in html and "#c0392b" in html
    rec = camera.recordings.get()
    assert rec.sha256 in html and f"/video/file/{rec.pk}" in html
    assert "the counting table" not in html and "стол подсчёта" in html
    assert "I18" in html


@pytest.mark.django_db
def test_a_covered_count_is_not_flagged(client, night, camera, operator, clips):
    from sailau.integrity import service
    from sailau.protocols.models import StepTime
    from tests.factories import ContestFactory, DefinitiveProtocolFactory

    # 8 s of video, the protocol signed 30 s after the close: within a camera restart's tolerance
    StepTime.objects.filter(station=night, step="protocol_signed").update(
        at=START + dt.timedelta(seconds=30))
    Tus(client, operator).send(camera, clip(clips, "long", seconds=8).read_bytes())
    contest = ContestFactory(election=night.election)
    DefinitiveProtocolFactory(station=night, contest=contest)
    flags = service.get(contest)["stations"].get(night.id, {}).get("flags", [])
    assert "I18" not in [f["code"] for f in flags]
    html = client.get(f"/kk/e/{night.election_id}/s/{night.number}/").content.decode()
    assert "Жазбалар санауды толық қамтиды" in html
