"""A leaf's time comes from the witnesses (log/cosigned.jsonl, docs/log-format.md): a key
registered the day before and witnessed then is the commission's own, on time; a key leaf the
operator appends after the night, dated the day before and not `late`, is reported late and
fails as backdated, whatever its `at` says; the leaves' `at` running backwards is noted. No
Django: a tiny published log (tests/logfixture.py) and a witness's key in this process."""

import datetime as dt
import hashlib

import pytest

from sailau.cli import main
from sailau.tlog import checkpoint, cosignature, cosigned
from sailau.verify import signatures
from tests.logfixture import ELECTION, Published

DAY = "2026-11-21"  # the polls close at 20:00 in Almaty (UTC+5): 15:00Z


def _t(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso).timestamp())


class Night:
    """The published log, its one witness, and the witness's cosignatures archived as the
    server archives them."""

    def __init__(self, folder):
        self.witness = cosignature.Witness.generate("observers.example/w")
        self.pub = Published(folder, witnesses=[self.witness])
        self.pub.date = DAY

    def cosign(self, iso: str) -> None:
        """The witness cosigns the published checkpoint at `iso` (its own clock)."""
        pub = self.pub
        body = checkpoint.Checkpoint(pub.origin, pub.tree.size, pub.tree.root()).body()
        line = self.witness.cosign(body, _t(iso))
        pub.add_cosignature(line)
        with open(pub.folder / "log" / cosigned.FILE, "ab") as f:
            f.write(cosigned.encode(pub.tree.size, pub.tree.root(), line))

    def own_key(self, commission: str, at: str, **leaf) -> bytes:
        """A key of the commission's own registered and confirmed by the district, both
        leaves dated `at`; its private key."""
        private, public = signatures.new_key_pair()
        for action, extra in (("register", {"late": False, **leaf}), ("confirm", {"by": "d1"})):
            self.pub.add({"v": 1, "type": "commission-key", "election": ELECTION, "at": at,
                          "action": action, "commission": commission, "public_key": public,
                          "held_by_server": False, "reason": None, **extra})
        return private

    def own_protocol(self, sid: str, private: bytes, at: str, version: int = 1) -> None:
        body = {"station": sid, "contest": "c1", "version": version,
                "figures": {"voters": 1000, "ballots_cast": 150, "invalid": 0},
                "choices": {"a": 100, "b": 50}}
        scans = [hashlib.sha256(sid.encode()).hexdigest()]
        sig = signatures.sign(private, signatures.own_bytes({**body, "scans": scans}))
        public = signatures.public_key_b64(private)
        index = self.pub.add({
            "v": 1, "type": "protocol", "election": ELECTION, "at": at, **body, "scans": scans,
            "decision": None, "signature": {"key": signatures.key_id(public), "signature": sig,
                                            "message": signatures.FORMAT_OWN}})
        self.pub.current[(sid, "c1")] = (index, {**body, "signature": sig,
                                                 "signed_with": public})


@pytest.fixture
def night(tmp_path):
    """An honest night: s1's own key registered the day before and cosigned then, the
    protocols logged after the close and cosigned then."""
    n = Night(tmp_path / "pub")
    key = n.own_key("pc-s1", "2026-11-20T10:00:00Z")
    n.pub.publish()
    n.cosign("2026-11-20T10:01:00Z")
    n.own_protocol("s1", key, "2026-11-21T20:00:00Z")
    for sid in ("s2", "s3"):
        n.pub.protocol(sid, 120, 30)
    n.pub.publish()
    n.cosign("2026-11-21T20:05:00Z")
    return n


