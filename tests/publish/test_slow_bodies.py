"""The server `sailau serve` runs, exposed directly (as the demo is), keeps answering while 200
clients send request bodies a byte a second. Under granian's WSGI mode each such body held a
thread until its last byte (granian has no timeout for a body), and 70 clients stopped the site;
now bodies are read on the event loop (sailau.bodyfirst) and take no thread."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.stored import S3

ROOT = Path(__file__).resolve().parents[2]
SLOW = 200  # six times the threads of the worker


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(S3, reason="the snapshot file is read from the local directory")
def test_slow_request_bodies_do_not_stop_the_server(tmp_path):
    port = _free_port()
    # The snapshot front answers without a database: the server starts in seconds, with no
    # migration (`sailau serve` migrates, then runs this same server and application).
    snap = tmp_path / "snapshots" / "kz.test"
    snap.mkdir(parents=True)
    (snap / "manifest.json").write_text('{"ok": true}')
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path)
    code = ("from sailau.cli.serve import server; "
            f"server('sailau.wsgi:rsgi_application', '127.0.0.1', {port}, 1).serve()")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socks, stop = [], threading.Event()
    url = f"http://127.0.0.1:{port}/snapshots/kz.test/manifest.json"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    assert r.read() == b'{"ok": true}'
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "no server"
                time.sleep(0.2)
        for _ in range(SLOW):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /api/complaints/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000"
                      b"\r\nContent-Type: application/json\r\n\r\n{")
            socks.append(s)

        def drip():  # a byte a second on each: never idle, never done
            while not stop.wait(1):
                for s in socks:
                    s.sendall(b" ")

        threading.Thread(target=drip, daemon=True).start()
        time.sleep(1.5)  # every slow body is waiting by now
        t = time.monotonic()
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200 and r.read() == b'{"ok": true}'
        assert time.monotonic() - t < 2
    finally:
        stop.set()
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(timeout=15)
