"""A maslikhat election published: the station page lists every contest the
station votes in, a region's page its maslikhat's list with seats and its districts, the
election page links the maslikhats; at 0 %, part and 100 % reported, with a tie, in kk/ru/en;
the snapshot passes `sailau verify`, and a forged maslikhat protocol fails it."""

import json

import pytest

from sailau.cli import main
from sailau.elections import areas, structure
from sailau.elections.models import Contest, Station
from sailau.protocols import tabulation
from sailau.publish.pipeline import snapshots
from tests.elections import maslikhat as mk
from tests.factories import DefinitiveProtocolFactory, paper
from tests.snapshotfiles import opened, read_manifest

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    e = structure.write(structure.validate(mk.document()))
    tabulation.ensure_election(e.id)
    return e


def _report(numbers, tie=False):
    for s in Station.objects.filter(election_id=mk.E, number__in=numbers):
        for c in areas.contests_of(s).select_related("commission"):
            fig = cho = None
            if c.kind == Contest.SINGLE_MEMBER:
                # Station 2 alone elects D1B: with `tie`, a tie; elsewhere "a" wins.
                votes = {"a": 290, "b": 290 if tie and c.commission_id == mk.D1B else 250}
                fig, cho = paper(c, s, {**votes, "against_all": 10})
            DefinitiveProtocolFactory(station=s, contest=c, figures=fig, choices=cho)


def _page(client, lang, path) -> str:
    r = client.get(f"/{lang}/e/{mk.E}/{path}")
    assert r.status_code == 200, path
    return r.content.decode()


def test_region_page_at_0_part_and_100_percent_with_a_tie(client, election):
    t1 = f"c/{mk.T1}/"
    names = {c.id: c.name("ru") for c in Contest.objects.filter(election_id=mk.E)}
    html = _page(client, "ru", t1)  # 0 %: both lists, nothing reported, no district elected
    assert names[mk.LIST] in html and names[mk.T1_LIST] in html
    assert "Одномандатные округа маслихата" in html and html.count(f"/ru/e/{mk.E}/c/{mk.E}.smd.t1") == 2
    assert "Избран" not in html
    _report([1])  # part
    html = _page(client, "kk", t1)
    assert "Мәслихаттың бір мандатты округтері" in html
    _report([2, 3], tie=True)  # 100 %, D1B tied
    html = _page(client, "en", t1)
    assert "Elected" in html and "Single-member districts of the maslikhat" in html
    # The maslikhat's seats by its rule set: 4 list seats, shown on the region's page.
    seats = tabulation.outcome(election.contests.get(id=mk.T1_LIST).tallies.get(
        commission_id=mk.T1)).to_json()["result"]["seats"]
    assert sum(seats.values()) == 4
    html = _page(client, "en", f"c/{mk.D1}/")  # the district maslikhat: the tie, unbroken
    assert "Tie" in html
    # Region T2 elects no maslikhat: its page has the Mazhilis list only.
    html = _page(client, "ru", f"c/{mk.T2}/")
    assert names[mk.T1_LIST] not in html and "Одномандатные округа маслихата" not in html


def test_station_page_lists_every_contest_it_votes_in(client, election):
    _report([1])
    s1 = Station.objects.get(election_id=mk.E, number=1)
    for lang in ("kk", "ru", "en"):
        html = _page(client, lang, "s/1/")
        for c in areas.contests_of(s1):
            assert c.name(lang) in html, (lang, c.id)
        for smd in (mk.M1, mk.T1A, mk.D1A):  # the districts it votes in, linked
            assert f"/{lang}/e/{mk.E}/c/{smd}/" in html
    html = _page(client, "kk", "s/4/")
    assert Contest.objects.get(id=mk.T1_LIST).name("kk") not in html


def test_election_page_links_the_maslikhats(client, election):
    html = _page(client, "kk", "")
    assert "Мәслихаттар сайлауы" in html
    section = html.split("Мәслихаттар сайлауы")[1].split("</section>")[0]
    assert f"/kk/e/{mk.E}/c/{mk.T1}/" in section and f"/kk/e/{mk.E}/c/{mk.D1}/" in section
    assert f"/kk/e/{mk.E}/c/{mk.T2}/" not in section
    # The national districts table keeps the Mazhilis's district, not the maslikhats'.
    assert f"/kk/e/{mk.E}/c/{mk.M1}/" in html
    assert f"/kk/e/{mk.E}/c/{mk.T1A}/" not in html


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the structure is imported: its signing keys are sealed under it."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def test_snapshot_of_a_maslikhat_election_verifies_and_a_forgery_fails(
        data_dir, election, tmp_path, capsys):
    _report([1, 2])
    snapshots.publish(mk.E)
    folder = snapshots.election_dir(mk.E)
    assert main(["verify", str(folder), "--json"]) == 0, capsys.readouterr().out[:2000]
    report = json.loads(capsys.readouterr().out)
    assert report["held"]["totals"] > 0 and report["held"]["outcomes"] > 0
    manifest = read_manifest(folder)
    assert f"contests/{mk.T1_LIST}/district.csv" in manifest["files"]
    assert f"contests/{mk.T1_LIST}/territorial.csv" in manifest["files"]
    # +100 votes in the regional maslikhat's list at station 1: its region and district no
    # longer add up.
    from tests.verify.test_verify import _copy, _object, _rewrite

    forged = _copy(folder, tmp_path, "forged")
    doc = json.loads(opened(_object(forged, "stations/1.json")))
    part = next(p for p in doc["contests"] if p["contest"] == mk.T1_LIST)
    part["protocol"]["choices"]["auyl"] += 100
    _rewrite(forged, "stations/1.json", snapshots._dumps(doc))
    assert main(["verify", str(forged), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    first = report["first_failure"]
    # Against the published log the station file is named first (it differs from its leaf);
    # the maslikhat list's total that no longer adds up is named too.
    assert first["check"] == "log" and "stations/1" in json.dumps(first)
    failures = json.dumps(report)
    assert mk.T1_LIST in failures
