"""The WSGI front that answers /snapshots/ before Django."""

from sailau.publish.serving import SnapshotFront


def _call(front, path, **env):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(front({"PATH_INFO": path, "REQUEST_METHOD": "GET", **env}, start_response))
    return seen["status"], seen["headers"], body


def test_front_serves_snapshot_files_and_passes_the_rest(tmp_path, settings, monkeypatch):
    from sailau.publish import snapshots

    monkeypatch.setattr(snapshots, "root", lambda: tmp_path)
    (tmp_path / "e" / "objects").mkdir(parents=True)
    obj = tmp_path / "e" / "objects" / ("ab" * 32 + ".json")
    obj.write_bytes(b'{"a": 1}')
    front = SnapshotFront(lambda environ, start: start("200 OK", []) or [b"django"])
    status, headers, body = _call(front, f"/snapshots/e/objects/{obj.name}")
    assert status == "200 OK" and body == b'{"a": 1}'
    assert headers["ETag"] == f'"{"ab" * 32}"' and "immutable" in headers["Cache-Control"]
    assert _call(front, f"/snapshots/e/objects/{obj.name}",
                 HTTP_IF_NONE_MATCH=headers["ETag"])[0].startswith("304")
    assert _call(front, "/snapshots/../secret")[0].startswith("404")
    assert _call(front, "/snapshots/e/objects/missing.json")[0].startswith("404")
    assert _call(front, "/kk/")[2] == b"django"
