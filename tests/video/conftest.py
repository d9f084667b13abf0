import base64
import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

NIGHT = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)  # 20:00 in Almaty: polls closed
TUS = {"Tus-Resumable": "1.0.0"}


def clip(directory: Path, name: str, seconds: int = 2, start: dt.datetime = NIGHT,
         tags: dict | None = None, fmt: str = "mp4") -> Path:
    """A small real video made by ffmpeg, its creation_time the given start."""
    out = directory / f"{name}.{fmt}"
    if out.exists():
        return out
    meta = ["-metadata", f"creation_time={start.isoformat().replace('+00:00', 'Z')}"]
    for k, v in (tags or {}).items():
        meta += ["-metadata", f"{k}={v}"]
    extra = ["-movflags", "+faststart+use_metadata_tags"] if fmt == "mp4" else []
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc=size=64x48:rate=10:duration={seconds}", "-c:v", "mpeg4",
                    *meta, *extra, "-y", str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is missing: apt-get install ffmpeg (scripts/bootstrap says so too)")
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(autouse=True)
def recordings_storage(settings, tmp_path, _files_of_its_own_in_the_bucket):
    """Each test its own recordings directory (Django re-reads the aliases on the change); on
    the S3 pass, its own prefix in the bucket (tests/conftest.py). Returns the storage."""
    if _files_of_its_own_in_the_bucket is None:
        settings.STORAGES = {**settings.STORAGES, "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "recordings"}}}
    from django.core.files.storage import storages

    return storages["recordings"]


@pytest.fixture
def station(db):
    from tests.factories import StationFactory

    return StationFactory()


@pytest.fixture
def operator(station):
    from tests.factories import operator as op

    return op(station)


@pytest.fixture
def camera(station, operator):
    from sailau.video import services

    return services.register_camera(operator, station, "north wall, 3 m", "table",
                                    "precinct commission")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def meta(**kw) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in kw.items())


class Tus:
    """A tus client over Django's test client (the live-server test uses real HTTP)."""

    def __init__(self, client, user=None):
        self.c = client
        if user is not None:
            client.force_login(user)

    def create(self, camera, data: bytes, declared: str | None = None, **more):
        m = meta(camera=camera.pk, sha256=declared or hashlib.sha256(data).hexdigest(), **more)
        return self.c.post("/api/video/uploads/", headers={
            **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": m})

    def patch(self, url, offset: int, chunk: bytes, checksum: str | None = None):
        h = {**TUS, "Upload-Offset": str(offset)}
        if checksum is not None:
            h["Upload-Checksum"] = checksum
        return self.c.generic("PATCH", url, chunk, content_type="application/offset+octet-stream",
                              headers=h)

    def head(self, url):
        return self.c.head(url, headers=TUS)

    def send(self, camera, data: bytes, chunk: int = 50_000, declared: str | None = None, **more):
        r = self.create(camera, data, declared, **more)
        assert r.status_code == 201, r.content
        url, offset = r["Location"], int(r["Upload-Offset"])
        while offset < len(data):
            piece = data[offset:offset + chunk]
            digest = base64.b64encode(hashlib.sha1(piece).digest()).decode()
            r = self.patch(url, offset, piece, f"sha1 {digest}")
            if r.status_code != 204:
                return url, r
            offset = int(r["Upload-Offset"])
        return url, r
