"""A presidential election through its second round, end to end: the first round imported, its
protocols entered twice, published, its outcome a runoff; the second round created from it
(`sailau structure second-round`), its protocols entered, published; `sailau verify` of both
(the second round's candidates recomputed from the first round's protocols) and `sailau audit
verify`. A second round whose candidates are not the first round's two leaders, or whose first
round called none, is FAILED with the reason."""

import dataclasses
import json

import pytest

from sailau.cli import main
from sailau.elections import rounds
from sailau.elections.models import Contest
from sailau.protocols import tabulation
from sailau.protocols.models import Tally
from sailau.publish.pipeline import snapshots
from sailau.verify.snapshot import Snapshot
from tests.elections import president

pytestmark = pytest.mark.django_db
SECOND = {"tokayev": 60, "daukeyeva": 35, "against_all": 5}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def verify(capsys, election_id, *more) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["verify", str(snapshots.election_dir(election_id)), "--json", *more])
    return code, json.loads(capsys.readouterr().out)


def outcome(election):
    contest = Contest.objects.get(election=election)
    return tabulation.outcome(Tally.objects.get(contest=contest, commission=contest.commission))


def test_a_presidential_election_through_its_second_round(data_dir, capsys, client):
    first = president.first_round()
    snapshots.publish(first.id)
    result = outcome(first).result
    assert result.elected is None and result.runoff == ("tokayev", "daukeyeva")

    assert main(["structure", "second-round", first.id, "--date", "2022-12-04"]) == 0
    assert "created kz.president.2022-11-20.round2 on 2022-12-04" in capsys.readouterr().out
    second = rounds.Election.objects.get(id=f"{first.id}.round2")
    # The command published the first round again: its files name the second round at once.
    assert election_json(first.id)["second_round"] == {
        "id": second.id, "date": "2022-12-04", "origin": f"sailau.kz/{second.id}",
        "contest": f"{second.id}.president"}
    president.enter(second, SECOND)
    got = outcome(second)
    assert got.final and got.result.elected == "tokayev"
    snapshots.publish(second.id)

    code, report = verify(capsys, second.id)
    assert code == 0, report["failures"]
    assert report["held"]["rounds"] == 2
    assert any("recomputed from its protocols" in n["message"] for n in report["notes"])
    code, report = verify(capsys, first.id)
    assert code == 0, report["failures"]
    assert any(second.id in n["message"] and "2022-12-04" in n["message"]
               for n in report["notes"] if n["check"] == "rounds")

    # The published files say both ways.
    link = election_json(second.id)["first_round"]
    assert (link["id"], link["date"], link["runoff"]) == (first.id, "2022-11-20",
                                                          ["tokayev", "daukeyeva"])

    # The pages link both ways, in the page's language.
    for lang, words in (("ru", "Второй тур (повторное голосование)"),
                        ("kk", "Екінші тур (қайта дауыс беру)"),
                        ("en", "Second round (repeat vote)")):
        body = client.get(f"/{lang}/e/{first.id}/").content.decode()
        assert words in body and f"/e/{second.id}/" in body
    body = client.get(f"/kk/e/{second.id}/").content.decode()
    assert "Бірінші тур" in body and f"/e/{first.id}/" in body

    capsys.readouterr()
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out[-3000:]


def election_json(eid) -> dict:
    snap = Snapshot(str(snapshots.election_dir(eid)))
    return json.loads(snap.read_object("election.json", snap.entry("election.json")))


def forged(mp, candidates=None, keep=None):
    """The server made to create a second round other than the law's: the link naming
    `candidates`, or the contest keeping the choices `keep` while the link stays honest."""
    real_runoff, real_document = rounds.runoff, rounds._document

    def runoff(first_id):
        called, cp = real_runoff(first_id)
        return dataclasses.replace(called, candidates=candidates or called.candidates), cp

    def document(first, new_id, day, called):
        return real_document(first, new_id, day, dataclasses.replace(
            called, candidates=keep or called.candidates))

    mp.setattr(rounds, "runoff", runoff)
    mp.setattr(rounds, "_document", document)


