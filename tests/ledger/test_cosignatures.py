"""Cosignatures: POST /api/log/<election>/cosignature checks the line against the election's
witnesses and a checkpoint the log issued, stores it, and adds it to log/checkpoint; every
refusal in the error model."""

import json

import pytest

from sailau.ledger import cosign, integrator, outbox, tl
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Cosignature, LogState
from tests.ledger.logread import checkpoint as read_checkpoint

E = "kz.test.2026"
URL = f"/api/log/{E}/cosignature"


@pytest.fixture
def log(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    w1, w2 = tl.Witness.generate("observers.kz"), tl.Witness.generate("newsroom.kz")
    cosign.add_witness(E, w1.verifier_key())
    cosign.add_witness(E, w2.verifier_key())
    outbox.append_many([(E, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                        for i in range(5)])
    integrator.integrate(E)
    return w1, w2


def body_of(size=None):
    row = LogState.objects.get(pk=E)
    text = row.checkpoint.split("\n\n")[0] + "\n"
    if size is None:
        return text
    tree = integrator.tree(E, row.size, row.root)
    return tl.Checkpoint(row.origin, size, tl.tree_hash(size, tree)).body()


def post(client, checkpoint, line):
    return client.post(URL, json.dumps({"checkpoint": checkpoint, "cosignature": line}),
                       content_type="application/json")


def test_a_witness_cosigns_and_the_checkpoint_carries_it(client, log):
    w1, w2 = log
    body = body_of()
    r = post(client, body, w1.cosign(body, 1_800_000_000))
    assert r.status_code == 200, r.content
    assert r.json() == {"witness": "observers.kz", "size": 7, "latest": 7,
                        "cosigned_by": ["observers.kz"]}
    _, size, _, sigs = read_checkpoint(LogFiles(E).dir)
    assert size == 7 and [s.split(" ")[1] for s in sigs] == [outbox.origin(E), "observers.kz"]
    assert tl.verify_cosignature(body, sigs[1], w1.verifier_key()) == 1_800_000_000
    got = client.get(f"/api/log/{E}/checkpoint")
    assert got.status_code == 200 and got.content.decode() == \
        (LogFiles(E).dir / "checkpoint").read_text()
    s = client.get(f"/api/log/{E}/status").json()
    assert (s["size"], s["cosigned_by"], s["witnesses_total"]) == (7, 1, 2)
    behind = next(w for w in s["witnesses"] if w["name"] == "newsroom.kz")
    assert behind["current"] is False and behind["behind_since"] is not None
    # an older checkpoint's cosignature is stored, and the latest file is left as it is
    r = post(client, body_of(3), w2.cosign(body_of(3), 1_800_000_001))
    assert r.status_code == 200 and r.json()["cosigned_by"] == ["observers.kz"]
    assert Cosignature.objects.filter(size=3).count() == 1


@pytest.mark.parametrize("case, status, field", [
    ("not a witness", 403, "cosignature"),
    ("forged root", 409, "checkpoint"),
    ("another origin", 409, "checkpoint"),
    ("beyond the latest", 409, "checkpoint"),
    ("garbage", 422, "checkpoint"),
    ("superscript size", 422, "checkpoint"),
    ("nul", 422, None),  # refused before the endpoint, by the project's NUL guard
    ("bad signature", 422, "cosignature"),
    ("signed another body", 422, "cosignature"),
])
def test_refusals_in_the_error_model(client, log, case, status, field):
    w1, _ = log
    body = body_of()
    origin, size, root = body.split("\n")[:3]
    stranger = tl.Witness.generate("stranger")
    checkpoint, line = {
        "not a witness": (body, stranger.cosign(body, 1)),
        "forged root": ((f := f"{origin}\n{size}\n{'A' * 43}=\n"), w1.cosign(f, 1)),
        "another origin": ((o := f"evil/{E}\n{size}\n{root}\n"), w1.cosign(o, 1)),
        "beyond the latest": ((b := f"{origin}\n99\n{root}\n"), w1.cosign(b, 1)),
        "garbage": ("hello", w1.cosign(body, 1)),
        "superscript size": (f"{origin}\n²\n{root}\n", w1.cosign(body, 1)),
        "nul": (body, "— observers.kz \x00"),
        "bad signature": (body, w1.cosign(body, 1)[:-8] + "AAAAAAA="),
        "signed another body": (body, w1.cosign(body_of(2), 1)),
    }[case]
    r = post(client, checkpoint, line)
    assert r.status_code == status, r.content
    out = r.json()
    assert out["field"] == field and out["message"] and set(out) == {
        "error", "message", "field", "detail"}
    assert not Cosignature.objects.exists()


def test_unknown_election_and_missing_members(client, log):
    r = client.post("/api/log/nowhere/cosignature", json.dumps(
        {"checkpoint": "x\n1\nAA==\n", "cosignature": "— a b"}), content_type="application/json")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.post(URL, json.dumps({"checkpoint": "x"}), content_type="application/json")
    assert r.status_code == 422 and r.json()["error"] == "bad_input"
    assert client.get("/api/log/nowhere/checkpoint").status_code == 404


def test_messages_in_each_language(client, log):
    r = client.post(URL, json.dumps({"checkpoint": "hello", "cosignature": "x"}),
                    content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.json()["message"].startswith("Это не контрольная точка")


def test_witness_keys_are_checked_and_logged(log):
    from sailau.errors import BadInput, Conflict
    from sailau.ledger.models import Leaf
    from sailau.tlog import leaves

    with pytest.raises(BadInput):
        cosign.add_witness(E, "observers.kz+0102+AAAA")
    w1, _ = log
    with pytest.raises(Conflict):
        cosign.add_witness(E, w1.verifier_key())
    changes = [leaves.decode(bytes(d)) for d in Leaf.objects.filter(
        kind="structure-change").order_by("id").values_list("data", flat=True)]
    assert [len(c["witnesses"]) for c in changes] == [1, 2]
    assert w1.verifier_key() in changes[1]["witnesses"]
    lj = json.loads((LogFiles(E).dir / "log.json").read_text())
    assert lj["origin"] == outbox.origin(E) and sorted(lj["witnesses"]) == sorted(
        changes[1]["witnesses"])


@pytest.fixture
def committed_log(transactional_db, tmp_path, monkeypatch):
    """The log of `log`, committed: the threads below read it through connections of their own."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    outbox.append_many([(E, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                        for i in range(5)])
    integrator.integrate(E)


def test_threads_checking_checkpoints_of_two_states_share_the_tree(committed_log):
    """The server's threads check witnesses' checkpoints against one cached tree while the
    integrator (another process) moves the state: a thread holding an older state and one
    holding a newer one both get their root, while the cache is rebuilt under them (without
    the lock a thread raised 'the log's state says 606 leaves, the database holds 613' on a
    live night)."""
    import threading

    from django.db import connection

    old = LogState.objects.get(pk=E)
    want = {n: integrator.root_at(E, old.size, old.root, n) for n in range(1, old.size + 1)}
    outbox.append_many([(E, "audit-head", "", {"seq": 10 + i, "hash": f"{i:064x}"})
                        for i in range(40)])
    integrator.integrate(E)
    new = LogState.objects.get(pk=E)
    assert new.size > old.size
    errors, barrier = [], threading.Barrier(6)

    def check(row, rounds=60):
        barrier.wait()
        try:
            for i in range(rounds):
                if i % 5 == 0:
                    integrator._trees.clear()  # a rebuild racing the others' reads
                n = 1 + i % row.size
                got = integrator.root_at(E, row.size, row.root, n)
                if n <= old.size and got != want[n]:
                    errors.append((row.size, n))
        except Exception as exc:  # noqa: BLE001 - the test's finding
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=check, args=(old if k % 2 else new,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_the_largest_checkpoint_every_witness_cosigned_is_published(client, log):
    """log/checkpoint.witnessed: once every witness cosigned a size, that checkpoint with all
    their lines; a newer checkpoint cosigned by one only leaves it; an older size cosigned by
    all after a newer one was signed gets the log's note as it was published then."""
    w1, w2 = log
    files = LogFiles(E)
    body7, note7 = body_of(), LogState.objects.get(pk=E).checkpoint
    assert post(client, body7, w1.cosign(body7, 1_800_000_000)).status_code == 200
    assert files.read("checkpoint.witnessed") is None  # one of two
    assert post(client, body7, w2.cosign(body7, 1_800_000_001)).status_code == 200
    witnessed = files.read("checkpoint.witnessed").decode()
    assert witnessed.startswith(note7) and witnessed.count("\n— ") == 3
    outbox.append_many([(E, "audit-head", "", {"seq": 9, "hash": "9" * 64})])
    integrator.integrate(E)
    body8 = body_of()
    assert post(client, body8, w1.cosign(body8, 1_800_000_002)).status_code == 200
    assert files.read("checkpoint.witnessed").decode() == witnessed  # still size 7
    note8 = LogState.objects.get(pk=E).checkpoint
    outbox.append_many([(E, "audit-head", "", {"seq": 10, "hash": "a" * 64})])
    integrator.integrate(E)  # size 9 signed: size 8 is no longer the latest
    assert post(client, body8, w2.cosign(body8, 1_800_000_003)).status_code == 200
    again = files.read("checkpoint.witnessed").decode()
    assert again.startswith(note8) and again.split("\n")[1] == "8"
    _, size, _, sigs = read_checkpoint(LogFiles(E).dir)
    assert size == 9 and len(sigs) == 1  # the latest carries the log's signature alone


def test_a_weak_witness_key_is_refused_with_its_code(log):
    """A small-order key would "cosign" every checkpoint with one constant line: refused as
    `key_weak` (kk, ru, en), never stored; another spelling of a key is no key (`bad_input`)."""
    import base64

    from sailau.errors import BadInput
    from sailau.ledger.models import Witness
    from sailau.tlog import note

    raw = bytes([1] + [0] * 31)  # the identity
    weak = f"evil.kz+{note._key_id('evil.kz', 4, raw).hex()}+" \
           f"{base64.b64encode(bytes([4]) + raw).decode()}"
    with pytest.raises(BadInput) as exc:
        cosign.add_witness(E, weak)
    assert exc.value.code == "key_weak" and exc.value.field == "verifier_key"
    assert exc.value.status == 422
    assert "Ed25519" in exc.value.text("kk") and "малого порядка" in exc.value.text("ru")
    good = tl.Witness.generate("other.kz").verifier_key()
    with pytest.raises(BadInput) as exc:
        cosign.add_witness(E, good.rstrip("=").replace("/", "_") + "A")
    assert exc.value.code == "bad_input" and exc.value.field == "verifier_key"
    assert not Witness.objects.filter(name__in=["evil.kz", "other.kz"]).exists()


def test_the_archive_keeps_a_line_a_minute_per_witness(client, log):
    """log/cosigned.jsonl: each witness's first cosignature, then one at least a minute of its
    clock after the last kept; lines appended, each verifying over the body rebuilt from the
    log's origin, size and root."""
    from sailau.tlog import cosigned

    w1, w2 = log
    t = 1_800_000_000
    for size, who, at in ((3, w1, t), (4, w1, t + 30), (5, w2, t + 31), (6, w1, t + 60),
                          (7, w1, t + 61)):
        assert post(client, body_of(size), who.cosign(body_of(size), at)).status_code == 200
    data = (LogFiles(E).dir / cosigned.FILE).read_bytes()
    lines = [line for _, line in cosigned.read(data)]
    assert [(x.witness, x.size, x.timestamp()) for x in lines] == [
        ("observers.kz", 3, t), ("newsroom.kz", 5, t + 31), ("observers.kz", 6, t + 60)]
    keys = {"observers.kz": w1.verifier_key(), "newsroom.kz": w2.verifier_key()}
    assert all(x.verify(outbox.origin(E), keys[x.witness]) == x.timestamp() for x in lines)
    # appended, never rewritten: what was there stays the file's beginning
    assert post(client, body_of(7), w2.cosign(body_of(7), t + 200)).status_code == 200
    assert (LogFiles(E).dir / cosigned.FILE).read_bytes().startswith(data)
