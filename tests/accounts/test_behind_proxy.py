"""Throttles behind a real reverse proxy: `sailau serve` with SAILAU_TRUSTED_PROXIES naming a
proxy started here (a small HTTP proxy that appends the client's address to X-Forwarded-For, as
nginx's `$proxy_add_x_forwarded_for` does), and two clients connecting to it from two loopback
addresses, 127.0.0.2 and 127.0.0.3. Neither can lock the other out of an account, a spray over
many accounts from one of them is stopped, and the public lookup's limit is each client's own.

Runs against the database of the test run: on PostgreSQL the server uses the test database
itself (a transactional test), on SQLite a fresh file in a data directory of its own."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALICE, BOB = "127.0.0.2", "127.0.0.3"
SPRAY_LIMIT = 15
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """A reverse proxy on 127.0.0.1: each request is sent on to the server with the address it
    came from appended to X-Forwarded-For, and the answer returned as it is (no redirects
    followed)."""

    def __init__(self, upstream_port: int):
        upstream = upstream_port

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                prior = self.headers.get("X-Forwarded-For")
                headers["X-Forwarded-For"] = (f"{prior}, " if prior else "") + self.client_address[0]
                conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
                conn.request(self.command, self.path, body=body or None, headers=headers)
                r = conn.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Visitor:
    """A browser at one loopback address, talking to the proxy: keeps its cookies."""

    def __init__(self, address: str, port: int):
        self.address, self.port, self.cookies = address, port, {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                          source_address=(self.address, 0))
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read().decode(errors="replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        return r.status, data

    def login(self, username, password, forged=None) -> int:
        """The sign-in form as a browser posts it; `forged`: an X-Forwarded-For of its own."""
        self.cookies.clear()
        status, page = self.request("GET", "/en/entry/login/")
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if forged:
            headers["X-Forwarded-For"] = forged
        status, _ = self.request("POST", "/en/entry/login/", urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}), headers)
        return status

    def lookup(self, election) -> int:
        return self.request("POST", "/api/voters/lookup", json.dumps(
            {"election": election, "iin": "000000000000"}),
            {"Content-Type": "application/json"})[0]


@pytest.fixture
def site(env):
    env = {**env, "SAILAU_TRUSTED_PROXIES": "127.0.0.1", "SAILAU_LOGIN_FAILURES": "10",
           "SAILAU_LOGIN_FAILURES_PER_ADDRESS": str(SPRAY_LIMIT)}
    made = subprocess.run([sys.executable, str(Path(__file__).with_name("proxy_world.py")), "40"],
                          check=False, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    election = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="sailau-serve-", suffix=".log")[1])
    proc = subprocess.Popen([sys.executable, "-m", "sailau", "serve", "--port", str(port),
                             "--workers", "1"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    proxy = None
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        proxy = Proxy(port)
        yield {"election": election, "alice": Visitor(ALICE, proxy.port),
               "bob": Visitor(BOB, proxy.port)}
    finally:
        if proxy:
            proxy.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        log.unlink(missing_ok=True)


def test_neither_client_can_lock_the_other_out(site):
    alice, bob = site["alice"], site["bob"]
    # Alice guesses at the owner's password, writing a different X-Forwarded-For each time as
    # if she came from elsewhere: the proxy's hop names her all the same.
    # (The tenth wrong password is itself answered with the lockout.)
    for i in range(10):
        assert alice.login("owner", f"wrong-{i}", forged=f"198.51.100.{i}") in (200, 429)
    assert alice.login("owner", "right-Secret-1") == 429
    assert alice.login("owner", "right-Secret-1", forged="203.0.113.1") == 429
    # The owner, at another address, signs in.
    assert bob.login("owner", "right-Secret-1") == 302
    # And the other way round.
    for i in range(10):
        assert bob.login("other", f"wrong-{i}") in (200, 429)
    assert bob.login("other", "right-Secret-1") == 429
    assert alice.login("other", "right-Secret-1") == 302


def test_a_spray_over_many_accounts_is_stopped(site):
    alice, bob = site["alice"], site["bob"]
    answers = [alice.login(f"clerk{i}", "Qwerty123") for i in range(40)]
    assert answers[:SPRAY_LIMIT] == [200] * SPRAY_LIMIT, answers
    assert set(answers[SPRAY_LIMIT:]) == {429}, answers
    # Every account the spray touched is still open to its owner elsewhere.
    assert bob.login("clerk39", "right-Secret-1") == 302


def test_the_public_lookups_limit_is_each_clients_own(site):
    alice, bob, election = site["alice"], site["bob"], site["election"]
    assert [alice.lookup(election) for _ in range(10)] == [200] * 10
    assert alice.lookup(election) == 429
    assert bob.lookup(election) == 200
