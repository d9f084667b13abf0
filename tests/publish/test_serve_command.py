"""`sailau serve` as an operator starts it: a real server process on a free port, its pages,
the snapshot files answered before Django with their caching headers, and a clean stop."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, method="GET", headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_serve_answers_pages_and_snapshot_files_then_stops(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path)  # a fresh installation: migrated on start
    snap = tmp_path / "snapshots" / "kz.test" / "objects"
    snap.mkdir(parents=True)
    (snap / ("ab" * 32 + ".json")).write_text('{"ok": true}')
    proc = subprocess.Popen([sys.executable, "-m", "sailau", "serve", "--port", str(port),
                             "--workers", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.time() < deadline, "the server did not start"
                time.sleep(0.3)
        status, _, body = _get(f"{base}/en/")
        assert status == 200 and b"<html" in body
        url = f"{base}/snapshots/kz.test/objects/{'ab' * 32}.json"
        status, headers, body = _get(url)
        assert (status, body) == (200, b'{"ok": true}')
        assert headers["ETag"] == f'"{"ab" * 32}"' and "immutable" in headers["Cache-Control"]
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert _get(url, headers={"If-None-Match": headers["ETag"]})[0] == 304
        assert _get(f"{base}/snapshots/kz.test/objects/../../secret.key")[0] == 404
        assert _get(f"{base}/snapshots/kz.test/nothing.json")[0] == 404
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
