"""`sailau tally check` and `sailau audit verify` recompute every total from the definitive
protocols: a total edited in the database is named (contest, commission, field, both values),
`--repair` rebuilds it with an audit record, and the hot path never needs it."""

import json

import pytest

from sailau.audit.models import Record
from sailau.cli import main
from sailau.protocols import tabulation, tally_check
from sailau.protocols.models import Tally
from tests.protocols.test_services import list_contest, make_definitive

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(few, crew, monkeypatch):
    """Three stations definitive; the CLI's setup is the test database's."""
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)
    for st in crew.stations[:3]:
        make_definitive(few, crew, st)
    return few


def run(capsys, *args) -> tuple[int, dict]:
    code = main(["tally", "check", *args])
    return code, json.loads(capsys.readouterr().out)


def test_clean_totals_exit_zero(reported, capsys):
    code, out = run(capsys, reported.id)
    assert code == 0
    assert out["mismatches"] == []
    assert out["contests"] == reported.contests.count()
    assert out["stations_reported"] == 3  # the list contest's three; no district has any


def test_an_edited_tally_is_named(reported, capsys, tmp_path, monkeypatch):
    # `audit verify` below also reads the published snapshots: none here, whatever other tests
    # of this worker may have published into the shared data directory.
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    contest = list_contest(reported)
    t = Tally.objects.filter(contest_id=contest, commission__level="territorial",
                             stations_reported__gt=0).first()
    key = min(t.choices)
    right = t.choices[key]
    Tally.objects.filter(pk=t.pk).update(choices={**t.choices, key: right + 5})
    code, out = run(capsys)
    assert code == 1
    assert out["mismatches"] == [{"contest": contest, "commission": t.commission_id,
                                  "field": f"choices.{key}", "stored": right + 5,
                                  "computed": right}]
    # audit verify runs the same check and fails naming it.
    assert main(["audit", "verify"]) == 1
    said = capsys.readouterr().out
    assert f"contest {contest}, commission {t.commission_id}: choices.{key} is {right + 5}" in said
    # --repair rebuilds that contest, audited, and the check is clean again.
    code, out = run(capsys, "--repair")
    assert code == 0 and out["mismatches"] == [] and out["repaired"] == [contest]
    rec = Record.objects.get(action="tally.repaired")
    assert rec.subject == contest and rec.payload["mismatches"][0]["stored"] == right + 5
    assert main(["audit", "verify"]) == 0


def test_missing_and_miscounted_rows_are_named(reported):
    contest = reported.contests.get(kind="party_list")
    top = Tally.objects.get(contest=contest, commission_id=contest.commission_id)
    Tally.objects.filter(pk=top.pk).update(stations_reported=2)
    smd = reported.contests.filter(kind="single_member").order_by("id").first()
    Tally.objects.filter(contest=smd).delete()
    found = {(m.contest, m.commission, m.field): (m.stored, m.computed)
             for m in tally_check.check(reported.id).mismatches}
    assert found == {(contest.id, contest.commission_id, "stations_reported"): (2, 3),
                     (smd.id, smd.commission_id, "tally"): (None, 0)}


def test_unknown_election_is_a_usage_error(reported, capsys):
    assert main(["tally", "check", "kz.nothing"]) == 2
    assert "no election 'kz.nothing'" in capsys.readouterr().err


def test_tallies_exist_from_the_structure_and_ensure_is_idempotent(chain_election):
    _, election = chain_election
    contests = list(election.contests.select_related("commission"))
    before = Tally.objects.filter(contest__election=election).count()
    assert before and all(t.stations_reported == 0 for t in Tally.objects.all())
    assert sum(tabulation.ensure_tallies(c) for c in contests) == 0
    Tally.objects.filter(contest=contests[0]).delete()
    assert tabulation.ensure_tallies(contests[0]) > 0
    assert Tally.objects.filter(contest__election=election).count() == before
    assert tally_check.check(election.id).ok


def test_a_protocol_on_a_contest_without_tallies_creates_them(few, crew):
    """A database from before tallies came with the structure: the first protocol makes the
    contest's rows, counting what was already definitive and itself once."""
    election = few
    contest = list_contest(election)
    make_definitive(election, crew, crew.stations[0])
    Tally.objects.filter(contest_id=contest).delete()
    make_definitive(election, crew, crew.stations[1])
    top = Tally.objects.get(contest_id=contest, commission__level="cec")
    assert top.stations_reported == 2
    assert tally_check.check(election.id).ok


def test_structure_import_makes_every_tally(chain_election, tmp_path, monkeypatch, capsys):
    _, election = chain_election
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)
    before = Tally.objects.filter(contest__election=election).count()
    assert main(["structure", "export", election.id, str(tmp_path / "s.json")]) == 0
    assert main(["structure", "import", str(tmp_path / "s.json"), "--replace"]) == 0
    assert Tally.objects.filter(contest__election=election).count() == before > 0
    assert tally_check.check(election.id).ok
