"""Complaint attachments and observers' photos through the "default" storage: downloaded from
the application on the local disk, by a short-lived pre-signed redirect on object storage; a
private filer's attachment opened only by the filer and the deciding body; the storage down
while one is uploaded is a 503 `storage_unavailable` with nothing recorded."""

import datetime as dt
import hashlib
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sailau.audit.models import Record
from sailau.complaints import services as complaints
from sailau.complaints.models import Attachment, Complaint
from sailau.errors import StorageUnavailable
from tests.stored import S3, fetch

from .conftest import kill_default_storage

pytestmark = pytest.mark.django_db


def _png(seed: int = 0) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (seed, 90, 200)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def station(db):
    from tests.factories import StationFactory

    return StationFactory()


def _filing(station, filer_kind: str, text: str) -> dict:
    return {"election": station.election_id, "filer_kind": filer_kind,
            "filer_name": "Private Person Qwerty" if filer_kind == "voter" else "Party Nur",
            "filer_contact": "+7 701 000 0000", "against_kind": "commission",
            "against_name": "PEC", "topic": "counting", "text": text, "body": "commission",
            "station": str(station.number),
            "filed_at": timezone.make_aware(dt.datetime.combine(
                station.election.date + dt.timedelta(days=2), dt.time(10)))}


def _file(station, filer_kind: str, user=None, data: bytes | None = None):
    data = data or _png(1 if filer_kind == "voter" else 2)
    c, _ = complaints.file_complaint(_filing(station, filer_kind, f"{filer_kind} saw it"),
                                     [complaints.Upload("протокол.png", data)], user=user)
    return c, c.attachments.get(), data


def _downloaded(got, data: bytes) -> None:
    assert got.status == 200 and got.body == data
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%D0%BF%D1%80" in got.headers["Content-Disposition"]
    if S3:
        assert "X-Amz-Expires=300" in got.redirected_to
    else:
        assert got.headers["Content-Security-Policy"] == "sandbox"


def test_a_public_filers_attachment_is_anyones_to_download(object_storage, station, client):
    c, att, data = _file(station, "party")
    _downloaded(fetch(client, f"/en/complaints/attachment/{att.pk}/"), data)
    page = client.get(f"/en/complaints/c/{c.receipt}/").content.decode()
    assert f'href="/en/complaints/attachment/{att.pk}/"' in page
    assert hashlib.sha256(data).hexdigest() in page  # the whole hash, to check the download


def test_a_private_filers_attachment_only_for_the_filer_and_the_deciding_body(
        object_storage, station, client, django_user_model):
    from sailau.accounts import permissions as perm
    from sailau.accounts.models import Role

    filer = django_user_model.objects.create_user("filer")
    c, att, data = _file(station, "voter", user=filer)
    url = f"/en/complaints/attachment/{att.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/complaints/login/" in anonymous["Location"]
    page = client.get(f"/en/complaints/c/{c.receipt}/").content.decode()
    assert url not in page and att.sha256 in page  # the hash is public, the file is not

    client.force_login(django_user_model.objects.create_user("someone"))
    assert client.get(url).status_code == 403
    client.force_login(filer)
    _downloaded(fetch(client, url), data)
    assert url in client.get(f"/en/complaints/c/{c.receipt}/").content.decode()

    decider = django_user_model.objects.create_user("decider")
    commission_id, body = perm.deciding_body(c)
    Role.objects.create(user=decider, kind=Role.DECIDER, commission_id=commission_id, body=body,
                        election=None if commission_id else c.election)
    client.force_login(decider)
    _downloaded(fetch(client, url), data)


