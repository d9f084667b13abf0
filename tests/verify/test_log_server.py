"""`sailau verify` and `sailau witness` on what the server publishes (the ledger's log beside
the snapshot files): the honest publication passes, a witness cosigns it through the API, and
the reader then requires that cosignature."""

import json

import pytest

from sailau.cli import main
from sailau.publish import snapshots

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(small_election, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    snapshots.publish(small_election.id)
    return snapshots.election_dir(small_election.id)


def test_the_servers_publication_passes(published, tmp_path, capsys):
    assert (published / "log" / "checkpoint").exists()
    state = tmp_path / "reader"
    status = main(["verify", str(published), "--state", str(state), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0, report["failures"][:5]
    assert report["held"]["signatures"] > 0 and report["held"]["totals"] > 0
    assert report["held"]["log"] > 0
    # One station with its proof.
    station = next(p for p in json.loads((published / "manifest.json").read_text())["files"]
                   if p.startswith("stations/"))
    number = station.removeprefix("stations/").removesuffix(".json")
    assert main(["verify", str(published), "--station", number, "--state", str(state)]) == 0
