"""What one account may stage in unfinished uploads, and the sweep of abandoned ones."""

import os
import time

import pytest

from sailau.api import tus as tus_api
from sailau.audit.models import Record
from sailau.video import retention
from sailau.video.models import Upload
from tests.video.conftest import TUS, Tus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_staging(tmp_path, monkeypatch):
    """Each test its own staging directory, so the files counted and swept are its own."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))


def test_staged_bytes_per_account_have_a_quota(client, camera, operator, monkeypatch):
    monkeypatch.setattr(tus_api, "STAGED_QUOTA", 2500)
    tus = Tus(client, operator)
    first = tus.create(camera, b"a" * 1000)
    second = tus.create(camera, b"b" * 1000)
    assert first.status_code == second.status_code == 201
    r = tus.create(camera, b"c" * 1000)
    assert r.status_code == 413, r.content
    body = r.json()
    assert body["error"] == "upload.quota" and body["field"] == "Upload-Length"
    assert body["detail"] == {"staged": 2000, "length": 1000, "quota": 2500}
    assert Upload.objects.count() == 2
    assert len(list(tus_api.staging("x").parent.glob("*.part"))) == 2
    # an upload ended gives its share back
    assert client.delete(first["Location"], headers=TUS).status_code == 204
    assert tus.create(camera, b"c" * 1000).status_code == 201


def test_quota_messages_in_every_language():
    from sailau.errors import MESSAGES, Code

    texts = MESSAGES[Code.UPLOAD_QUOTA]
    assert all(texts[lang] for lang in ("kk", "ru", "en")) and texts["kk"] != texts["en"]


def test_abandoned_uploads_are_swept(client, camera, operator):
    tus = Tus(client, operator)
    old = tus.create(camera, b"x" * 1000)["Location"]
    fresh = tus.create(camera, b"y" * 1000)["Location"]
    tus.patch(old, 0, b"x" * 400)
    tus.patch(fresh, 0, b"y" * 400)
    old_id, fresh_id = old.rstrip("/").rsplit("/", 1)[1], fresh.rstrip("/").rsplit("/", 1)[1]
    day_ago = time.time() - 25 * 3600
    os.utime(tus_api.staging(old_id), (day_ago, day_ago))
    orphan = tus_api.staging("0" * 32)
    orphan.write_bytes(b"left behind")
    os.utime(orphan, (day_ago, day_ago))

    assert retention.sweep_uploads(hours=24) == [f"upload/{old_id}"]
    assert not tus_api.staging(old_id).exists() and not orphan.exists()
    assert tus_api.staging(fresh_id).stat().st_size == 400
    assert Upload.objects.get(pk=old_id).state == Upload.REFUSED
    assert Upload.objects.get(pk=fresh_id).state == Upload.OPEN
    assert tus.head(old).status_code == 410 and tus.head(fresh).status_code == 200
    assert Record.objects.filter(action="upload.abandoned", subject=f"upload/{old_id}",
                                 payload__staged=400).exists()
    assert retention.sweep_uploads(hours=24) == []  # nothing more to do


def test_sweep_command(client, camera, operator, capsys):
    from sailau.cli import main as cli

    tus = Tus(client, operator)
    url = tus.create(camera, b"x" * 10)["Location"]
    up_id = url.rstrip("/").rsplit("/", 1)[1]
    assert cli(["video", "sweep-uploads", "--hours", "0"]) == 0
    assert f"ended upload/{up_id}" in capsys.readouterr().out
    assert Upload.objects.get(pk=up_id).state == Upload.REFUSED


def test_the_background_publisher_sweeps(client, camera, operator, monkeypatch):
    from sailau.publish.pipeline import chores

    monkeypatch.setattr(retention, "ABANDONED_HOURS", 0)
    monkeypatch.setattr(chores.retention, "prune_objects", lambda eid: 0)
    monkeypatch.setattr(chores.mirror, "prune", lambda eid: 0)
    url = Tus(client, operator).create(camera, b"x" * 10)["Location"]
    said = []
    chores.prune_now(None, 0.0, lambda *a, **kw: said.append(a[0]))
    up_id = url.rstrip("/").rsplit("/", 1)[1]
    assert Upload.objects.get(pk=up_id).state == Upload.REFUSED
    assert said == [f"upload/{up_id}: abandoned, its staged bytes removed"]
