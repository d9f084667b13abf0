"""Tests of what goes through Django's storage API. They run on the local disk, and a second time
against an S3-compatible server when SAILAU_S3_BUCKET and SAILAU_S3_ENDPOINT_URL are set
(scripts/test starts moto's server for that pass)."""

import os
import uuid

import pytest

from sailau.filestores import s3_enabled, storages

S3 = s3_enabled()


def _ensure_bucket() -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ.get("SAILAU_S3_ENDPOINT_URL"),
                          aws_access_key_id=os.environ.get("SAILAU_S3_ACCESS_KEY"),
                          aws_secret_access_key=os.environ.get("SAILAU_S3_SECRET_KEY"),
                          region_name=os.environ.get("SAILAU_S3_REGION") or "us-east-1")
    try:
        client.create_bucket(Bucket=os.environ["SAILAU_S3_BUCKET"])
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass


@pytest.fixture
def object_storage(settings, tmp_path, monkeypatch):
    """STORAGES of one test. S3 pass: a fresh key prefix in the bucket. Local pass: the files
    under tmp_path, with snapshots in a folder apart from the data directory (as a static
    server's), so that the copy to it runs as it does to a bucket."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    settings.MEDIA_ROOT = tmp_path / "media"
    if S3:
        _ensure_bucket()
        conf = storages({**os.environ, "SAILAU_S3_PREFIX": f"test-{uuid.uuid4().hex}"})
    else:
        conf = storages({})
        conf["snapshots"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                             "OPTIONS": {"location": tmp_path / "cdn", "allow_overwrite": True,
                                         "base_url": "http://cdn.test/"}}
    settings.STORAGES = conf
    return conf
