"""A reader's trust is pinned: `--state` keeps the witnesses (format sailau-reader-state/2),
and a change of witnesses in the log is followed only once a checkpoint that includes it is
cosigned by the quorum of the witnesses already pinned, never on the log key alone. The
operator's forgery (a `structure-change` naming its own witnesses, log.json rewritten, its
witnesses cosigning) is named; the honest change is followed; an old state file is still
read. No Django."""

import json

from sailau.cli import main
from sailau.tlog import cosignature
from tests.logfixture import ELECTION, Published, cosign


def setup(tmp_path, capsys):
    keys = {}
    for name in ("observers", "newsroom", "operator"):
        keys[name] = tmp_path / f"{name}.key"
        assert main(["witness", "keygen", f"{name}.example/w", "--out", str(keys[name])]) == 0
    capsys.readouterr()
    pub = Published(tmp_path / "pub",
                    witnesses=[cosignature.Witness.from_key(keys["observers"].read_text())])
    pub.results(4)
    pub.publish()
    assert cosign(pub, keys["observers"], tmp_path / "observers-state") == 0
    return pub, keys


def verify(pub, state, capsys, *args):
    capsys.readouterr()
    status = main(["verify", str(pub.folder), "--state", str(state), "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def vkey(path) -> str:
    return cosignature.Witness.from_key(path.read_text()).verifier_key()


def change_witnesses(pub: Published, *paths) -> int:
    pub.witnesses = [cosignature.Witness.from_key(p.read_text()) for p in paths]
    return pub.add({"v": 1, "type": "structure-change", "election": ELECTION,
                    "at": "2026-11-21T22:00:00Z", "contests": [],
                    "witnesses": sorted(w.verifier_key() for w in pub.witnesses),
                    "reason": "witnesses replaced"})


def test_the_operators_witnesses_are_not_trusted_on_the_log_key_alone(tmp_path, capsys):
    pub, keys = setup(tmp_path, capsys)
    state = tmp_path / "reader"
    status, report = verify(pub, state, capsys)  # first use: the election's witnesses
    assert status == 0, report["failures"]
    kept = json.loads((state / "state.json").read_text())
    assert kept["format"] == "sailau-reader-state/2"
    assert kept["witnesses"] == [vkey(keys["observers"])] and kept["required"] is None
    # The operator names its own witness, rewrites log.json, and has it cosign.
    change_witnesses(pub, keys["operator"])
    pub.results(2, start=4)
    pub.publish()
    assert cosign(pub, keys["operator"], tmp_path / "operator-state") == 0
    status, report = verify(pub, state, capsys)
    assert status == 1
    assert "cosigned by 0 of the 1 witnesses required" in report["first_failure"]["message"]
    assert json.loads((state / "state.json").read_text())["witnesses"] == \
        [vkey(keys["observers"])]
    # Without --state, a first-time reader is shown the publisher's choice, and told where it
    # was read (here a folder's own log.json).
    capsys.readouterr()
    assert main(["verify", str(pub.folder)]) == 0
    out = capsys.readouterr().out
    assert "witnesses are taken from" in out and "a file of the folder being checked" in out


def test_a_change_cosigned_by_the_witnesses_pinned_is_followed(tmp_path, capsys):
    pub, keys = setup(tmp_path, capsys)
    state = tmp_path / "reader"
    assert verify(pub, state, capsys)[0] == 0
    index = change_witnesses(pub, keys["newsroom"])
    pub.publish()
    # The witness pinned cosigns the checkpoint that includes the change: everyone was shown
    # it, and the reader follows it.
    assert cosign(pub, keys["observers"], tmp_path / "observers-state") == 0
    status, report = verify(pub, state, capsys)
    assert status == 0, report["failures"]
    assert any(n["subject"] == f"leaf {index}" and "the state now pins the new set" in
               n["message"] for n in report["notes"])
    assert json.loads((state / "state.json").read_text())["witnesses"] == \
        [vkey(keys["newsroom"])]
    # From now on the new witness is the one required, the old one no longer counts.
    pub.results(2, start=4)
    pub.publish()
    assert cosign(pub, keys["observers"], tmp_path / "observers-state") == 0
    assert verify(pub, state, capsys)[0] == 1
    pub.publish()
    assert cosign(pub, keys["newsroom"], tmp_path / "newsroom-state") == 0
    status, report = verify(pub, state, capsys)
    assert status == 0, report["failures"]


def test_a_state_of_the_first_format_is_still_read_and_pins_the_witnesses(tmp_path, capsys):
    pub, keys = setup(tmp_path, capsys)
    state = tmp_path / "reader"
    assert verify(pub, state, capsys)[0] == 0
    # as a reader before this version kept it: no format, no witnesses
    old = json.loads((state / "state.json").read_text())
    for k in ("format", "witnesses", "required"):
        del old[k]
    (state / "state.json").write_text(json.dumps(old))
    status, report = verify(pub, state, capsys)
    assert status == 0, report["failures"]
    assert json.loads((state / "state.json").read_text())["witnesses"] == \
        [vkey(keys["observers"])]
    # a format this version does not know is refused (exit 2), never guessed at
    (state / "state.json").write_text(json.dumps({**old, "format": "sailau-reader-state/9"}))
    capsys.readouterr()
    assert main(["verify", str(pub.folder), "--state", str(state)]) == 2
    assert "sailau-reader-state/9" in capsys.readouterr().err


def test_the_quorum_kept_in_the_state(tmp_path, capsys):
    """With two witnesses pinned and one required (`--witnesses-required 1`, kept), a change
    cosigned by one of them is followed; the number required is the state's from then on."""
    pub, keys = setup(tmp_path, capsys)
    change_witnesses(pub, keys["observers"], keys["newsroom"])
    pub.publish()
    assert cosign(pub, keys["observers"], tmp_path / "observers-state") == 0
    assert cosign(pub, keys["newsroom"], tmp_path / "newsroom-state") == 0
    state = tmp_path / "reader"
    assert verify(pub, state, capsys, "--witnesses-required", "1")[0] == 0
    kept = json.loads((state / "state.json").read_text())
    assert len(kept["witnesses"]) == 2 and kept["required"] == 1
    change_witnesses(pub, keys["newsroom"], keys["operator"])
    pub.publish()
    assert cosign(pub, keys["newsroom"], tmp_path / "newsroom-state") == 0
    status, report = verify(pub, state, capsys)  # 1 of the 2 pinned: the quorum kept
    assert status == 0, report["failures"]
    assert sorted(json.loads((state / "state.json").read_text())["witnesses"]) == \
        sorted([vkey(keys["newsroom"]), vkey(keys["operator"])])


def test_a_reader_requiring_no_cosignature_never_follows_a_change(tmp_path, capsys):
    """`--witnesses-required 0` accepts checkpoints the log alone signed, but a change of
    witnesses still needs a cosignature by one pinned: never the log key alone."""
    pub, keys = setup(tmp_path, capsys)
    state = tmp_path / "reader"
    assert verify(pub, state, capsys, "--witnesses-required", "0")[0] == 0
    index = change_witnesses(pub, keys["operator"])
    pub.publish()
    status, report = verify(pub, state, capsys)
    assert status == 0, report["failures"]
    assert any(n["subject"] == f"leaf {index}" and "not trusted" in n["message"]
               for n in report["notes"])
    assert json.loads((state / "state.json").read_text())["witnesses"] == \
        [vkey(keys["observers"])]