def test_a_deleted_attachment_is_404(object_storage, station, client):
    _c, att, _data = _file(station, "party")
    att.file.storage.delete(att.file.name)
    assert client.get(f"/en/complaints/attachment/{att.pk}/").status_code == 404


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_storage_down_while_filing_with_an_attachment_files_nothing(
        object_storage, station, client, settings, tmp_path, django_user_model, lang):
    from sailau.errors import MESSAGES, Code

    records = Record.objects.count()
    kill_default_storage(settings, tmp_path)
    with pytest.raises(StorageUnavailable) as caught:
        _file(station, "voter")
    assert caught.value.to_json(lang)["error"] == "storage_unavailable"

    client.force_login(django_user_model.objects.create_user("filer"))
    form = {k: v for k, v in _filing(station, "voter", "through the page").items()
            if k != "filed_at"}
    r = client.post(f"/{lang}/complaints/file/", {
        **form, "attachments": [SimpleUploadedFile("a.png", _png(), "image/png")]})
    assert r.status_code == 503
    assert MESSAGES[Code.STORAGE_UNAVAILABLE][lang].split(":")[0] in r.content.decode()
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert Record.objects.count() == records


@pytest.fixture
def observer(station, django_user_model):
    """An observer of an accredited organisation, with an account and the observer role,
    deployed at the station (the rows the observation services leave)."""
    from sailau.accounts.models import Role
    from sailau.observation.models import Accreditation, Deployment, Observer, Organisation

    org = Organisation.objects.create(election=station.election, kind="citizen",
                                      names={"kk": "Тест қоры"})
    Accreditation.objects.create(organisation=org, commission=station.commission.parent,
                                 applied_on=dt.date(2023, 2, 1), status=Accreditation.GRANTED,
                                 decision_number="7/2023", decision_date=dt.date(2023, 3, 1))
    user = django_user_model.objects.create_user("obs")
    Role.objects.create(user=user, kind=Role.OBSERVER, organisation=org)
    obs = Observer.objects.create(organisation=org, kind="citizen", full_name="Айгүл Тестова",
                                  user=user, badge="T-0001")
    Deployment.objects.create(observer=obs, station=station)
    return obs


def test_an_observers_photo_once_verified_is_downloaded_from_the_storage(
        object_storage, station, observer, client):
    from sailau.evidence.models import Image
    from sailau.observation import reports
    from sailau.observation.models import ObserverCopy
    from tests.factories import ContestFactory

    contest = ContestFactory(election=station.election)
    row = ObserverCopy.objects.create(uuid=uuid.uuid4(), observer=observer, station=station,
                                      contest=contest, figures={}, choices={})
    data = _jpeg()
    reports.attach_copy_photo(row, data, "obs")
    image = Image.objects.get(copy=row)  # the evidence app registers each photo that arrives
    image.status = Image.VERIFIED  # (its readings are the evidence app's tests)
    image.save(update_fields=["status"])
    got = fetch(client, f"/en/evidence/image/{image.pk}/file")
    assert got.status == 200 and got.body == data
    assert got.headers["Content-Type"] == "image/jpeg"
    assert bool(got.redirected_to) == S3


def test_storage_down_while_an_observer_sends_a_photo_is_a_503_and_nothing_recorded(
        object_storage, station, observer, client, settings, tmp_path):
    from sailau.observation.models import Incident, IncidentPhoto

    incident = Incident.objects.create(uuid=uuid.uuid4(), observer=observer, station=station,
                                       kind="copy_refused", occurred_at=timezone.now(),
                                       description="No copy given")
    records = Record.objects.count()
    kill_default_storage(settings, tmp_path)
    client.force_login(observer.user)
    photo = io.BytesIO(_jpeg())
    photo.name = "p.jpg"
    r = client.post(f"/api/observation/incidents/{incident.uuid}/photos", {"photo": photo},
                    headers={"Accept-Language": "ru"})
    assert r.status_code == 503 and r.json()["error"] == "storage_unavailable"
    assert "Хранилище файлов сейчас недоступно" in r.json()["message"]
    assert "127.0.0.1" not in r.content.decode()
    assert not IncidentPhoto.objects.exists() and Record.objects.count() == records
