"""STORAGES from the environment (sailau.filestores): the local disk unless SAILAU_S3_BUCKET."""

import pytest

from sailau.filestores import storages

S3 = {"SAILAU_S3_BUCKET": "sailau", "SAILAU_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
      "SAILAU_S3_ACCESS_KEY": "k", "SAILAU_S3_SECRET_KEY": "s"}


def test_local_disk_by_default():
    conf = storages({})
    assert set(conf) == {"default", "snapshots", "recordings", "staticfiles"}
    assert conf["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert conf["snapshots"]["OPTIONS"] == {"folder": "snapshots", "base_url": "/snapshots/"}
    assert conf["recordings"]["OPTIONS"]["folder"] == "recordings"


def test_local_folders_follow_the_data_directory(monkeypatch, tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages as handler

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.STORAGES = storages({})
    name = handler["snapshots"].save("e1/manifest.json", ContentFile(b"{}"))
    assert (tmp_path / "snapshots" / "e1" / "manifest.json").read_bytes() == b"{}"
    assert name == "e1/manifest.json"
    assert handler["recordings"].path("a.mp4") == str(tmp_path / "recordings" / "a.mp4")


def test_a_bucket_selects_s3_with_one_prefix_per_alias():
    conf = storages({**S3, "SAILAU_S3_PREFIX": "/kz/"})
    for alias, folder in (("default", "media"), ("snapshots", "snapshots"),
                          ("recordings", "recordings")):
        assert conf[alias]["BACKEND"] == ("sailau.filestores.SnapshotBucket"
                                          if alias == "snapshots"
                                          else "storages.backends.s3.S3Storage")
        o = conf[alias]["OPTIONS"]
        assert o["bucket_name"] == "sailau" and o["location"] == f"kz/{folder}"
        assert o["endpoint_url"] == "http://127.0.0.1:9000" and o["addressing_style"] == "path"
        assert o["querystring_auth"] is True
    # Manifests are replaced in place; an upload never overwrites another.
    assert conf["snapshots"]["OPTIONS"]["file_overwrite"] is True
    assert conf["default"]["OPTIONS"]["file_overwrite"] is False


def test_snapshot_objects_in_a_bucket_carry_the_servers_type_and_caching():
    """A CDN in front of the bucket keeps an object a year and revalidates the manifest, as a
    browser does with /snapshots/ on the local disk (sailau.publish.storage.serving)."""
    from django.utils.module_loading import import_string
    from storages.backends.s3 import S3Storage

    conf = storages(S3)["snapshots"]
    bucket = import_string(conf["BACKEND"])(**conf["OPTIONS"])
    assert isinstance(bucket, S3Storage)
    obj = bucket.get_object_parameters(f"snapshots/e/objects/{'ab' * 32}.csv")
    assert obj == {"ContentType": "text/csv; charset=utf-8",
                   "CacheControl": "public, max-age=31536000, immutable"}
    manifest = bucket.get_object_parameters("snapshots/e/manifest.json")
    assert manifest == {"ContentType": "application/json",
                        "CacheControl": "public, max-age=5, must-revalidate"}
    assert bucket.get_object_parameters("snapshots/e/objects/x.parquet")["ContentType"] == \
        "application/vnd.apache.parquet"
    # The log's entry bundles are stored gzip'd: the bucket must say so to whoever fetches them.
    bundle = bucket.get_object_parameters("snapshots/e/log/tile/entries/000.p/7")
    assert bundle["ContentEncoding"] == "gzip" and "ContentEncoding" not in obj
    assert "ContentEncoding" not in bucket.get_object_parameters("snapshots/e/log/tile/0/000")
    # An object is gzip'd or not by its stored bytes: the upload reads their head.
    from django.core.files.base import ContentFile

    from sailau.tlog import gzipped

    name = f"snapshots/e/objects/{'ab' * 32}.json"
    packed = ContentFile(gzipped.gzip_bytes(b'{"a": 1}'))
    assert bucket._get_write_parameters(name, packed)["ContentEncoding"] == "gzip"
    assert packed.read() == gzipped.gzip_bytes(b'{"a": 1}')  # left at its start for the upload
    assert "ContentEncoding" not in bucket._get_write_parameters(name, ContentFile(b'{"a": 1}'))


def test_a_public_url_serves_snapshots_and_recordings_but_never_scans():
    conf = storages({**S3, "SAILAU_S3_PUBLIC_URL": "https://cdn.example.kz/sailau/"})
    for alias in ("snapshots", "recordings"):
        o = conf[alias]["OPTIONS"]
        assert o["custom_domain"] == "cdn.example.kz/sailau"
        assert o["url_protocol"] == "https:" and o["querystring_auth"] is False
    assert "custom_domain" not in conf["default"]["OPTIONS"]


def test_a_public_url_that_is_not_one_is_refused_by_name():
    with pytest.raises(RuntimeError, match="SAILAU_S3_PUBLIC_URL"):
        storages({**S3, "SAILAU_S3_PUBLIC_URL": "cdn.example.kz"})
