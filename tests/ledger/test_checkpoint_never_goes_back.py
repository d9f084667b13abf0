"""`log/checkpoint` never shows a smaller log after a larger one. The integrator (the
publisher's batches and its log lane) and the cosignature endpoint (each web worker) all
rewrite it; one that read the database before another's newer checkpoint and wrote after it
put the smaller size back, and a witness, rightly, refused the log as rolled back and stopped
cosigning (seen on a ten-minute national night)."""

import pytest

from sailau.ledger import integrator, outbox
from sailau.ledger.files import LogFiles
from sailau.ledger.models import LogState

E = "kz.test.2026"


def _role(n: int) -> tuple:
    return (E, "role", f"role/{n}", {"action": "granted", "role": "operator", "scope": "x",
                                     "grant": n})


def _size(note: bytes) -> int:
    return int(note.split(b"\n")[1])


@pytest.fixture
def log(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    outbox.append_many([_role(1), _role(2)])
    integrator.integrate(E)
    return LogFiles(E)


def test_a_writer_with_an_older_view_leaves_the_newer_checkpoint(log):
    older = LogState.objects.get(pk=E)
    outbox.append_many([_role(3)])
    integrator.integrate(E)
    assert _size(log.read("checkpoint")) == 3
    # A writer whose database still shows the older checkpoint (a worker's cosignature of it)
    LogState.objects.filter(pk=E).update(checkpoint_size=older.checkpoint_size,
                                         checkpoint=older.checkpoint)
    integrator.write_checkpoint(E)
    assert _size(log.read("checkpoint")) == 3


def test_the_same_size_is_written_again_with_its_new_cosignatures(log, monkeypatch):
    """(What the lock must not stop: a cosignature of the latest size reaches the file.)"""
    row = LogState.objects.get(pk=E)
    monkeypatch.setattr(integrator, "checkpoint_text",
                        lambda r, cosignatures=None: r.checkpoint + "— w AAAA\n")
    integrator.write_checkpoint(E)
    assert log.read("checkpoint") == (row.checkpoint + "— w AAAA\n").encode()


def test_a_log_begun_again_with_a_new_key_replaces_a_larger_checkpoint(log, monkeypatch):
    """(A rebuilt demo, or a test after another in one folder: a new log, a new key, size 1.)"""
    bigger = log.read("checkpoint").replace(b"\n2\n", b"\n99\n", 1)
    row = LogState.objects.get(pk=E)
    forged = row.checkpoint.rsplit(" ", 1)[0] + " AAAAAAAAAAAA\n"  # another key's signature
    log.put("checkpoint", bigger.split(b"\n\n")[0] + b"\n\n" + forged.split("\n\n")[1].encode())
    integrator.write_checkpoint(E)
    assert log.read("checkpoint") == integrator.checkpoint_text(row).encode()
