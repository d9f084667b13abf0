"""`sailau candidates signatures`: a presidential nominee's sheets against the election's voter
lists, regions as the territorial commissions, JSON out, exit 2 on bad input."""

import datetime as dt
import json

import pytest

from sailau.cli import main
from sailau.elections import electorate
from sailau.elections.models import Candidate, Contest
from sailau.register.iin import make_iin
from sailau.voters.models import ListEntry, Voter
from tests import factories as f


@pytest.fixture
def president(db, monkeypatch):
    """Three regions of 100 registered voters each; four voters on the lists (two in the first
    region, one in the second, one not eligible) and a nominee."""
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda **kw: None)
    election = f.ElectionFactory(kind="president", date=dt.date(2022, 11, 20))
    first = f.StationFactory(election=election, registered=100)
    stations = [first] + [f.StationFactory(election=election, registered=100) for _ in range(2)]
    contest = Contest.objects.create(id=f"{election.id}.president", election=election,
                                     kind="president", ruleset="kz-president-2022",
                                     commission=first.territory.parent, names={"kk": "Президент"})
    electorate.fill(election.id)
    Candidate.objects.create(id=f"{contest.id}.c1", contest=contest, full_name="Үміткер Бір")
    iins = {}
    for i, (station, ok) in enumerate([(stations[0], True), (stations[0], True),
                                       (stations[1], True), (stations[0], False)]):
        iin = make_iin(dt.date(1970, 1, 1 + i), "M", 10 + i) or make_iin(dt.date(1970, 1, 1 + i),
                                                                          "M", 50 + i)
        v = Voter.objects.create(iin=iin, last_name="А", first_name="Б",
                                 birth_date=dt.date(1970, 1, 1 + i), sex="M", citizenship="KAZ",
                                 region="-", locality="-")
        ListEntry.objects.create(election=election, voter=v, home_station=station,
                                 station=station, eligible=ok, state="on_list")
        iins[i] = iin
    return election, stations, iins


def sheets(tmp_path, *rows):
    path = tmp_path / "s.csv"
    path.write_text("sheet,line,voter,region,date\n" + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return str(path)


def run(capsys, election, path, *extra):
    code = main(["candidates", "signatures", path, "--election", election.id,
                 "--candidate", f"{election.id}.president.c1", *extra])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if code == 0 else out.err)


def test_reasons_threshold_and_spread(president, tmp_path, capsys):
    election, stations, iins = president
    t0, t1 = stations[0].territory_id, stations[1].territory_id
    path = sheets(tmp_path, f"1,1,{iins[0]},{t0},2022-10-10", f"1,2,{iins[1]},{t0},2022-10-10",
                  f"1,3,{iins[0]},{t0},2022-10-11",  # the same voter again
                  f"2,1,{iins[2]},{t0},2022-10-10",  # lives in the second region
                  f"2,2,{iins[3]},{t0},2022-10-10",  # not eligible
                  f"2,3,{iins[0][:11]}{(int(iins[0][11]) + 1) % 10},{t0},2022-10-10",
                  f"2,4,999999,{t1},2022-10-10")  # no such register id
    code, r = run(capsys, election, path)
    assert code == 0
    assert {x["code"]: x["count"] for x in r["findings"]} == {
        "invalid_iin": 1, "not_on_register": 1, "not_eligible": 1, "outside_region": 1,
        "duplicate": 1}
    assert (r["valid"], r["registered_voters"], r["required"]) == (2, 300, 3)
    assert (r["meets_threshold"], r["regions_required"], r["regions_represented"]) == (False, 2, 1)
    path = sheets(tmp_path, f"1,1,{iins[0]},{t0},2022-10-10", f"1,2,{iins[1]},{t0},2022-10-10",
                  f"1,3,{iins[2]},{t1},2022-10-10")
    code, r = run(capsys, election, path)
    assert (r["valid"], r["meets_threshold"], r["meets_spread"], r["meets"]) == (3, True, True,
                                                                                True)
    assert r["sample"]["lines"] == 3 and r["sample"]["projected_valid"] == 3


def test_bad_input_and_unknown_nominee(president, tmp_path, capsys):
    election, stations, iins = president
    code, err = run(capsys, election, sheets(tmp_path, f"1,1,{iins[0]},Марс,2022-10-10"))
    assert code == 2 and "row 2, column region" in err
    code, err = run(capsys, election, sheets(tmp_path, f"1,1,{iins[0]},{stations[0].territory_id}"
                                                       ",2022-11-21"))
    assert code == 0 and err["findings"][0]["code"] == "outside_period"
    code = main(["candidates", "signatures", sheets(tmp_path), "--election", election.id,
                 "--candidate", "nobody"])
    assert code == 2 and "no such presidential nominee" in capsys.readouterr().err
