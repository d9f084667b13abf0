"""`sailau serve` exposed directly (as the demo is) keeps answering while clients send request
bodies a byte a second: granian has no timeout for a body and a WSGI request holds its thread
while the body arrives, so the server's limits (`sailau.cli.serve.server`) decide how many such
clients it takes to stop it. With 4 threads a worker, six on two workers did."""

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLOW = 12  # three times the old pool of one worker


def app(environ, start_response):
    """Reads its body as Django does (all of it, before answering)."""
    n = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(n)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_slow_request_bodies_do_not_stop_the_server():
    port = _free_port()
    code = ("import sys; from sailau.cli.serve import server; "
            f"server('tests.publish.test_slow_bodies:app', '127.0.0.1', {port}, 1).serve()")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    socks, stop = [], threading.Event()
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "no server"
                time.sleep(0.1)
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
        time.sleep(1)  # every slow body is in a thread by now
        t = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200 and r.read() == b"ok"
        assert time.monotonic() - t < 5
    finally:
        stop.set()
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(timeout=15)
