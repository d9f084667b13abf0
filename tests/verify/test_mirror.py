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
