"""`sailau demo` builds the Senate election of 14 January 2023 beside the Mazhilis: each
region's seat a contest whose electorate is its joint session of maslikhat deputies, each
session's protocol typed twice by two of its operators, definitive, signed by the commission's
key (its own, made the day before, as the Mazhilis stations' commissions do), decided under
`kz-senate-2023`, published in the Senate's own folder, its checkpoint cosigned by the demo's
two witnesses, and `sailau verify` passes on that folder; the Mazhilis is built as before."""

import json

import pytest

from sailau.cli import main
from sailau.cli.demo import build
from sailau.demo import extras, senate
from sailau.elections.models import Contest, Election
from sailau.law import get_ruleset
from sailau.protocols import tabulation
from sailau.protocols.models import DataEntry, Protocol, Tally
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import object_path, opened

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(extras, "SCAN_SAMPLE", 4)  # scan images cost ~50 ms each
    monkeypatch.setattr(extras, "VOTERS", 200)


def test_the_demo_builds_reports_publishes_and_verifies_the_senate(capsys):
    mazhilis = build(2023, 60, 50, say=lambda *a, **k: None)
    eid = senate.election_id()
    election = Election.objects.get(pk=eid)
    assert election.kind == "senate" and election.synthetic
    assert mazhilis.id != eid and mazhilis.stations.count() == 60

    doc = senate.structure(2023)
    counts = senate.protocols(doc, 2023)
    contests = list(Contest.objects.filter(election=election).select_related("commission"))
    assert sorted(c.id for c in contests) == sorted(c["id"] for c in doc["contests"])
    assert len(contests) == len(senate.ELECTORS) >= 3
    rules = get_ruleset(senate.RULESET)
    for c in contests:
        assert c.contest_kind is not None and c.contest_kind.office == "senate"
        # its electorate is its one joint session, and that session's protocol is the count
        [session] = [e.station_id for e in c.electorate.all()]
        figures, choices = counts[(session, c.id)]
        protocol = Protocol.objects.get(station_id=session, contest=c, current=True)
        assert (protocol.figures, protocol.choices) == (figures, choices)
        assert protocol.signature and protocol.signed_with  # the commission's signature
        entry = DataEntry.objects.get(station_id=session, contest=c)
        assert entry.state == "definitive"
        assert entry.first_user_id and entry.second_user_id \
            and entry.first_user_id != entry.second_user_id
        tally = Tally.objects.get(contest=c, commission=c.commission)
        assert (tally.stations_reported, tally.stations_expected) == (1, 1)
        assert tabulation.outcome(tally).result == rules.decide(
            {"votes": choices, "invalid": figures["invalid"],
             "registered": figures["voters_on_list"]})

    folder = snapshots.election_dir(eid)
    published = json.loads(opened(object_path(folder, "election.json")))
    assert {c["id"] for c in published["contests"]} == {c.id for c in contests}
    assert all(c["kind"] == "senate" and c["district"] for c in published["contests"])
    log = json.loads((folder / "log" / "log.json").read_text())
    assert len(log["witnesses"]) == 2  # the demo's two witnesses, named for this log too
    capsys.readouterr()
    assert main(["verify", str(folder)]) == 0, capsys.readouterr().out[-3000:]
    # both witnesses' cosignatures of its checkpoint checked
    assert "2 witness cosignatures)" in capsys.readouterr().out