@pytest.mark.parametrize("link, contest, reason", [
    (("tokayev", "tasmagambetov"), ("tokayev", "tasmagambetov"),
     "the first round's protocols put through tokayev and daukeyeva"),
    (None, ("tokayev", "tasmagambetov"),
     ("not the first round's two leaders (not in the first round's two: tasmagambetov; "
      "missing: daukeyeva)")),
])
def test_a_second_round_with_a_third_candidate_swapped_in_fails(data_dir, capsys, link,
                                                                 contest, reason):
    first = president.first_round()
    with pytest.MonkeyPatch.context() as mp:
        forged(mp, link, contest)
        second = rounds.create_second_round(first.id)
    president.enter(second, {"tokayev": 60, "tasmagambetov": 35, "against_all": 5})
    snapshots.publish(second.id)
    code, report = verify(capsys, second.id)
    assert code != 0
    assert any(f["check"] == "rounds" and reason in f["message"] for f in report["failures"]), \
        report["failures"]


def test_a_second_round_of_a_first_round_that_called_none_fails(data_dir, capsys):
    first = president.first_round({"tokayev": 80, "daukeyeva": 10, "tasmagambetov": 9,
                                   "against_all": 1})
    contest = f"{first.id}.president"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rounds.decision, "decide", lambda *a: rounds.decision.Called(
            contest, "kz-president-2022", "kz-president-2022-round2", ("tokayev", "daukeyeva"),
            4))
        second = rounds.create_second_round(first.id)
    president.enter(second, SECOND)
    snapshots.publish(second.id)
    snapshots.publish(first.id)
    code, report = verify(capsys, second.id)
    assert code != 0
    assert any(f["check"] == "rounds" and "calls no second round" in f["message"]
               and "Tokayev K. was elected in the first round" in f["message"]
               for f in report["failures"]), report["failures"]
    code, report = verify(capsys, first.id)
    assert code != 0
    assert any(f["check"] == "rounds" and f"names the second round {second.id}" in f["message"]
               for f in report["failures"]), report["failures"]


def _second_round_published(capsys):
    first = president.first_round()
    snapshots.publish(first.id)
    assert main(["structure", "second-round", first.id, "--date", "2022-12-04"]) == 0
    second = rounds.Election.objects.get(id=f"{first.id}.round2")
    president.enter(second, SECOND)
    snapshots.publish(second.id)
    return first, second


def _first_round_key_replaced(first_id) -> str:
    """The operator's forgery: the first round's checkpoint signed anew by a key of its own,
    and the first round's log.json naming that key (what a reader without the key would take).
    The key it replaced is returned."""
    from sailau.tlog import note
    from sailau.verify import logsource

    _, log = logsource.open_published(str(snapshots.election_dir(first_id)))
    described = json.loads(log.read("log.json"))
    text = log.read("checkpoint").decode().split("\n\n", 1)[0] + "\n"
    signer = note.Signer.generate(text.split("\n", 1)[0])
    with open(log.where("checkpoint"), "wb") as f:
        f.write(note.sign_note(text, [signer]))
    with open(log.where("log.json"), "w") as f:
        json.dump({**described, "log_key": signer.verifier_key()}, f)
    return described["log_key"]


def test_the_first_rounds_log_key_is_pinned_by_the_state_or_named_by_the_reader(
        data_dir, capsys, tmp_path):
    first, second = _second_round_published(capsys)
    state = tmp_path / "reader"
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 0, report["failures"]
    # without the key at hand the report says whose word it is; the state now keeps it
    assert any("the server's word" in n["message"] for n in report["notes"]
               if n["check"] == "rounds")
    pinned = json.loads((state / "state.json").read_text())["first_round_log_key"]

    real = _first_round_key_replaced(first.id)
    assert real == pinned
    code, report = verify(capsys, second.id)  # the server's word alone: the forgery holds
    assert code == 0, report["failures"]
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 1 and any("the log key was replaced" in f["message"]
                             and "pinned in" in f["message"] for f in report["failures"])
    code, report = verify(capsys, second.id, "--first-round-log-key", real)
    assert code == 1 and any("the log key was replaced" in f["message"]
                             and "--first-round-log-key" in f["message"]
                             for f in report["failures"])
    # a key given that differs from the one pinned is refused as such
    code, report = verify(capsys, second.id, "--state", str(state), "--first-round-log-key",
                          json.loads(_log_json(first.id))["log_key"])
    assert code == 1 and any("differs from the first round's log key pinned" in f["message"]
                             for f in report["failures"])
    assert json.loads((state / "state.json").read_text())["first_round_log_key"] == real


def _log_json(first_id) -> str:
    from sailau.verify import logsource

    return logsource.open_published(str(snapshots.election_dir(first_id)))[1].read(
        "log.json").decode()


