"""`sailau verify` against the transparency log: an honest log passes, also while it grows
between runs with --state; each forgery that passed the snapshot checks is caught (history
restarted, an older leaf rewritten, the log key replaced, a commission key replaced and a
station re-signed, a station removed with every level re-summed, a split view, a rollback,
parties swapped); malformed input is named with exit 2, never a traceback. No Django."""

import json
import shutil

import pytest

from sailau.cli import main
from sailau.tlog import cosignature, tiles
from sailau.verify import signatures
from tests.logfixture import Published, cosign


@pytest.fixture
def world(tmp_path, capsys):
    """A published log with one witness that has cosigned it; the witness's verifier key."""
    key = tmp_path / "w.key"
    assert main(["witness", "keygen", "observers.example/w", "--out", str(key)]) == 0
    vkey = capsys.readouterr().out.strip()
    w = cosignature.Witness.from_key(key.read_text())
    pub = Published(tmp_path / "pub", witnesses=[w])
    pub.results(5)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    capsys.readouterr()
    return pub, key, vkey


def _verify(pub_or_folder, *args):
    folder = getattr(pub_or_folder, "folder", pub_or_folder)
    return main(["verify", str(folder), *args])


def _failure(capsys) -> str:
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return out.out + out.err


def test_honest_log_passes_while_it_grows(world, tmp_path, capsys):
    pub, key, vkey = world
    state = tmp_path / "reader"
    args = ["--witness", vkey, "--state", str(state), "--log-key", pub.signer.verifier_key()]
    assert _verify(pub, *args) == 0
    assert "everything holds" in capsys.readouterr().out
    size = json.loads((state / "state.json").read_text())["size"]
    pub.results(3, start=5)
    pub.protocol("s1", 101, 49, version=2)  # an amendment: the latest leaf is current
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    assert _verify(pub, *args) == 0
    out = capsys.readouterr().out
    grown = json.loads((state / "state.json").read_text())["size"]
    assert grown > size
    # The second run says that the log only grew, and what the state now pins.
    assert f"the log grew from {size:,} to {grown:,} leaves, consistent with your last run" \
        in out, out
    assert f"{state / 'state.json'}: updated: it pins the log key" in out
    # Without --witness: the election's own witnesses, and the report says where they came
    # from: this folder's own file, not a server.
    assert _verify(pub) == 0
    out = capsys.readouterr().out
    assert f"taken from {pub.folder / 'log' / 'log.json'}, a file of the folder being " \
           "checked" in out, out
    assert "taken from the server" not in out
    assert _verify(pub, "--station", "1", "--witness", vkey, "--state", str(state)) == 0


def test_history_restarted_is_refused(world, tmp_path, capsys):
    pub, key, vkey = world
    state = tmp_path / "reader"
    assert _verify(pub, "--state", str(state), "--witness", vkey) == 0
    # The operator deletes everything and publishes a fresh log with the same key, which the
    # witness is never shown; even with the witness's state lost it is told apart by the reader.
    shutil.rmtree(pub.folder)
    fresh = Published(pub.folder, witnesses=pub.witnesses, seed=3)
    fresh.signer = pub.signer
    fresh.results(8)
    fresh.publish()
    assert cosign(fresh, key, tmp_path / "new-witness-state") == 0  # a witness fooled afresh
    assert _verify(fresh, "--state", str(state), "--witness", vkey) == 1
    assert "does not extend" in _failure(capsys)


def test_older_leaf_rewritten_is_caught(world, tmp_path, capsys):
    pub, key, vkey = world
    state = tmp_path / "reader"
    assert _verify(pub, "--state", str(state), "--witness", vkey) == 0
    index = pub.current[("s2", "c1")][0]
    # In place, the checkpoint untouched: the leaves no longer give its root.
    bundle = pub.folder / "log" / tiles.entries_path(0, pub.tree.size)
    entries = tiles.decode_entry_bundle(bundle.read_bytes())
    entries[index] = entries[index].replace(b'"a":110', b'"a":210')
    bundle.write_bytes(tiles.encode_entry_bundle(entries))
    assert _verify(pub, "--witness", vkey) == 1
    assert "do not give the checkpoint's root" in _failure(capsys)
    # The whole tree rebuilt and re-signed: a second root for a size already accepted, and the
    # witness never cosigned it.
    pub.rewrite(index, choices={"a": 210, "b": 51})
    pub.publish()
    assert _verify(pub, "--state", str(state), "--witness", vkey) == 1
    text = _failure(capsys)
    assert "two roots for size" in text or "cosigned by 0 of the 1" in text
    assert _verify(pub, "--witness", vkey) == 1
    assert "cosigned by 0 of the 1" in _failure(capsys)
    assert cosign(pub, key, tmp_path / "witness") == 3  # the witness refuses it


