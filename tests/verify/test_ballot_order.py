"""The order of each contest's choices on the ballot is in the log (`contests` leaves of version
2, `ballot`): `sailau verify` holds election.json's list of choices to it, and through it
choices.csv's `order` and nist.json's selections. Each forgery as the operator could make it: the
places swapped in the database and the record published again (every file then agrees with
every other, only the log does not), or election.json rewritten with its hash in the manifest. A
log published before (version-1 `contests` leaves) still verifies, with a note."""

import json

import pytest

from sailau.elections.models import Choice
from sailau.publish.pipeline import snapshots
from tests.logfixture import Published, cosign
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


def _election(folder) -> dict:
    return json.loads(opened(_object(folder, "election.json")))


def test_an_honest_record_holds_every_contests_ballot(published, capsys):
    code, text, report = _run(capsys, published, "--json")
    assert code == 0, text
    assert report["held"]["ballot"] == len(_election(published)["contests"]), report["held"]
    assert not any(n["check"] == "ballot" for n in report["notes"]), report["notes"]


def test_places_swapped_in_the_database_and_published_again_are_named(small_election,
                                                                      published, capsys):
    contest = small_election.contests.get(kind="party_list", commission__level="cec")
    first, second = contest.choices.order_by("order")[:2]
    Choice.objects.filter(pk=first.pk).update(order=second.order)
    Choice.objects.filter(pk=second.pk).update(order=first.order)
    snapshots.publish(small_election.id)
    doc = _election(published)
    listed = [ch["key"] for c in doc["contests"] if c["id"] == contest.id for ch in c["choices"]]
    assert listed[:2] == [second.key, first.key]  # every file agrees with the database
    code, _text, report = _run(capsys, published, "--json")
    assert code == 1
    ballot = [first.key, second.key, *listed[2:]]
    assert (f"ballot: election.json ({contest.id}, choices): place 1 is {second.key!r}, the "
            f"log's ballot has {first.key!r} there (the ballot: {', '.join(ballot)})"
            ) in _failures(report), _failures(report)


def test_a_choice_left_out_of_election_json_is_named(published, tmp_path, capsys):
    forged = _copy(published, tmp_path, "forged-ballot")
    doc = _election(forged)
    contest = next(c for c in doc["contests"] if len(c["choices"]) > 2)
    dropped = contest["choices"].pop()
    _rewrite(forged, "election.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    n = len(contest["choices"])
    assert any(f.startswith(f"ballot: election.json ({contest['id']}, choices): {n} choices, "
                            f"the log's ballot has {n + 1} (the ballot: ")
               and f.endswith(f", {dropped['key']})") for f in _failures(report)), \
        _failures(report)


def test_a_log_published_before_says_the_order_is_the_files(tmp_path, capsys):
    from sailau.cli import main
    from sailau.tlog import cosignature

    key = tmp_path / "w.key"
    assert main(["witness", "keygen", "observers.example/w", "--out", str(key)]) == 0
    capsys.readouterr()
    pub = Published(tmp_path / "pub", witnesses=[cosignature.Witness.from_key(key.read_text())])
    pub.results(3)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    capsys.readouterr()
    code, text, report = _run(capsys, pub.folder, "--json")
    assert code == 0, text
    assert any(n["check"] == "ballot" and n["message"].startswith(
        "1 contests of the log state no order of their choices on the ballot")
        for n in report["notes"]), report["notes"]
    assert "ballot" not in report["held"]
