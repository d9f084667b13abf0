"""What the public reads of a recording: who answers for it as a body (the commission or the
observer organisation), never the uploader's login name (personal data); its times in the page's
local format (dd.mm.yyyy HH:MM, Almaty), never ISO; on the station page, its recordings as a
table that becomes cards on a phone (table.stack, each cell named)."""

import datetime as dt
import re

import pytest
from django.utils import formats, timezone

from sailau.accounts.models import Role
from sailau.video.models import Recording
from tests.stored import S3
from tests.video.conftest import NIGHT
from tests.web.visible_text import visible_text

pytestmark = pytest.mark.django_db
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@pytest.fixture
def rec(camera, operator):
    sha = "ab" * 32
    return Recording.objects.create(
        camera=camera, station=camera.station, started_at=NIGHT, duration_ms=3_600_000,
        ended_at=NIGHT + dt.timedelta(hours=1), format="mov,mp4,m4a,3gp,3g2,mj2",
        size=48_000_000, sha256=sha, object_name=f"ab/{sha}.mp4", uploaded_by=operator.username)


def _local(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "d.m.Y H:i")


@pytest.mark.parametrize("lang", ("kk", "ru", "en"))
def test_the_recording_page_names_the_commission_not_the_login(client, rec, operator, lang):
    text = visible_text(client.get(f"/{lang}/video/r/{rec.pk}/").content.decode())
    assert operator.username not in text
    assert rec.station.commission.name(lang) in text
    assert not ISO.findall(text), ISO.findall(text)
    for at in (rec.started_at, rec.ended_at, rec.uploaded_at):
        assert _local(at) in text


def test_an_uploader_without_a_role_any_more_is_left_out(client, rec, operator):
    Role.objects.filter(user=operator).delete()
    text = visible_text(client.get(f"/ru/video/r/{rec.pk}/").content.decode())
    assert operator.username not in text and rec.station.commission.name("ru") not in text
    assert _local(rec.uploaded_at) in text


def test_an_observer_organisation_answers_for_what_its_manager_uploaded(client, rec):
    from sailau.observation.models import Deployment, Observer, Organisation
    from tests import factories as f

    station = rec.station
    org = Organisation.objects.create(election=station.election, kind=Organisation.CITIZEN,
                                      names={"kk": "Адал сайлау", "ru": "Честные выборы"})
    observer = Observer.objects.create(organisation=org, kind="citizen", full_name="Әлия Б.",
                                       badge="D0000001")
    Deployment.objects.create(observer=observer, station=station)
    manager = f.UserFactory()
    Role.objects.create(user=manager, kind=Role.MANAGER, organisation=org,
                        election=station.election)
    Recording.objects.filter(pk=rec.pk).update(uploaded_by=manager.username)
    text = visible_text(client.get(f"/kk/video/r/{rec.pk}/").content.decode())
    assert "Адал сайлау" in text and manager.username not in text


def test_the_station_page_lists_recordings_as_cards_on_a_phone(client, rec):
    s = rec.station
    html = client.get(f"/kk/e/{s.election_id}/s/{s.number}/").content.decode()
    table = re.search(r'<table class="results stack recordings">.*?</table>', html, re.DOTALL)
    assert table, "no recordings table that stacks on a phone"
    cells = re.findall(r"<td( [^>]*)?>", table.group(0).split("<tbody>")[1])
    # Every cell but the links' names its column when the row becomes a card.
    assert sum("data-label" in (c or "") for c in cells) == len(cells) - 1
    assert _local(rec.started_at) in visible_text(table.group(0))


def test_a_file_missing_from_storage_is_a_404_not_a_500(client, rec):
    """The registry row says available, the storage has no such file (restored from another
    machine, removed by hand): the player's request is answered 404 here; on S3 it is sent to
    the object store, which answers for its own keys."""
    assert client.get(f"/video/file/{rec.pk}").status_code == (302 if S3 else 404)
