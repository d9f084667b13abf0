"""`sailau audit verify` checks the audit chain, then the published snapshots."""

import pytest

from sailau.cli import main
from sailau.elections.models import Election
from sailau.publish.pipeline import snapshots
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


def test_a_publication_behind_the_database_is_said_truly(published, small_election, capsys):
    """Records written after the latest publication: when none is this election's, the check
    does not say that its protocols arrive; when some are, it says how many and what."""
    from sailau import audit

    eid = small_election.id
    audit.append("system", "complaint.decided", "complaint/1")
    audit.append("system", "protocol.published", "kz.other.2023-01-14.pec.03/x")
    # its second round's id begins with its own: that round's records are not this one's
    Election.objects.create(id=f"{eid}.round2", kind="president", date=small_election.date,
                            names={"kk": "Екінші тур"})
    audit.append("system", "entry.finalised", f"{eid}.round2.pec.0001/x")
    main(["audit", "verify"])
    out = capsys.readouterr().out
    assert "while protocols arrive" not in out
    assert (f"snapshots: {eid}: the latest publication was made at audit record "
            f"{published['audit']['seq']}") in out
    assert ("none of the 3 records since names this election (complaint.decided 1, "
            "protocol.published 1, entry.finalised 1: other elections' records") in out, out
    station = small_election.stations.order_by("number").first()
    audit.append("system", "scan.upload", f"{station.id}/x")
    main(["audit", "verify"])
    out = capsys.readouterr().out
    assert "1 of the 4 records since are this election's (scan.upload 1)" in out, out


def test_a_publication_made_after_the_database_was_read_is_said_so():
    """The publisher writing while the check reads: its latest publication's audit record is
    past the one the check read the database at. Said as such, not as "none of the 0 records
    since"."""
    from sailau.cli.audit_snapshots import _behind

    said = _behind("kz.x.2023-03-19", 3464, 3462)
    assert "was made after the database was read (record 3462)" in said
    assert "0 records" not in said
