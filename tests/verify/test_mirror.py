"""`sailau mirror`: a copy `sailau verify` accepts, kept incrementally (only new tiles and
bundles), refusing a source that rewrote history without touching the copy."""

import shutil
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

from sailau.cli import main
from sailau.tlog import tiles
from tests.logfixture import Published


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@pytest.fixture
def served(tmp_path):
    pub = Published(tmp_path / "site" / "snapshots" / "e1")
    pub.results(4)
    pub.publish()
    httpd = HTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield pub, f"http://127.0.0.1:{httpd.server_port}/snapshots/e1/"
    httpd.shutdown()


def test_mirror_is_incremental_and_verifiable(served, tmp_path, capsys):
    pub, url = served
    copy = tmp_path / "copy"
    assert main(["mirror", url, str(copy)]) == 0
    assert main(["verify", str(copy), "--log-key", pub.signer.verifier_key()]) == 0
    assert main(["verify", url, "--state", str(tmp_path / "r")]) == 0
    first, size = capsys.readouterr().out, pub.tree.size
    assert f"size {size} (was 0)" in first
    before = {p: p.stat().st_mtime_ns for p in (copy / "log" / "tile").rglob("*") if p.is_file()}
    # The log grows past a full tile: only the new tiles and bundles are fetched and written.
    for i in range(300):
        pub.protocol(f"s{i % 8 + 1}", 100 + i, 50, version=2 + i // 8)
    pub.publish()
    assert main(["mirror", url, str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"size {pub.tree.size} (was {size})" in out
    full = copy / "log" / tiles.tile_path(0, 0)
    assert full.exists()
    unchanged = [p for p, t in before.items() if p.exists() and p.stat().st_mtime_ns == t]
    assert unchanged  # the old partial tiles are left, not fetched again
    # Past 256 leaves: tile 0/000 (full), 0/001.p/N, 1/000.p/1 and two bundles.
    assert "(5 new tiles and entry bundles)" in out
    assert main(["verify", str(copy), "--state", str(tmp_path / "r")]) == 0
    assert main(["mirror", url, str(copy)]) == 0  # nothing new: only the checkpoint again


def test_mirror_refuses_a_rewritten_history(served, tmp_path, capsys):
    pub, url = served
    copy = tmp_path / "copy"
    assert main(["mirror", url, str(copy)]) == 0
    kept = (copy / "log" / "checkpoint").read_bytes()
    pub.rewrite(pub.current[("s1", "c1")][0], choices={"a": 1, "b": 1})
    pub.results(2, start=4)
    pub.publish()
    assert main(["mirror", url, str(copy)]) == 3
    assert "does not extend" in capsys.readouterr().out
    assert (copy / "log" / "checkpoint").read_bytes() == kept
    assert main(["verify", str(copy)]) == 0


def test_mirror_of_nothing_is_named(tmp_path, capsys):
    assert main(["mirror", str(tmp_path), str(tmp_path / "copy")]) == 2
    assert "no log here" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "copy", ignore_errors=True)


def test_objects_stored_gzipd_verify_from_a_server_that_does_not_say_so(served, tmp_path,
                                                                       capsys):
    """A copy of the published folder on a plain static server: the text objects are gzip'd
    and sent without Content-Encoding. `sailau verify` opens them, `sailau mirror` keeps them
    opened; a gzip that does not open is named as a file not matching its hash, never a
    traceback."""
    from sailau.tlog import gzipped

    pub, url = served
    objects = pub.folder / "objects"
    for p in objects.iterdir():
        p.write_bytes(gzipped.pack_object(p.read_bytes(), p.suffix))
    assert any(gzipped.is_gzipped(p.read_bytes()) for p in objects.iterdir())
    assert main(["verify", url, "--log-key", pub.signer.verifier_key()]) == 0
    copy = tmp_path / "copy"
    assert main(["mirror", url, str(copy)]) == 0
    assert not any(gzipped.is_gzipped(p.read_bytes()) for p in (copy / "objects").iterdir())
    assert main(["verify", str(copy), "--log-key", pub.signer.verifier_key()]) == 0
    capsys.readouterr()
    station = max((p for p in objects.iterdir() if gzipped.is_gzipped(p.read_bytes())),
                  key=lambda p: p.stat().st_size)
    station.write_bytes(station.read_bytes()[:-12])  # cut short: its trailer gone
    assert main(["verify", url, "--log-key", pub.signer.verifier_key()]) == 1
    out = capsys.readouterr()
    assert "SHA-256 is" in out.out or "does not have the SHA-256" in out.out or \
        "shard" in out.out, out.out
    assert "Traceback" not in out.err
