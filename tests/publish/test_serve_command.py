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

import pytest

from tests.stored import S3

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, method="GET", headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.mark.skipif(S3, reason="the process and its front on the local directory: on S3 the "
                    "front's redirect to the bucket is tests/publish/test_serving_front.py, "
                    "the bucket's copy tests/storage/test_snapshots.py")
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
        # A fresh installation migrates before it listens: over a minute on a loaded 2-core
        # machine. The bound is for a server that never starts, not a speed target.
        deadline = time.time() + 240
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
        # The publisher's words are in its log in the data directory, not lost.
        log = tmp_path / "publisher.log"
        while "following every election" not in (log.read_text() if log.exists() else ""):
            assert time.time() < deadline, "the publisher's log says nothing"
            time.sleep(0.3)
        # Ctrl-C: one line at once, and stopped in seconds; granian's warning about the threads
        # (meant: `serve.THREADS`) was not printed at the start.
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        said = proc.stdout.read().decode()
        assert said.count("stopping…") == 1, said
        assert "Configuration allows spawning" not in said and "WARNING" not in said, said
        assert time.monotonic() - t0 < 15, said
    finally:
        if proc.poll() is None:
            proc.kill()


def _children(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc)."""
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            kids = (task / "children").read_text().split() if (task / "children").exists() else []
            for k in map(int, kids):
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_server(tmp_path):
    """`kill -9` of the main process gives it no chance to stop its workers: they must not go
    on serving (a restart would bind beside them)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "sailau", "serve", "--port", str(port),
                             "--workers", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.time() + 240
        while _get_ok(f"http://127.0.0.1:{port}/en/") is False:
            assert proc.poll() is None and time.time() < deadline, "the server did not start"
            time.sleep(0.5)
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.time() + 60
        while any(_alive(w) for w in workers) and time.time() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if _alive(w)], "workers outlived the server"
        assert _get_ok(f"http://127.0.0.1:{port}/en/") is False
    finally:
        for w in workers | _children(proc.pid) | {proc.pid}:
            try:
                os.kill(w, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _get_ok(url) -> bool:
    try:
        return _get(url)[0] == 200
    except (OSError, urllib.error.URLError):
        return False


def test_a_large_publisher_log_is_kept_as_dot_one_and_begun_again(tmp_path, monkeypatch):
    from sailau.cli import serve

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(serve, "PUBLISHER_LOG_MAX", 10)
    (tmp_path / "publisher.log").write_text("small\n")
    with serve.open_publisher_log() as log:  # under the limit: appended to
        log.write("more\n")
    assert (tmp_path / "publisher.log").read_text() == "small\nmore\n"
    with serve.open_publisher_log() as log:  # past it: kept as .1, a new one begun
        log.write("new\n")
    assert (tmp_path / "publisher.log.1").read_text() == "small\nmore\n"
    assert (tmp_path / "publisher.log").read_text() == "new\n"


def test_children_are_stopped_in_seconds_even_one_that_ignores_sigterm():
    """`stop_processes` (the demo's helpers, the publisher): SIGTERM to all at once, SIGKILL to
    one still running after the seconds given."""
    from sailau.background import stop_processes

    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    deaf_code = ("import signal, time\n"
                 "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                 "print(1, flush=True)\n"
                 "time.sleep(60)\n")
    deaf = subprocess.Popen([sys.executable, "-c", deaf_code], stdout=subprocess.PIPE)
    deaf.stdout.readline()  # its handler is set
    t0 = time.monotonic()
    stop_processes([polite, deaf], seconds=1)
    assert time.monotonic() - t0 < 5
    assert (polite.returncode, deaf.returncode) == (-signal.SIGTERM, -signal.SIGKILL)
