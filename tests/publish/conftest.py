from pathlib import Path

import pytest

NIST_SCHEMA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "nist"
               / "NIST_V2_election_results_reporting.json")


@pytest.fixture
def snapshot_dir(tmp_path, monkeypatch):
    """Snapshots written under a fresh SAILAU_DATA_DIR for each test."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    return tmp_path / "snapshots"
