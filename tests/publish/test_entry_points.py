"""The viewer's entry points beside manifest.json are written when they change, not with every
commit: the viewer changes with a new build only, and its five files written again with each
commit were ~32 KB a round (31 MB a national night)."""

import hashlib

from sailau.publish.files import sitebake


def _folder(tmp_path, body: bytes) -> dict:
    sha = hashlib.sha256(body).hexdigest()
    (tmp_path / "objects").mkdir(exist_ok=True)
    (tmp_path / "objects" / f"{sha}.js").write_bytes(body)
    return {"files": {"site/viewer.js": {"sha256": sha, "size": len(body)}}}


def test_an_entry_point_is_written_again_only_when_its_bytes_or_its_file_change(
        tmp_path, monkeypatch):
    written = []
    real = sitebake.write_atomic

    def write_atomic(path, body):
        written.append(path.name)
        real(path, body)

    monkeypatch.setattr(sitebake, "write_atomic", write_atomic)
    manifest = _folder(tmp_path, b"// one")
    sitebake.write_entry_points(tmp_path, manifest)
    sitebake.write_entry_points(tmp_path, manifest)  # the next commit, the same viewer
    assert written == ["viewer.js"]
    newer = _folder(tmp_path, b"// two")  # a new build's viewer
    sitebake.write_entry_points(tmp_path, newer)
    assert written == ["viewer.js"] * 2 and (tmp_path / "viewer.js").read_bytes() == b"// two"
    (tmp_path / "viewer.js").unlink()  # gone (or replaced by another process): written again
    sitebake.write_entry_points(tmp_path, newer)
    assert written == ["viewer.js"] * 3 and (tmp_path / "viewer.js").read_bytes() == b"// two"
