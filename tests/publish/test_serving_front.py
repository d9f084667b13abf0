"""The WSGI front that answers /snapshots/ before Django: the file from the data directory, or
on the S3 pass (scripts/test) a redirect to the bucket, followed here as a reader would."""

import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from sailau.publish.storage.serving import SnapshotFront
from tests.stored import S3


def _call(front, path, **env):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(front({"PATH_INFO": path, "REQUEST_METHOD": "GET", **env}, start_response))
    return seen["status"], seen["headers"], body


def _get(front, path, headers=None):
    """(status code, headers, body) a reader ends with: the front's answer, or on S3 the
    bucket's, where the front's redirect sends it."""
    headers = headers or {}
    status, got, body = _call(front, path, **{
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    if S3 and status.startswith("302"):
        assert got["Cache-Control"] == "no-store"  # a pre-signed address expires
        there = requests.get(got["Location"], headers=headers, timeout=30)
        return there.status_code, there.headers, there.content
    return int(status.split()[0]), got, body


def test_front_serves_snapshot_files_and_passes_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    digest = "ab" * 32
    storages["snapshots"].save(f"e/objects/{digest}.json", ContentFile(b'{"a": 1}'))
    front = SnapshotFront(lambda environ, start: start("200 OK", []) or [b"django"])
    status, headers, body = _get(front, f"/snapshots/e/objects/{digest}.json")
    assert status == 200 and body == b'{"a": 1}'
    assert "immutable" in headers["Cache-Control"]
    if not S3:  # a bucket names its objects' versions by its own hash
        assert headers["ETag"] == f'"{digest}"'
    assert _get(front, f"/snapshots/e/objects/{digest}.json",
                {"If-None-Match": headers["ETag"]})[0] == 304
    assert _get(front, "/snapshots/../secret")[0] == 404
    assert _get(front, "/snapshots/e/objects/missing.json")[0] == 404
    assert _call(front, "/kk/")[2] == b"django"


def test_an_object_stored_gzipd_is_sent_so_to_whoever_accepts_gzip(tmp_path, monkeypatch):
    """Text objects are stored gzip'd (sailau.tlog.gzipped): a reader that accepts gzip gets
    the stored bytes with Content-Encoding (a bucket always sends them so), one that does not
    gets the file opened; the bytes its name's hash is of either way."""
    import hashlib

    from sailau.tlog import gzipped

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    body = b'{"votes": [' + b", ".join(b"%d" % i for i in range(2000)) + b"]}"
    digest = hashlib.sha256(body).hexdigest()
    stored = gzipped.pack_object(body, ".json")
    storages["snapshots"].save(f"e/objects/{digest}.json", ContentFile(stored))
    front = SnapshotFront(lambda environ, start: start("200 OK", []) or [b"django"])
    status, headers, got = _get(front, f"/snapshots/e/objects/{digest}.json",
                                {"Accept-Encoding": "gzip"})
    # (requests opens what the bucket sends: there the header is what shows it)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzipped.open_object(got) == body
    if not S3:
        assert got == stored and headers["Content-Length"] == str(len(stored))
        assert headers["ETag"] == f'"{digest}-gzip"'
        status, headers, got = _call(front, f"/snapshots/e/objects/{digest}.json")
        assert status.startswith("200") and got == body and "Content-Encoding" not in headers
        assert headers["Content-Length"] == str(len(body)) and headers["ETag"] == f'"{digest}"'


def test_a_file_pruned_after_it_is_answered_is_still_sent_whole(tmp_path, monkeypatch):
    """Retention removes superseded objects while readers fetch them: the answer holds the
    file it was decided on, so a removal between the decision and the read is no 500."""
    from sailau.publish.storage import serving

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    path = tmp_path / "snapshots" / "e" / "objects" / f"{'cd' * 32}.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"b": 2}')
    monkeypatch.setattr(serving.mirror, "url", lambda relative: None)  # the directory itself
    status, _headers, sent = serving.answer("GET", f"e/objects/{path.name}", None, "gzip")
    path.unlink()
    with sent:
        assert (status, sent.read()) == (200, b'{"b": 2}')
    assert serving.answer("GET", f"e/objects/{path.name}", None, "gzip")[0] == 404


def test_a_small_file_is_answered_at_once_a_large_one_left_to_stream(tmp_path, monkeypatch):
    """`at_once` (what `sailau serve` answers on its event loop, with no thread) gives the
    front's own answer for a small file, and leaves a file past AT_ONCE_MAX, and what is not
    a snapshot, to the WSGI call, which streams it."""
    from sailau.publish.storage import serving

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    small, large = "ab" * 32, "cd" * 32
    storages["snapshots"].save(f"e/objects/{small}.json", ContentFile(b'{"a": 1}'))
    storages["snapshots"].save(f"e/objects/{large}.json",
                               ContentFile(b"[" + b" " * serving.AT_ONCE_MAX + b"]"))
    front = SnapshotFront(lambda environ, start: start("200 OK", []) or [b"django"])

    def at_once(path, **env):
        return front.at_once({"PATH_INFO": path, "REQUEST_METHOD": "GET", **env})

    status, headers, body = at_once(f"/snapshots/e/objects/{small}.json")
    wsgi_status, wsgi_headers, wsgi_body = _call(front, f"/snapshots/e/objects/{small}.json")
    assert (f"{status} ", dict(headers), body) == (wsgi_status[:4], wsgi_headers, wsgi_body)
    assert at_once("/kk/") is None
    if not S3:  # on S3 every file is a redirect, answered at once (a missing one by the bucket)
        assert at_once("/snapshots/e/objects/missing.json")[0] == 404
        assert status == 200 and body == b'{"a": 1}'
        assert at_once(f"/snapshots/e/objects/{large}.json") is None
