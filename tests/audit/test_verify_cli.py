"""`sailau audit verify` checks the audit chain, then the published snapshots."""

import pytest

from sailau.cli import main
from sailau.publish import snapshots
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(small_election, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)  # the test db is set up
    return snapshots.publish(small_election.id)


def test_intact_chain_and_snapshots_exit_zero(published, small_election, capsys):
    assert main(["audit", "verify"]) == 0
    assert (f"snapshots: the published snapshots of {small_election.id} match the database"
            in capsys.readouterr().out)


def test_a_tampered_snapshot_object_is_named(published, small_election, capsys):
    entry = published["files"]["commissions/" + small_election.contests.get(
        kind="party_list").commission_id + ".json"]
    path = snapshots.election_dir(small_election.id) / "objects" / f"{entry['sha256']}.json"
    path.write_bytes(opened(path).replace(b'"stations_reported":', b'"stations_reported": ',
                                               1))
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"{small_election.id}: commissions/" in out and "does not match its hash" in out
