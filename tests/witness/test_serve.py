"""`sailau witness serve` (C2SP tlog-witness add-checkpoint): cosigns a checkpoint whose
consistency proof from the kept size verifies, and answers every other request as the protocol
says: 409 with the kept size, 422 a proof that does not verify (the evidence kept), 403 another
key, 404 another origin, 400 malformed. No Django."""

import base64
import json
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from sailau.tlog import checkpoint, cosignature, merkle, note
from sailau.witness import serve

ORIGIN = "sailau.example/e1"


class Log:
    def __init__(self, origin=ORIGIN):
        self.signer = note.Signer.generate(origin)
        self.tree = merkle.MemoryTree()
        self.origin = origin

    def grow(self, n, tag=b""):
        for i in range(n):
            self.tree.append(merkle.leaf_hash(tag + f"leaf {self.tree.size + i}".encode()))

    def note(self, size=None, signer=None):
        size = self.tree.size if size is None else size
        cp = checkpoint.Checkpoint(self.origin, size, merkle.tree_hash(size, self.tree))
        return note.sign_note(cp.body(), [signer or self.signer])

    def request(self, old, size=None, proof=None, signer=None):
        size = self.tree.size if size is None else size
        if proof is None:
            proof = merkle.consistency_proof(old, size, self.tree) if 0 < old < size else []
        lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
        return f"old {old}\n{lines}\n".encode() + self.note(size, signer)


@pytest.fixture
def witness(tmp_path):
    return cosignature.Witness.generate("observers.example/w1")


@pytest.fixture
def log():
    return Log()


@pytest.fixture
def server(tmp_path, witness, log):
    return serve.Server(witness, tmp_path / "state", log.signer.verifier_key(),
                        say=lambda *a, **k: None)


def _status(fn):
    try:
        fn()
    except serve.Answer as a:
        return a.status, a.text, a.content_type
    return 200, "", ""


def test_cosigns_a_growing_log(server, witness, log, tmp_path):
    log.grow(5)
    line = server.add_checkpoint(log.request(0))
    body = checkpoint.Checkpoint(ORIGIN, 5, merkle.tree_hash(5, log.tree)).body()
    assert cosignature.verify_cosignature(body, line.strip(), witness.verifier_key()) > 0
    log.grow(9)
    line = server.add_checkpoint(log.request(5))
    body = checkpoint.Checkpoint(ORIGIN, 14, merkle.tree_hash(14, log.tree)).body()
    cosignature.verify_cosignature(body, line.strip(), witness.verifier_key())
    kept = json.loads((tmp_path / "state" / "state.json").read_text())
    assert kept["size"] == 14 and kept["cosignature"] == line.strip()
    # The same checkpoint again: the same line, nothing new kept.
    assert server.add_checkpoint(log.request(14)) == line


def test_another_old_size_is_answered_with_the_kept_one(server, log):
    log.grow(5)
    server.add_checkpoint(log.request(0))
    log.grow(3)
    assert _status(lambda: server.add_checkpoint(log.request(0))) == \
        (409, "5\n", "text/x.tlog.size")
    assert _status(lambda: server.add_checkpoint(log.request(3))) == \
        (409, "5\n", "text/x.tlog.size")
    assert _status(lambda: server.add_checkpoint(log.request(9, 8)))[0] == 400  # old > size


def test_a_fork_is_refused_and_kept_as_evidence(server, log, tmp_path):
    log.grow(6)
    server.add_checkpoint(log.request(0))
    fork = Log()
    fork.signer = log.signer
    for i in range(6):
        fork.tree.append(log.tree.levels[0][i] if i != 2 else merkle.leaf_hash(b"forged"))
    fork.grow(4)
    # The fork's own proof from 6 does not give the root the witness kept for 6.
    status, text, _ = _status(lambda: server.add_checkpoint(fork.request(6)))
    assert status == 422 and "does not extend" in text
    (evidence,) = (tmp_path / "state" / "evidence").iterdir()
    assert (evidence / "refused-checkpoint").read_bytes() == fork.note()
    # A second root for the size kept.
    second = Log()
    second.signer = log.signer
    second.grow(6, tag=b"x")
    assert _status(lambda: server.add_checkpoint(second.request(6)))[0] == 409
    assert len(list((tmp_path / "state" / "evidence").iterdir())) == 2
    # The honest log goes on.
    log.grow(2)
    assert server.add_checkpoint(log.request(6)).startswith("\u2014 observers.example/w1 ")


def test_wrong_key_origin_or_body(server, log):
    log.grow(3)
    other = note.Signer.generate(ORIGIN)
    assert _status(lambda: server.add_checkpoint(log.request(0, signer=other)))[0] == 403
    assert _status(lambda: server.add_checkpoint(Log("elsewhere.example/e9").request(0)))[0] \
        == 404
    for bad in (b"", b"old 01\n\n" + log.note(), b"old x\n\n", b"new 0\n\n" + log.note(),
                b"old 0\nnot-base64!\n\n" + log.note(), b"old 0\n" + log.note()):
        assert _status(lambda b=bad: server.add_checkpoint(b))[0] == 400, bad
    assert _status(lambda: server.add_checkpoint(log.request(0, proof=[b"\0" * 32])))[0] == 422


def test_over_http(server, log):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), serve.handler_for(server))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/add-checkpoint"
    try:
        log.grow(4)
        with urllib.request.urlopen(urllib.request.Request(url, data=log.request(0))) as r:
            assert r.status == 200 and r.read().decode().startswith("\u2014 ")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(urllib.request.Request(url, data=log.request(0)))
        assert err.value.code == 409 and err.value.read() == b"4\n"
        assert err.value.headers["Content-Type"] == "text/x.tlog.size"
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(urllib.request.Request(url, data=b"x" * 9000))
        assert err.value.code == 413
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_kept_cosignature_answers_the_same_text_only(server, witness, log):
    """Another checkpoint text of the same size and root (an extension line) is cosigned afresh:
    the kept cosignature is over the first text and would not verify over the second."""
    log.grow(3)
    first = server.add_checkpoint(log.request(0)).strip()
    assert server.add_checkpoint(log.request(3)).strip() == first  # the same text: kept
    cp = checkpoint.Checkpoint(log.origin, 3, merkle.tree_hash(3, log.tree), ("extra line",))
    other = b"old 3\n\n" + note.sign_note(cp.body(), [log.signer])
    line = server.add_checkpoint(other).strip()
    assert line != first
    cosignature.verify_cosignature(cp.body(), line, witness.verifier_key())


def test_silent_connections_are_closed_and_bounded(server, monkeypatch):
    """A connection that sends nothing is closed after the idle time; past the connection limit
    a new one is closed at once, and the witness still answers once they are gone."""
    import socket
    import time

    monkeypatch.setattr(serve, "IDLE_SECONDS", 1)
    httpd = serve.BoundedServer(("127.0.0.1", 0), serve.handler_for(server), max_connections=2)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    address = httpd.server_address
    try:
        idle = [socket.create_connection(address, timeout=5) for _ in range(2)]
        time.sleep(0.2)
        extra = socket.create_connection(address, timeout=5)
        assert extra.recv(1) == b""  # closed unanswered: no slot
        start = time.monotonic()
        assert idle[0].recv(1) == b"" and time.monotonic() - start < 5  # timed out by the server
        time.sleep(0.3)
        url = f"http://{address[0]}:{address[1]}/add-checkpoint"
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url, timeout=5)
        assert err.value.code == 405  # answered again
    finally:
        httpd.shutdown()
        httpd.server_close()