def _verify(n: Night, capsys, *extra) -> tuple[int, str]:
    status = main(["verify", str(n.pub.folder), "--witness", n.witness.verifier_key(),
                   "--log-key", n.pub.signer.verifier_key(), "--signers", *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return status, out.out + out.err


def _signer(out: str, sid: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"signer: station {sid} "))


def test_an_honest_night_keeps_its_times(night, capsys):
    status, out = _verify(night, capsys)
    assert status == 0, out
    s1 = _signer(out, "s1")
    # registered the day before by the witnesses' clock, and not late
    assert "(in the log by 2026-11-20T10:01:00Z, by the witnesses' clocks)" in s1, s1
    assert "the commission's own, confirmed by d1" in s1 and "LATE" not in s1
    assert "ran backwards" not in out and "dated after the witnesses" not in out


def test_a_key_appended_after_the_night_dated_the_day_before_is_late_and_fails(night, capsys):
    """The forgery: after the night the operator registers and confirms a key of s2's
    commission, dated the day before and not late, and re-signs s2's protocol with it."""
    key = night.own_key("pc-s2", "2026-11-20T11:00:00Z")
    night.own_protocol("s2", key, "2026-11-20T11:00:00Z", version=2)
    night.pub.publish()
    night.cosign("2026-11-22T09:00:00Z")  # an honest witness cosigns what it is shown, then
    status, out = _verify(night, capsys)
    assert status == 1, out
    assert ("registers a key of pc-s2 as before the polls closed (2026-11-21T15:00:00Z), not "
            "late, dated 2026-11-20T11:00:00Z; but the witnesses cosigned the log without it "
            "at 2026-11-21T20:05:00Z") in out, out
    s2 = _signer(out, "s2")
    assert "LATE: registered after the polls closed" in s2, s2
    assert "(in the log by 2026-11-22T09:00:00Z" in s2
    assert "LATE" not in _signer(out, "s1")
    # its `at` runs back from the night's protocols: noted
    assert "leaves are dated before the leaf ahead of them: the log's clock ran backwards" in out
    # Without the archive, the latest checkpoint's cosignature alone still bounds it after the
    # close: late, though nothing then shows it was backdated.
    (night.pub.folder / "log" / cosigned.FILE).unlink()
    status, out = _verify(night, capsys)
    assert "LATE: registered after the polls closed" in _signer(out, "s2")
    assert "backdated" not in out


def test_an_archive_line_of_another_history_or_a_forged_cosignature_fails(night, capsys):
    path = night.pub.folder / "log" / cosigned.FILE
    honest = path.read_bytes()
    first = cosigned.decode(honest.split(b"\n")[0])
    other = night.witness.cosign(checkpoint.Checkpoint(night.pub.origin, first.size,
                                                       b"\x07" * 32).body(), _t(DAY + "T09:00:00"))
    path.write_bytes(honest + cosigned.encode(first.size, b"\x07" * 32, other))
    status, out = _verify(night, capsys)
    assert status == 1 and "the witnesses were shown another history" in out, out
    # a line whose cosignature is not the witness's (its time moved): refused, not used
    raw = cosignature.Witness.generate("observers.example/w").cosign(
        first.body(night.pub.origin), _t(DAY + "T09:00:00"))
    path.write_bytes(honest + cosigned.encode(first.size, first.root, raw))
    status, out = _verify(night, capsys)
    assert status == 1 and f"the cosignature of observers.example/w at size {first.size} " \
        "does not verify" in out, out


def test_a_key_the_server_issues_after_the_close_is_late_not_backdated(night, capsys):
    """Honest: a commission without a key has its protocol signed after the close by a key the
    server issues then (its leaf says nothing of `late`, as `elections.keys.issue` writes it):
    reported late by the witnesses' bounds, never failed as backdated."""
    _private, public = signatures.new_key_pair()
    night.pub.add({"v": 1, "type": "commission-key", "election": ELECTION,
                   "at": "2026-11-21T20:30:00Z", "action": "register", "commission": "pc-s3",
                   "public_key": public, "held_by_server": True, "reason": None})
    night.pub.publish()
    night.cosign("2026-11-21T20:35:00Z")
    status, out = _verify(night, capsys, "--allow-unwitnessed")
    assert "backdated" not in out, out
    assert status == 0, out