def test_log_key_replaced_is_caught(world, tmp_path, capsys):
    pub, _key, _vkey = world
    state = tmp_path / "reader"
    assert _verify(pub, "--state", str(state)) == 0
    from sailau.tlog import note

    pub.signer = note.Signer.generate(pub.origin)  # a new key, log.json rewritten with it
    pub.results(2, start=5)
    pub.publish()
    assert _verify(pub, "--state", str(state)) == 1
    assert "the log key was replaced" in _failure(capsys)
    assert _verify(pub, "--log-key", json.loads((state / "state.json").read_text())["log_key"]) \
        == 1
    assert "the log key was replaced" in _failure(capsys)
    (pub.folder / "log/log.json").unlink()  # a forger who hides the new key gains nothing
    assert _verify(pub, "--state", str(state)) == 1
    assert "not signed by the log key" in _failure(capsys)


def test_commission_key_replaced_and_station_resigned(world, tmp_path, capsys):
    pub, key, vkey = world
    state = tmp_path / "reader"
    assert _verify(pub, "--witness", vkey, "--state", str(state)) == 0
    # The files alone: station s2 shows other figures, signed with a new key (keys.json too).
    forged_key, forged_pub = signatures.new_key_pair()
    docs = pub.docs()
    part = docs["stations/2.json"]["contests"][0]
    p = part["protocol"]
    p["choices"] = {"a": 200, "b": 1}
    p["signed_with"] = forged_pub
    p["signature"] = signatures.sign(forged_key, signatures.canonical_bytes(
        {"station": "s2", "contest": "c1", **{k: p[k] for k in ("version", "figures",
                                                                 "choices")}}))
    docs["keys.json"] = {"commissions": {"pc-s2": [forged_pub]}}
    pub.write_docs(docs)
    assert _verify(pub, "--witness", vkey) == 1
    assert "stations/2.json (c1): choices differ from leaf" in _failure(capsys)
    # In the log: the server appends a protocol signed with a key its commission never
    # registered in the log (the log grows honestly, so the witness cosigns).
    pub.protocol("s2", 200, 1, version=2, key=forged_key)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    # With --state, the leaves checked before are not checked again, the new one is.
    assert _verify(pub, "--witness", vkey, "--state", str(state)) == 1
    assert "not a key of commission pc-s2 registered in the log" in _failure(capsys)
    # Signed with the commission's own key over other figures than the leaf carries.
    pub.protocol("s4", 300, 1, version=2)
    leaf = json.loads(pub.leaves[-1])
    pub.rewrite(len(pub.leaves) - 1, choices={**leaf["choices"], "a": 301})
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    capsys.readouterr()
    assert _verify(pub, "--witness", vkey, "--state", str(state), "--json") == 1
    failures = json.loads(capsys.readouterr().out)["failures"]
    assert [f["subject"].split(",")[0] for f in failures if f["check"] == "signatures"] == \
        ["station s2 (c1", "station s4 (c1"]
    assert "does not match the figures" in failures[-1]["message"]


def test_station_removed_with_levels_resummed(world, capsys):
    pub, _key, vkey = world
    del pub.current[("s3", "c1")]  # the files written as if s3 had never reported, every level summed
    pub.files()
    assert _verify(pub, "--witness", vkey) == 1
    text = _failure(capsys)
    assert "station s3 (c1): its protocol is leaf" in text


