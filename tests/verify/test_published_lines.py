"""Every line of the protocol form reaches the published tables, and `sailau verify` holds the
tables to the station files line by line: a protocol whose optional line 13 (valid ballots) was
typed, or a referendum's ballots marked both yes and no, passes as published."""

import csv
import io

import pytest

from sailau.cli import main
from sailau.elections.models import Choice, Commission, Contest, Station
from sailau.law.forms import LINES
from sailau.publish.pipeline import snapshots
from tests.chain_fixtures import People, enter_twice
from tests.snapshotfiles import opened, read_manifest

pytestmark = pytest.mark.django_db


def _referendum(election) -> Contest:
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    ref = Contest.objects.create(id=f"{election.id}.ref", election=election, kind="referendum",
                                 ruleset="kz-referendum-2022", seats=0, commission=cec,
                                 names={"kk": "Референдум", "en": "Referendum"})
    for i, key in enumerate(["yes", "no"]):
        Choice.objects.create(contest=ref, key=key, order=i, names={"kk": key, "en": key})
    from sailau.elections import electorate, logged

    electorate.fill(election.id)  # who votes in it, as a structure import writes it
    logged.write_change(election.id, "a referendum added")  # the published log says so
    return ref



def _table(folder, name) -> tuple[list[str], dict[str, dict]]:
    m = read_manifest(folder)
    body = opened(folder / "objects" / f"{m['files'][name]['sha256']}.csv").decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    return body.splitlines()[0].split(","), {r["station_id"]: r for r in rows}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the election is loaded: its commissions' signing keys live there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def test_typed_line_13_and_both_marked_are_published_and_verify(data_dir, small_election,
                                                                capsys):
    people = People(small_election)
    station = Station.objects.filter(election=small_election).order_by("number").first()
    ref = _referendum(small_election)
    voters = station.registered
    figures = {"voters_on_list": voters, "ballots_received": voters, "issued_in_room": 600,
               "issued_mobile": 0, "issued_absentee": 0, "cancelled": voters - 600, "lost": 0,
               "found_stationary": 600, "found_mobile": 0, "mobile_requests": 0, "invalid": 5,
               "both_marked": 3, "valid": 592}  # line 13 typed: 400 yes + 192 no
    enter_twice(people, station, ref.id, figures, {"yes": 400, "no": 192})

    snapshots.publish(small_election.id)
    folder = snapshots.election_dir(small_election.id)
    assert main(["verify", str(folder)]) == 0, capsys.readouterr().out[-2000:]

    header, rows = _table(folder, f"contests/{ref.id}/stations.csv")
    # every line of the law's form is a column, in the form's order
    assert header[3:3 + len(LINES)] == list(LINES)
    row = rows[station.id]
    assert {k: int(row[k]) for k in figures} == figures
    assert (row["both_marked"], row["valid"], row["yes"], row["no"]) == ("3", "592", "400", "192")
    # a protocol without line 13 has an empty cell there, not a zero
    party_list = small_election.contests.get(kind="party_list")
    _, rows = _table(folder, f"contests/{party_list.id}/stations.csv")
    assert rows and all(r["both_marked"] == "" for r in rows.values())


def test_the_verifier_names_the_line_a_table_leaves_out_or_gets_wrong():
    """Held to the station file line by line: a line with no column in the table is named as
    such (a table from before every line was published), a wrong figure by its line."""
    from sailau.verify.report import Report
    from sailau.verify.totals import _csv_rows, _station_table

    head = ("station_id,region,district,voters_on_list,invalid,valid,number,version,region_ru,"
            "region_en,district_ru,district_en,yes,no\n")
    current = {("s1", "c"): {"version": 1, "choices": {"yes": 400, "no": 192},
                             "figures": {"voters_on_list": 1000, "invalid": 5, "valid": 592,
                                         "both_marked": 3}}}

    def check(header, row):
        report = Report("t")
        lines, rows = _csv_rows(header + row)
        _station_table("stations.csv", "c", rows, current, report, lines)
        return [f.message for f in report.failures]

    assert check(head, "s1,R,D,1000,5,592,1,1,R,R,D,D,400,192\n") == [
        "line both_marked of the station file has no column in the table"]
    head = head.replace(",valid,", ",valid,both_marked,")
    assert check(head, "s1,R,D,1000,5,592,3,1,1,R,R,D,D,400,192\n") == []
    assert check(head, "s1,R,D,1000,5,591,3,1,1,R,R,D,D,400,192\n") == [
        "figures differ from the station file (valid: 591 in the table, 592 in the station file)"]
