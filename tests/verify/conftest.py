"""What the verifier's tests share: the small election published as the server publishes it."""

import pytest

from sailau.publish.pipeline import snapshots


@pytest.fixture
def published(small_election, tmp_path, monkeypatch):
    """The snapshot folder of `small_election`, published into a data directory of the test's."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    snapshots.publish(small_election.id)
    return snapshots.election_dir(small_election.id)