def test_split_view_is_refused(world, tmp_path, capsys):
    pub, key, vkey = world
    # The witness cosigned A; a reader is shown B of the same size, signed by the log.
    other = tmp_path / "shown-to-reader"
    shutil.copytree(pub.folder, other)
    b = Published(tmp_path / "b", seed=7)
    b.signer = pub.signer
    b.results(5)
    assert b.tree.size == pub.tree.size and b.tree.root() != pub.tree.root()
    b.folder = other
    b.written = 0
    b.publish()
    b.cosignatures = [line for line in (pub.folder / "log/checkpoint").read_text().splitlines()
                      if line.startswith("\u2014 observers.example/w ")]
    # The witness's line for A copied under B: it does not verify.
    (other / "log/checkpoint").write_bytes(b.checkpoint_note())
    assert _verify(other, "--witness", vkey) == 1
    assert "cosigned by 0 of the 1 witnesses required" in _failure(capsys)
    # The witness shown B: refuses, exit 3, both notes kept.
    assert cosign(b, key, tmp_path / "witness") == 3
    assert len(list((tmp_path / "witness" / "evidence").iterdir())) == 1


def test_rollback_is_refused(world, tmp_path, capsys):
    pub, key, vkey = world
    old = tmp_path / "old"
    shutil.copytree(pub.folder, old)
    pub.results(3, start=5)
    pub.publish()
    cosign(pub, key, tmp_path / "witness")
    state = tmp_path / "reader"
    assert _verify(pub, "--state", str(state), "--witness", vkey) == 0
    assert _verify(old, "--state", str(state), "--witness", vkey) == 1
    assert "rollback" in _failure(capsys)


def test_parties_swapped_in_the_files(world, capsys):
    pub, _key, vkey = world
    docs = pub.docs()
    choices = docs["election.json"]["contests"][0]["choices"]
    choices[0]["party"], choices[1]["party"] = choices[1]["party"], choices[0]["party"]
    pub.write_docs(docs)
    assert _verify(pub, "--witness", vkey) == 1
    assert "party 'P2', the log's structure says 'P1'" in _failure(capsys)


@pytest.mark.parametrize("damage", ["checkpoint", "bundle", "tile", "note-key"])
def test_malformed_input_is_named_with_exit_2(world, damage, capsys):
    pub, _key, _vkey = world
    log = pub.folder / "log"
    if damage == "checkpoint":
        (log / "checkpoint").write_bytes(b"not a note at all")
    elif damage == "bundle":
        bundle = log / tiles.entries_path(0, pub.tree.size)
        bundle.write_bytes(bundle.read_bytes() + b"\x00\x09ab")
    elif damage == "tile":
        tile = log / tiles.tile_path(0, 0, pub.tree.size)
        tile.write_bytes(tile.read_bytes()[:40])
    else:
        assert _verify(pub, "--witness", "not+a+key") == 2
        assert "witness keys" in _failure(capsys)
        return
    args = ["--station", "1"] if damage == "tile" else []
    assert _verify(pub, *args) == 2
    text = _failure(capsys)
    assert str(log) in text, text


def test_one_station_with_its_proof(world, capsys):
    pub, _key, vkey = world
    assert _verify(pub, "--station", "2", "--witness", vkey) == 0
    docs = pub.docs()
    docs["stations/2.json"]["contests"][0]["protocol"]["figures"]["invalid"] = 5
    pub.write_docs(docs)
    assert _verify(pub, "--station", "2", "--witness", vkey) == 1
    assert "figures differ from leaf" in _failure(capsys)
    # A leaf index pointing elsewhere in the log.
    docs["stations/2.json"]["contests"][0]["protocol"]["figures"]["invalid"] = 0
    docs["stations/2.json"]["contests"][0]["log"]["index"] = pub.current[("s1", "c1")][0]
    pub.write_docs(docs)
    assert _verify(pub, "--station", "2", "--witness", vkey) == 1
    assert "is not this station's protocol" in _failure(capsys)


def test_leaf_out_of_format_is_named(world, capsys):
    pub, _, _ = world
    index = pub.current[("s5", "c1")][0]
    pub.rewrite(index, pub.leaves[index].replace(b'"version":1', b'"version": 1'))
    pub.publish()
    assert _verify(pub, "--witnesses-required", "0") == 1
    assert f"leaves: leaf {index}: not in canonical form" in _failure(capsys)


def _manifest_with(pub, body: bytes, **extra) -> None:
    m = json.loads(body)
    (pub.folder / "manifest.json").write_bytes(json.dumps({**m, **extra}).encode())