def _first_round_cosigned_by(first_id, witness, replacing: bool = False) -> None:
    """The first round's checkpoint cosigned by `witness` (as the witness would, the server
    keeping the line); `replacing`: the operator's forgery, its own witness's cosignature in
    place of any other, and its log.json naming that witness alone."""
    import time

    from sailau.verify import logsource

    _, log = logsource.open_published(str(snapshots.election_dir(first_id)))
    described = json.loads(log.read("log.json"))
    body, sigs = log.read("checkpoint").decode().split("\n\n", 1)
    kept = [line for line in sigs.splitlines() if not replacing or
            line.split(" ")[1:2] == [described["log_key"].split("+")[0]]]
    signed = body + "\n\n" + "\n".join([*kept, witness.cosign(body + "\n", int(time.time()))])
    for path in ("checkpoint", "checkpoint.witnessed"):
        with open(log.where(path), "w") as f:
            f.write(signed + "\n")
    if replacing:
        with open(log.where("log.json"), "w") as f:
            json.dump({**described, "witnesses": [witness.verifier_key()]}, f)


def test_the_first_rounds_witnesses_are_pinned_by_the_state_or_named_by_the_reader(
        data_dir, capsys, tmp_path):
    from sailau.ledger import cosign
    from sailau.tlog import cosignature

    first, second = _second_round_published(capsys)
    observers = cosignature.Witness.generate("observers.example/w")
    real = observers.verifier_key()
    cosign.add_witness(first.id, real)  # a structure-change leaf naming it
    snapshots.publish(first.id)
    _first_round_cosigned_by(first.id, observers)
    state = tmp_path / "reader"
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 0, report["failures"]
    assert any("witnesses are those its log.json" in n["message"] and "server's word" in
               n["message"] for n in report["notes"] if n["check"] == "rounds")
    assert json.loads((state / "state.json").read_text())["first_round_witnesses"] == [real]
    code, report = verify(capsys, second.id, "--state", str(state))  # the pin holds honestly
    assert code == 0, report["failures"]
    assert any("cosigned by 1 of its 1 witnesses pinned in" in n["message"]
               for n in report["notes"])
    code, report = verify(capsys, second.id, "--first-round-witness", real)
    assert code == 0, report["failures"]

    operator = cosignature.Witness.generate("operator.example/w")
    _first_round_cosigned_by(first.id, operator, replacing=True)
    code, report = verify(capsys, second.id)  # the server's word alone: the forgery holds
    assert code == 0, report["failures"]
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 1 and any(f["check"] == "rounds" and "cosigned by 0 of the 1" in f["message"]
                             and "witnesses are pinned in" in f["message"]
                             for f in report["failures"]), report["failures"]
    assert json.loads((state / "state.json").read_text())["first_round_witnesses"] == [real]
    code, report = verify(capsys, second.id, "--first-round-witness", real)
    assert code == 1 and any("given by --first-round-witness" in f["message"]
                             for f in report["failures"]), report["failures"]
    # the operator's witness passes only when the reader names it as its own
    code, report = verify(capsys, second.id, "--first-round-witness", operator.verifier_key())
    assert code == 0, report["failures"]


def test_a_change_of_the_first_rounds_witnesses_is_followed_once_those_pinned_cosign_it(
        data_dir, capsys, tmp_path):
    from sailau.ledger import cosign
    from sailau.tlog import cosignature

    first, second = _second_round_published(capsys)
    observers = cosignature.Witness.generate("observers.example/w")
    cosign.add_witness(first.id, observers.verifier_key())
    snapshots.publish(first.id)
    _first_round_cosigned_by(first.id, observers)
    state = tmp_path / "reader"
    assert verify(capsys, second.id, "--state", str(state))[0] == 0
    # The first round's log names a second witness; the checkpoint that includes it is
    # cosigned by the one pinned: the state follows, and from then requires both.
    newsroom = cosignature.Witness.generate("newsroom.example/w")
    cosign.add_witness(first.id, newsroom.verifier_key())
    snapshots.publish(first.id)
    _first_round_cosigned_by(first.id, observers)
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 0, report["failures"]
    assert any("the state now pins the new set" in n["message"] for n in report["notes"]
               if n["check"] == "rounds"), report["notes"]
    assert json.loads((state / "state.json").read_text())["first_round_witnesses"] == sorted(
        [observers.verifier_key(), newsroom.verifier_key()])
    code, report = verify(capsys, second.id, "--state", str(state))
    assert code == 1 and any("cosigned by 1 of the 2" in f["message"]
                             for f in report["failures"]), report["failures"]
    _first_round_cosigned_by(first.id, newsroom)
    assert verify(capsys, second.id, "--state", str(state))[0] == 0
