"""`sailau witness`: cosigns a log that only grows, refuses a rollback, a second root for a
size it cosigned and a rewritten history (exit 3, both notes kept), survives a server that is
down, and never needs Django."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from sailau.cli import main
from sailau.tlog import cosignature, tiles
from tests.logfixture import Published


@pytest.fixture
def witness_key(tmp_path, capsys):
    path = tmp_path / "w1.key"
    assert main(["witness", "keygen", "observers.example/w1", "--out", str(path)]) == 0
    vkey = capsys.readouterr().out.strip()
    return path, vkey


def _run(pub, key, state, *extra):
    return main(["witness", "run", "--log", str(pub.folder), "--key", str(key),
                 "--state", str(state), "--once", *extra])


def _cosignature(state: Path) -> str:
    return json.loads((state / "state.json").read_text())["cosignature"]


def test_cosigns_a_growing_log_and_refuses_a_fork(tmp_path, witness_key, capsys):
    key, vkey = witness_key
    pub = Published(tmp_path / "pub")
    pub.results(4)
    pub.publish()
    state = tmp_path / "state"
    assert _run(pub, key, state, "--log-key", pub.signer.verifier_key()) == 0
    body = json.loads((state / "state.json").read_text())["body"]
    cosignature.verify_cosignature(body, _cosignature(state), vkey)
    assert (state / "cosignature").read_text().strip() == _cosignature(state)

    pub.results(4, start=4)  # the log grows: consistent, cosigned again
    pub.publish()
    assert _run(pub, key, state) == 0
    assert json.loads((state / "state.json").read_text())["size"] == pub.tree.size
    cosigned = pub.tree.size

    # A fork: the same election's log written again with another result at one station.
    fork = Published(tmp_path / "fork")
    fork.signer, fork.structure = pub.signer, pub.structure
    fork.keys = pub.keys
    fork.tree.__init__()
    fork.leaves = []
    for leaf in pub.leaves[:-1]:
        fork.leaves.append(leaf)
        fork.tree.append(__import__("hashlib").sha256(b"\0" + leaf).digest())
    fork.protocol("s8", 999, 1)
    fork.protocol("s1", 100, 50, version=2)
    fork.publish()
    capsys.readouterr()
    assert main(["witness", "run", "--log", str(fork.folder), "--key", str(key),
                 "--state", str(state), "--once"]) == 3
    out = capsys.readouterr().out
    assert "REFUSED" in out and "does not extend" in out
    (evidence,) = (state / "evidence").iterdir()
    assert (evidence / "refused-checkpoint").read_bytes() == (fork.folder / "log/checkpoint").read_bytes()
    assert (evidence / "accepted-checkpoint").read_bytes().startswith(f"sailau.example/e1\n{cosigned}\n".encode())
    # The state still holds the honest checkpoint: the witness goes on with the honest log.
    assert json.loads((state / "state.json").read_text())["size"] == pub.tree.size
    assert _run(pub, key, state) == 0


def test_refuses_a_second_root_and_a_rollback(tmp_path, witness_key, capsys):
    key, _ = witness_key
    pub = Published(tmp_path / "pub")
    pub.results(4)
    pub.publish()
    state = tmp_path / "state"
    assert _run(pub, key, state) == 0
    assert "first sight" in capsys.readouterr().err
    # Same size, another root (a split view): refused.
    other = Published(tmp_path / "other", seed=1)
    other.signer = pub.signer
    other.results(4)
    other.publish()
    assert other.tree.size == pub.tree.size
    assert _run(other, key, state) == 3
    assert "two roots for size" in capsys.readouterr().out
    # A smaller tree: rollback.
    small = Published(tmp_path / "small")
    small.signer = pub.signer
    small.results(2)
    small.publish()
    assert _run(small, key, state) == 3
    assert "rollback" in capsys.readouterr().out
    assert len(list((state / "evidence").iterdir())) == 2


def test_refuses_a_checkpoint_not_signed_by_the_pinned_key(tmp_path, witness_key, capsys):
    key, _ = witness_key
    pub = Published(tmp_path / "pub")
    pub.publish()
    state = tmp_path / "state"
    assert _run(pub, key, state) == 0
    impostor = Published(tmp_path / "impostor")  # a fresh log with its own key
    impostor.results(8)
    impostor.publish()
    assert _run(impostor, key, state) == 2
    assert "not signed by the log key" in capsys.readouterr().err
    assert json.loads((state / "state.json").read_text())["size"] == pub.tree.size


def test_malformed_checkpoint_and_tiles_are_named(tmp_path, witness_key, capsys):
    key, _ = witness_key
    pub = Published(tmp_path / "pub")
    pub.publish()
    state = tmp_path / "state"
    assert _run(pub, key, state) == 0
    (pub.folder / "log/checkpoint").write_bytes(b"\xff garbage")
    assert _run(pub, key, state) == 2
    assert "not a signed note" in capsys.readouterr().err
    pub.results(8)
    pub.publish()
    tile = pub.folder / "log" / tiles.tile_path(0, 0, pub.tree.size)
    tile.write_bytes(tile.read_bytes()[:-5])
    assert _run(pub, key, state) == 2
    assert "tile" in capsys.readouterr().err


class _Server(BaseHTTPRequestHandler):
    received: list = []
    fail = 0

    def do_GET(self):
        path = self.server.folder / self.path.removeprefix("/snapshots/e1/")
        if not path.is_file():
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()
        self.wfile.write(path.read_bytes())

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if type(self).fail:
            type(self).fail -= 1
            self.send_error(503)
            return
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *a):
        pass


def test_posts_the_cosignature_to_the_election_and_retries(tmp_path, witness_key, capsys):
    key, vkey = witness_key
    pub = Published(tmp_path / "pub")
    pub.results(3)
    pub.publish()
    httpd = HTTPServer(("127.0.0.1", 0), _Server)
    httpd.folder = pub.folder
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_port}/snapshots/e1/"
    state = tmp_path / "state"
    try:
        _Server.fail = 1  # the server refuses once: not delivered, kept, sent next round
        args = ["witness", "run", "--log", url, "--key", str(key), "--state", str(state),
                "--once"]
        assert main(args) == 1
        assert "not delivered" in capsys.readouterr().err
        assert main(args) == 0
        ((path, body),) = _Server.received
        assert path == "/api/log/e1/cosignature"
        cosignature.verify_cosignature(body["checkpoint"], body["cosignature"], vkey)
        assert main(args) == 0 and len(_Server.received) == 1  # delivered: not sent again
    finally:
        httpd.shutdown()
    # The server down: no traceback, status 2 (nothing to fetch).
    assert main(args) == 2
    assert "no answer" in capsys.readouterr().err


def test_state_is_replaced_whole(tmp_path, witness_key, monkeypatch):
    """A crash while writing the state leaves the previous state whole."""
    from sailau.verify import logstate

    key, _ = witness_key
    pub = Published(tmp_path / "pub")
    pub.publish()
    state = tmp_path / "state"
    assert _run(pub, key, state) == 0
    before = (state / "state.json").read_bytes()
    pub.results(2)
    pub.publish()
    real = logstate.os.replace

    def crash(*a):
        raise KeyboardInterrupt  # as if killed between writing and renaming
    monkeypatch.setattr(logstate.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        from sailau.witness.run import Config, load_witness, witness_once
        witness_once(Config(str(pub.folder), state), load_witness(key))
    monkeypatch.setattr(logstate.os, "replace", real)
    assert (state / "state.json").read_bytes() == before
    assert not list(state.glob(".*.tmp"))
    assert _run(pub, key, state) == 0


def test_the_loop_backs_off_while_the_server_is_down_and_stops_on_a_refusal(monkeypatch):
    from sailau.verify import logsource
    from sailau.witness import run as loop

    answers = [logsource.Offline("down"), loop.UNDELIVERED, loop.UNDELIVERED, loop.OK,
               loop.REFUSED]
    slept = []

    def once(cfg, witness):
        a = answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a
    monkeypatch.setattr(loop, "witness_once", once)
    monkeypatch.setattr(loop.time, "sleep", slept.append)
    assert loop.run(loop.Config("x", Path("y")), None, interval=5, once=False) == 3
    assert slept == [10, 20, 40, 5]