def test_files_behind_the_checkpoint_are_held_to_the_log_at_their_size(world, tmp_path,
                                                                          capsys):
    """A live publication writes the checkpoint, then the files of that moment: a reader may
    fetch a checkpoint newer than the files. The manifest's `log_size` says which log the files
    show; the protocols logged after it are a note, not a failure. Without it, a failure."""
    pub, key, vkey = world
    size = pub.tree.size
    files_then = (pub.folder / "manifest.json").read_bytes()
    pub.results(3, start=5)  # logged, cosigned, and the files not yet written again
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    _manifest_with(pub, files_then)
    assert _verify(pub, "--witness", vkey) == 1
    assert "no station file shows it" in _failure(capsys)
    _manifest_with(pub, files_then, log_size=size)
    assert _verify(pub, "--witness", vkey) == 0, capsys.readouterr().out
    assert "3 protocols logged after these files were published" in capsys.readouterr().out
    # Files that claim a log the checkpoint does not have, or a size that is no size.
    _manifest_with(pub, files_then, log_size=pub.tree.size + 1)
    assert _verify(pub, "--witness", vkey) == 1
    assert "beyond the checkpoint read" in _failure(capsys)
    _manifest_with(pub, files_then, log_size="7")
    assert _verify(pub, "--witness", vkey) == 1
    assert "is not a size of the log" in _failure(capsys)
    # Files that show less than they say: the station whose protocol the log had is named.
    _manifest_with(pub, files_then, log_size=pub.tree.size)
    assert _verify(pub, "--witness", vkey) == 1
    assert "no station file shows it" in _failure(capsys)


def test_a_latest_checkpoint_not_yet_cosigned_is_held_to_the_witnessed_one(world, capsys):
    """On a busy night the latest checkpoint changes faster than witnesses look: a reader takes
    the largest checkpoint every witness cosigned (log/checkpoint.witnessed) when the latest
    extends it, and says how many leaves only the log has signed; a witnessed checkpoint the
    latest does not extend is a fork; without one, the latest must carry the cosignatures."""
    from sailau.tlog import checkpoint, note

    pub, key, vkey = world
    log = pub.folder / "log"
    witnessed = (log / "checkpoint").read_bytes()  # cosigned by the witness in `world`
    pub.results(3, start=5)
    pub.publish()  # the latest, not cosigned yet
    assert _verify(pub, "--witness", vkey) == 1
    assert "cosigned by 0 of the 1 witnesses required" in _failure(capsys)
    (log / "checkpoint.witnessed").write_bytes(witnessed)
    # The 3 new protocols the files show rest on leaves only the log key signed: a failure by
    # default, naming how many; accepted only when the reader says so.
    assert _verify(pub, "--witness", vkey) == 1
    out = _failure(capsys)
    assert "3 protocols checked rest on leaves no witness has cosigned yet" in out
    assert "the last 3 leaves of the log (size 19) are signed by the log key alone" in out
    assert _verify(pub, "--witness", vkey, "--allow-unwitnessed") == 0, capsys.readouterr().out
    assert "3 protocols checked rest on them (--allow-unwitnessed)" in capsys.readouterr().out
    # one station: its leaf beyond the witnessed checkpoint fails the same way; an older one
    # does not
    assert _verify(pub, "--station", "6", "--witness", vkey) == 1
    assert "rest on leaves no witness has cosigned yet" in _failure(capsys)
    assert _verify(pub, "--station", "6", "--witness", vkey, "--allow-unwitnessed") == 0
    assert _verify(pub, "--station", "2", "--witness", vkey) == 0
    # A witnessed checkpoint of another tree: the server showed the witnesses another history.
    size = int(witnessed.split(b"\n")[1])
    body = checkpoint.Checkpoint(pub.origin, size, b"\x07" * 32).body()
    line = cosignature.Witness.from_key(key.read_text()).cosign(body, 1_800_000_000)
    (log / "checkpoint.witnessed").write_bytes(note.sign_note(body, [pub.signer]) +
                                               line.encode() + b"\n")
    assert _verify(pub, "--witness", vkey) == 1
    assert "does not extend log/checkpoint.witnessed" in _failure(capsys)
    # The witness catches up: the latest checkpoint carries its cosignature, and the honest
    # state passes without any allowance.
    assert cosign(pub, key, pub.folder.parent / "witness") == 0
    assert _verify(pub, "--witness", vkey) == 0, capsys.readouterr().out
