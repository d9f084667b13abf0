"""The resumable upload (tus 1.0.0 core, creation, checksum, termination) and every refusal."""

import base64
import hashlib

import pytest

from sailau.audit.models import Record
from sailau.video.models import Recording, Upload
from tests.video.conftest import NIGHT, TUS, Tus, clip, sha256

pytestmark = pytest.mark.django_db


def test_discovery(client):
    r = client.options("/api/video/uploads/")
    assert r.status_code == 204
    assert r["Tus-Version"] == "1.0.0"
    assert set(r["Tus-Extension"].split(",")) == {"creation", "checksum", "termination"}
    assert "sha1" in r["Tus-Checksum-Algorithm"]


def test_upload_in_chunks_is_checked_stored_and_audited(client, camera, operator, clips,
                                                        recordings_storage):
    f = clip(clips, "whole", seconds=3)
    data = f.read_bytes()
    url, r = Tus(client, operator).send(camera, data, chunk=7000)
    assert r.status_code == 204 and int(r["Upload-Offset"]) == len(data)
    rec = Recording.objects.get()
    assert (rec.sha256, rec.size, rec.station_id) == (sha256(f), len(data), camera.station_id)
    assert rec.started_at == NIGHT and 2900 <= rec.duration_ms <= 3100
    assert "mp4" in rec.format and rec.uploaded_by == operator.username
    with recordings_storage.open(rec.object_name, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == rec.sha256
    assert Record.objects.filter(action="recording.uploaded", subject=f"recording/{rec.pk}",
                                 payload__sha256=rec.sha256).exists()
    head = Tus(client).head(url)
    assert head.status_code == 200 and int(head["Upload-Offset"]) == len(data)
    assert Upload.objects.get().state == Upload.DONE


def test_same_file_twice_is_the_same_recording(client, camera, operator, clips):
    data = clip(clips, "twice").read_bytes()
    tus = Tus(client, operator)
    tus.send(camera, data)
    r = tus.create(camera, data)
    assert r.status_code == 201 and int(r["Upload-Offset"]) == len(data)  # nothing to send
    assert Recording.objects.count() == 1
    assert Record.objects.filter(action="recording.uploaded").count() == 1


def test_chunk_with_wrong_checksum_is_not_kept(client, camera, operator, clips):
    data = clip(clips, "checksum").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    bad = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    r = tus.patch(url, 0, data[:1000], f"sha1 {bad}")
    assert r.status_code == 460 and r.json()["error"] == "checksum_mismatch"
    assert int(tus.head(url)["Upload-Offset"]) == 0
    r = tus.patch(url, 0, data[:1000], "crc32 AAAA")
    assert r.status_code == 422 and r.json()["field"] == "Upload-Checksum"


def test_offset_and_protocol_version_are_checked(client, camera, operator, clips):
    data = clip(clips, "offset").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    assert tus.patch(url, 0, data[:500]).status_code == 204
    r = tus.patch(url, 0, data[:500])  # sent again: the server already has it
    assert r.status_code == 409 and r.json()["detail"] == {"offset": 500}
    r = client.generic("PATCH", url, data[500:900], content_type="application/offset+octet-stream",
                       headers={"Upload-Offset": "500"})
    assert r.status_code == 412
    r = client.generic("PATCH", url, data[500:900], content_type="text/plain",
                       headers={**TUS, "Upload-Offset": "500"})
    assert r.status_code == 415
    r = tus.patch(url, 500, data[500:] + b"more")
    assert r.status_code == 422 and r.json()["error"] == "beyond_length"
    assert int(tus.head(url)["Upload-Offset"]) == 500


def test_a_chunk_without_content_length_is_asked_for_its_length(client, camera, operator, clips):
    data = clip(clips, "nolength").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    r = client.generic("PATCH", url, data[:500], content_type="application/offset+octet-stream",
                       headers={**TUS, "Upload-Offset": "0"}, CONTENT_LENGTH="")
    assert r.status_code == 411 and r.json()["error"] == "length_required", r.content
    assert r.json()["field"] == "Content-Length"
    assert int(tus.head(url)["Upload-Offset"]) == 0
    assert tus.patch(url, 0, data[:500]).status_code == 204


def test_termination(client, camera, operator, clips):
    data = clip(clips, "terminate").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    tus.patch(url, 0, data[:100])
    assert client.delete(url, headers=TUS).status_code == 204
    assert tus.head(url).status_code == 410
    assert tus.patch(url, 100, data[100:200]).status_code == 410
    assert not Recording.objects.exists()


def _refused(client, operator, camera, data, code, declared=None, lang="ru", **more):
    tus = Tus(client, operator)
    url, r = tus.send(camera, data, declared=declared, **more)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == code
    assert not Recording.objects.exists()
    assert Upload.objects.get(pk=url.rsplit("/", 1)[1]).state == Upload.REFUSED
    assert tus.head(url).status_code == 410
    ru = client.generic("PATCH", url, b"", content_type="application/offset+octet-stream",
                        headers={**TUS, "Upload-Offset": "0", "Accept-Language": lang})
    return body, ru.json()["message"]


def test_wrong_declared_hash(client, camera, operator, clips):
    data = clip(clips, "hash").read_bytes()
    body, ru = _refused(client, operator, camera, data, "hash_mismatch", declared="0" * 64)
    assert body["detail"]["actual"] == hashlib.sha256(data).hexdigest()
    assert "SHA-256" in ru and "заявленным" in ru


def test_not_a_video(client, camera, operator):
    _, ru = _refused(client, operator, camera, b"%PDF-1.4 " * 3000, "not_video")
    assert "не является видеозаписью" in ru


def test_truncated(client, camera, operator, clips):
    data = clip(clips, "cut", seconds=4).read_bytes()
    _, kk = _refused(client, operator, camera, data[: len(data) * 2 // 3], "truncated", lang="kk")
    assert "толық емес" in kk


def test_recording_of_another_station(client, camera, operator, clips, station):
    other = clip(clips, "elsewhere", tags={"station": "another-station"}).read_bytes()
    body, _ = _refused(client, operator, camera, other, "other_station")
    assert body["detail"] == {"file": "another-station", "camera": station.id}
    data = clip(clips, "declared").read_bytes()
    r = Tus(client, operator).create(camera, data, station="no-such-station")
    assert r.status_code == 422 and r.json()["error"] == "other_station"


def test_storage_unavailable_records_nothing_and_the_last_chunk_can_be_resent(
        client, camera, operator, clips, monkeypatch, recordings_storage):
    data = clip(clips, "storage").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    assert tus.patch(url, 0, data[:3000]).status_code == 204

    def down(*a, **kw):
        raise ConnectionError("storage is down")

    monkeypatch.setattr(type(recordings_storage), "save", down)  # the backend in use, disk or S3
    r = tus.patch(url, 3000, data[3000:])
    assert r.status_code == 503 and r.json()["error"] == "storage_unavailable"
    assert not Recording.objects.exists()
    assert not Record.objects.filter(action="recording.uploaded").exists()
    assert int(tus.head(url)["Upload-Offset"]) == 3000
    monkeypatch.undo()
    assert tus.patch(url, 3000, data[3000:]).status_code == 204
    assert Recording.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_who_may_upload(client, camera, clips, station):
    from sailau.accounts.models import Role
    from sailau.observation.models import Deployment, Observer, Organisation
    from tests.factories import RoleFactory, UserFactory, beside

    data = clip(clips, "who").read_bytes()
    assert Tus(client).create(camera, data).status_code == 401
    stranger = UserFactory()
    r = Tus(client, stranger).create(camera, data)
    assert r.status_code == 403 and r.json()["error"] == "not_allowed"
    elsewhere = RoleFactory(kind=Role.OPERATOR, commission=beside(station).commission).user
    assert Tus(client, elsewhere).create(camera, data).status_code == 403
    org = Organisation.objects.create(election=station.election, names={"kk": "Бақылау"},
                                      kind=Organisation.CITIZEN)
    manager = RoleFactory(kind=Role.MANAGER, organisation=org, commission=None).user
    assert Tus(client, manager).create(camera, data).status_code == 403  # not deployed there
    observer = Observer.objects.create(organisation=org, kind=Observer.CITIZEN, full_name="A",
                                       badge=Observer.new_badge())
    Deployment.objects.create(observer=observer, station=station)
    assert Tus(client, manager).create(camera, data).status_code == 201


def test_a_role_revoked_mid_upload_ends_it(client, camera, operator, clips):
    from sailau.accounts.models import Role

    data = clip(clips, "revoked").read_bytes()
    tus = Tus(client, operator)
    url = tus.create(camera, data)["Location"]
    assert tus.patch(url, 0, data[:500]).status_code == 204
    Role.objects.filter(user=operator).delete()
    r = tus.patch(url, 500, data[500:])
    assert r.status_code == 403 and not Recording.objects.exists()
