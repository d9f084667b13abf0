"""A Senate election end to end: its structure imported (each region's seat a contest whose one
station is the joint session of the maslikhat deputies, listed as its electorate), the
sessions' protocols entered twice, the outcome under `kz-senate-2023`, the pages, and the
published snapshot that `sailau verify` checks."""

import pytest

from sailau.cli import main
from sailau.demo import senate
from sailau.elections import structure
from sailau.elections.models import Contest, Station
from sailau.law import get_ruleset
from sailau.protocols import services, tabulation
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Tally
from sailau.publish.pipeline import snapshots
from tests.chain_fixtures import People

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the election is loaded: its commissions' signing keys live there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def test_a_senate_election_is_imported_counted_published_and_verified(data_dir, client, capsys):
    doc = senate.structure(seed=5)
    election = structure.write(structure.validate(doc))
    tabulation.ensure_election(election.id)
    people = People(election)
    stations = {s.id: s for s in Station.objects.filter(election=election)}
    counts = senate.protocols(doc, seed=5)
    for (sid, cid), (figures, choices) in sorted(counts.items()):
        form = Catalog().contest(cid).form
        acks = [f.code for f in form.check(figures, choices) if f.severity == "warning"]
        for n in (1, 2):
            res = services.finalise(people.operator(stations[sid]), sid, cid, n, figures,
                                    choices, acks)
        assert res.state == "definitive"

    rules = get_ruleset("kz-senate-2023")
    statuses = set()
    for c in Contest.objects.filter(election=election).select_related("commission"):
        # Its one station, the joint session: no other station of the region counts in it.
        assert [e.station_id for e in c.electorate.all()] == [
            s for (s, k) in counts if k == c.id]
        tally = Tally.objects.get(contest=c, commission=c.commission)
        figures, choices = next(v for (s, k), v in counts.items() if k == c.id)
        assert (tally.stations_reported, tally.stations_expected) == (1, 1)
        got = tabulation.outcome(tally).result
        want = rules.decide({"votes": choices, "invalid": figures["invalid"],
                             "registered": figures["voters_on_list"]})
        assert got == want and got.registered == figures["voters_on_list"]
        statuses.add("elected" if got.elected else "runoff")
    assert statuses  # each seat decided, or sent to a repeat vote, by the rule set

    page = client.get(f"/en/e/{election.id}/")
    assert page.status_code == 200
    body = page.content.decode()
    for c in doc["contests"]:
        assert c["name_en"] in body

    snapshots.publish(election.id)
    assert main(["verify", str(snapshots.election_dir(election.id))]) == 0, \
        capsys.readouterr().out[-3000:]
