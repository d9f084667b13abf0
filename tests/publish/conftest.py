from pathlib import Path

import pytest

# NIST SP 1500-100 v2's JSON schema, kept with the tests (tests/vendor/nist/README.md)
NIST_SCHEMA = (Path(__file__).resolve().parents[1] / "vendor" / "nist"
               / "NIST_V2_election_results_reporting.json")


@pytest.fixture
def snapshot_dir(tmp_path, monkeypatch):
    """Snapshots written under a fresh SAILAU_DATA_DIR for each test, with a national lane
    that has spent nothing of its byte budget yet: the budget is kept per election id, which
    every test's small election shares (a test run after others found it spent, and its lane
    left tables stale)."""
    from sailau.publish.pipeline import national_lane

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(national_lane, "_BUDGETS", {})
    return tmp_path / "snapshots"
