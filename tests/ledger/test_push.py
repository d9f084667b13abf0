"""The log pushes each checkpoint to the witnesses that gave a URL (C2SP tlog-witness): both
cosign the same checkpoint as it is signed, `log/checkpoint` carries their lines; a witness
that keeps another size is asked again from it; one that does not answer is left behind (and
asked again after a pause) while the other goes on."""

import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from sailau.ledger import cosign, integrator, outbox, push, tl
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Cosignature, LogState, Witness
from sailau.witness import serve
from tests.ledger.logread import checkpoint as read_checkpoint

E = "kz.test.2026"


class Running:
    def __init__(self, witness, state, log_key):
        self.server = serve.Server(witness, state, log_key, say=lambda *a, **k: None)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), serve.handler_for(self.server))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _grow(n, start):
    outbox.append_many([(E, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                        for i in range(start, start + n)])
    integrator.integrate(E)


@pytest.fixture
def log(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    push._peers.clear()
    w1, w2 = tl.Witness.generate("observers.kz"), tl.Witness.generate("newsroom.kz")
    cosign.add_witness(E, w1.verifier_key())
    cosign.add_witness(E, w2.verifier_key())
    _grow(5, 0)
    key = LogState.objects.get(pk=E).verifier_key
    running = [Running(w1, tmp_path / "w1", key), Running(w2, tmp_path / "w2", key)]
    for w, r in zip(("observers.kz", "newsroom.kz"), running, strict=True):
        cosign.set_witness_url(E, w, r.url)
    yield running
    for r in running:
        r.stop()


def _lines():
    _, size, _, sigs = read_checkpoint(LogFiles(E).dir)
    return size, sorted(s.split(" ")[1] for s in sigs[1:])


def test_both_witnesses_cosign_each_checkpoint_as_it_is_signed(log):
    said = []
    assert push.push(E, say=lambda m, **k: said.append(m)) == {"observers.kz": "cosigned", "newsroom.kz": "cosigned"}
    size = LogState.objects.get(pk=E).checkpoint_size
    assert _lines() == (size, ["newsroom.kz", "observers.kz"])
    assert (LogFiles(E).dir / "checkpoint.witnessed").exists()
    _grow(30, 5)  # the log grows: each witness is given the proof from its last size
    assert set(push.push(E).values()) == {"cosigned"}
    size2 = LogState.objects.get(pk=E).checkpoint_size
    assert size2 > size and _lines() == (size2, ["newsroom.kz", "observers.kz"])
    assert push.push(E) == {}  # nothing new: nobody asked
    assert said == []


def test_the_checkpoint_carries_the_lines_before_their_rows_are_stored(log):
    # The lane hands the rows to a thread of their own (on SQLite they wait for the write
    # lock); the published checkpoint does not wait for them.
    waiting = []
    assert set(push.push(E, later=waiting.append).values()) == {"cosigned"}
    size = LogState.objects.get(pk=E).checkpoint_size
    assert _lines() == (size, ["newsroom.kz", "observers.kz"])
    assert (LogFiles(E).dir / "checkpoint.witnessed").exists()
    assert not Cosignature.objects.filter(size=size).exists()
    for store in waiting:
        store()
    assert Cosignature.objects.filter(size=size).count() == 2


def test_a_checkpoints_rows_are_stored_in_one_statement_and_replace_their_own(log):
    """The pages learn of a cosignature from its row: the rows of a checkpoint are one
    statement (each round trip waits for a core on a loaded night), and a witness's second
    line for the same size replaces its first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    waiting = []
    push.push(E, later=waiting.append)
    size = LogState.objects.get(pk=E).checkpoint_size
    with CaptureQueriesContext(connection) as c:
        for store in waiting:
            store()
    assert [q["sql"].split()[0] for q in c.captured_queries
            if "ledger_cosignature" in q["sql"]] == ["INSERT"]
    first = dict(Cosignature.objects.filter(size=size).values_list("witness__name",
                                                                   "received_at"))
    for store in waiting:  # the same lines again: the rows replaced, none added
        store()
    again = dict(Cosignature.objects.filter(size=size).values_list("witness__name",
                                                                   "received_at"))
    assert set(again) == set(first) == {"observers.kz", "newsroom.kz"}


@pytest.mark.django_db(transaction=True)
def test_the_row_writer_says_a_failure_and_goes_on():
    said, stored = [], []
    rows = push.RowWriter(say=lambda m, **k: said.append(m))

    def fails():
        raise RuntimeError("database is locked")

    rows(fails)
    rows(lambda: stored.append(1))
    rows.close()
    assert stored == [1] and len(said) == 1 and "not stored" in said[0]


@pytest.mark.django_db(transaction=True)
def test_the_row_writer_writes_what_waits_in_one_transaction():
    """Each store in a transaction (on SQLite its BEGIN takes the write lock in the lane's turn;
    a bare statement waited behind every other writer), and those that waited meanwhile in
    one: a night's checkpoints never queue up one lock wait each."""
    from django.db import connection, transaction

    started, release, seen = threading.Event(), threading.Event(), []

    def store(i):
        def run():
            if i == 0:
                started.set()
                release.wait(10)
            assert connection.in_atomic_block
            seen.append(f"stored {i}")
            transaction.on_commit(lambda: seen.append(f"committed {i}"))
        return run

    rows = push.RowWriter(say=lambda m, **k: None)
    rows(store(0))
    assert started.wait(10)
    for i in (1, 2, 3):  # handed over while the first is being written
        rows(store(i))
    release.set()
    rows.close()
    assert seen == ["stored 0", "committed 0",  # the three waiting: one transaction
                    "stored 1", "stored 2", "stored 3", "committed 1", "committed 2", "committed 3"]


def test_a_witness_given_a_url_while_the_log_is_quiet_is_asked_at_once(log, tmp_path):
    push.push(E)
    third = tl.Witness.generate("third.kz")
    cosign.add_witness(E, third.verifier_key())
    integrator.integrate(E)  # its structure-change leaf
    push.push(E)
    key = LogState.objects.get(pk=E).verifier_key
    running = Running(third, tmp_path / "w3", key)
    try:
        cosign.set_witness_url(E, "third.kz", running.url)
        assert push.push(E) == {"third.kz": "cosigned"}  # no new checkpoint needed
    finally:
        running.stop()


def test_a_stale_size_is_corrected_by_the_witness(log):
    push.push(E)
    _grow(3, 5)
    for peer in push._peers.values():
        peer.size = 2  # another process's idea, or a state from before
    assert set(push.push(E).values()) == {"cosigned"}
    assert Cosignature.objects.filter(size=LogState.objects.get(pk=E).checkpoint_size).count() == 2


def test_a_witness_offline_is_left_behind_and_asked_again(log, tmp_path):
    log[1].stop()
    said = []
    out = push.push(E, say=lambda m, **k: said.append(m))
    assert out["observers.kz"] == "cosigned" and "no answer" in out["newsroom.kz"]
    assert len(said) == 1 and "newsroom.kz" in said[0]
    assert push.push(E, say=lambda m, **k: said.append(m)) == {"newsroom.kz": "waiting"}  # in its pause
    peer = push._peers[(E, "newsroom.kz")]
    assert 0 < peer.delay <= push.BACKOFF_MAX
    # It comes back (at another address); asked after its pause, it catches up.
    key = LogState.objects.get(pk=E).verifier_key
    back = Running(log[1].server.witness, tmp_path / "w2", key)
    try:
        cosign.set_witness_url(E, "newsroom.kz", back.url)
        assert push.push(E, say=lambda m, **k: said.append(m)) == {"newsroom.kz": "cosigned"}
    finally:
        back.stop()


def test_a_connection_the_witness_closed_while_the_log_was_quiet_is_opened_again_at_once(
        log, tmp_path, monkeypatch):
    """A witness closes a connection silent for `IDLE_SECONDS`: the next checkpoint after a
    quiet spell is asked on a new connection at once, not said as a witness not answering and
    left for a pause (which every checkpoint of a quiet hour would be)."""
    monkeypatch.setattr(serve, "IDLE_SECONDS", 0.2)
    key = LogState.objects.get(pk=E).verifier_key
    for i, (name, r) in enumerate(zip(("observers.kz", "newsroom.kz"), log, strict=True)):
        r.stop()
        log[i] = Running(r.server.witness, tmp_path / f"w{i + 1}", key)
        cosign.set_witness_url(E, name, log[i].url)
    said = []
    assert set(push.push(E, say=lambda m, **k: said.append(m)).values()) == {"cosigned"}
    kept = {k: p.conn for k, p in push._peers.items()}
    assert all(kept.values())  # the connections are kept between checkpoints
    time.sleep(0.6)  # the witnesses close them
    _grow(2, 5)
    assert push.push(E, say=lambda m, **k: said.append(m)) == {
        "observers.kz": "cosigned", "newsroom.kz": "cosigned"}
    assert said == []
    assert all(p.delay == 0 for p in push._peers.values())
    assert _lines()[0] == LogState.objects.get(pk=E).checkpoint_size


def test_a_witness_that_refuses_is_said_once(log, tmp_path):
    # Its state names a larger size than this log ever signed (a log begun again).
    import json
    state = tmp_path / "w1" / "state.json"
    push.push(E)
    _grow(2, 5)
    kept = json.loads(state.read_text())
    kept["size"] = 999
    state.write_text(json.dumps(kept))
    said = []
    out = push.push(E, say=lambda m, **k: said.append(m))
    assert "past this log's latest checkpoint" in out["observers.kz"]
    assert out["newsroom.kz"] == "cosigned" and len(said) == 1


def test_bad_urls_are_refused(log):
    from sailau.errors import BadInput, NotFound
    with pytest.raises(BadInput):
        cosign.set_witness_url(E, "observers.kz", "ftp://x")
    with pytest.raises(NotFound):
        cosign.set_witness_url(E, "nobody.kz", "http://127.0.0.1:1")
    cosign.set_witness_url(E, "observers.kz", "")
    assert Witness.objects.get(name="observers.kz").url == ""
