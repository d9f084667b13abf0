"""Tests of what goes through Django's storage API. They run on the local disk, and a second time
against an S3-compatible server when SAILAU_S3_BUCKET and SAILAU_S3_ENDPOINT_URL are set
(scripts/test starts moto's server for that pass)."""

import os
import socket
import uuid

import pytest

from sailau.filestores import storages
from tests.stored import S3


@pytest.fixture
def object_storage(settings, tmp_path, monkeypatch, _s3_bucket):
    """STORAGES of one test. S3 pass: a fresh key prefix in the bucket. Local pass: the files
    under tmp_path, with snapshots in a folder apart from the data directory (as a static
    server's), so that the copy to it runs as it does to a bucket."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    settings.MEDIA_ROOT = tmp_path / "media"
    if S3:  # the bucket: tests/conftest.py
        conf = storages({**os.environ, "SAILAU_S3_PREFIX": f"test-{uuid.uuid4().hex}"})
    else:
        conf = storages({})
        conf["snapshots"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                             "OPTIONS": {"location": tmp_path / "cdn", "allow_overwrite": True,
                                         "base_url": "http://cdn.test/"}}
    settings.STORAGES = conf
    return conf


def kill_default_storage(settings, tmp_path) -> None:
    """The "default" storage made unreachable for real: on S3, an endpoint where nothing
    listens; on the disk, a folder that cannot be made (its parent is a file)."""
    if S3:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # free once closed: nothing listens there
        conf = dict(settings.STORAGES["default"])
        conf["OPTIONS"] = {**conf["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{port}"}
        settings.STORAGES = {**settings.STORAGES, "default": conf}
    else:
        (tmp_path / "not-a-folder").write_bytes(b"")
        settings.MEDIA_ROOT = tmp_path / "not-a-folder" / "media"
