import json

import pytest

from sailau.cli import main

from .conftest import data_file, synthetic_election, write_csv

COLUMNS = "station=id,registered=N,ballots=cast,leader=winner"


def run(capsys, *argv):
    code = main(["forensics", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_report_on_a_stuffed_election(tmp_path, capsys):
    e = synthetic_election(n=4000, stuffed=0.1, seed=11)
    path = write_csv(tmp_path / "e.csv", e)
    code, rep, _ = run(capsys, path, "--format", "csv", "--columns", COLUMNS, "--group-by", "region",
                       "--plots", tmp_path / "plots", "--stations", tmp_path / "st.csv", "--resamples", "200")
    assert code == 0
    ip = rep["integer_percentages"]
    assert set(ip) >= {"stations_kept", "observed", "expected", "excess", "sd", "z"}
    assert set(rep["second_digit"]["groups"]) == {"R0", "R1", "R2", "R3"}
    assert set(rep["second_digit"]["all"]) >= {"mean", "n", "ci"}
    assert rep["klimek"]["f_i"] + rep["klimek"]["f_e"] > 0.04
    assert rep["klimek"]["flagged_stations"] > 0 and rep["excess_votes"]["excess"] > 0
    assert (tmp_path / "plots" / "fingerprint.png").exists()
    assert (tmp_path / "plots" / "fingerprint-R0.png").exists()
    header = (tmp_path / "st.csv").read_text().splitlines()[0].split(",")
    assert {"station", "turnout", "leader_share", "integer_share", "fraud_probability", "flagged"} <= set(header)


def test_bad_input_exits_2_naming_the_field(tmp_path, capsys):
    path = tmp_path / "e.csv"
    path.write_text("id,N,cast\n1,100,50\n")
    code, _, err = run(capsys, path, "--format", "csv", "--columns", COLUMNS)
    assert code == 2 and "'winner'" in err
    code, _, err = run(capsys, path, "--format", "csv", "--columns", "bogus=N")
    assert code == 2 and "unknown role 'bogus'" in err
    code, _, err = run(capsys, tmp_path / "nope.csv")
    assert code == 2 and "file not found" in err


def test_unusable_stations_are_listed_in_the_report(tmp_path, capsys):
    e = synthetic_election(n=300, seed=12)
    path = write_csv(tmp_path / "e.csv", e)
    lines = path.read_text().splitlines()
    lines[5] = lines[5].split(",")[0] + ",R1,0,0,0"  # zero registered
    lines[9] = ",".join(lines[9].split(",")[:3]) + ",lots,1"  # text in 'cast'
    path.write_text("\n".join(lines) + "\n")
    code, rep, _ = run(capsys, path, "--format", "csv", "--columns", COLUMNS, "--resamples", "50")
    assert code == 0
    src = rep["source"]
    assert src["stations_unusable"] == 2 and src["stations_used"] == 298
    assert [u["row"] for u in src["unusable"]] == [6, 10]
    assert src["problems"] == [{"row": 10, "column": "cast", "value": "lots",
                                "message": "text where a number should be"}]


@pytest.mark.slow
def test_clean_canadian_control_shows_no_anomaly(capsys):
    path = data_file("control", "canada2011.csv.gz")
    code, rep, _ = run(capsys, path, "--format", "csv", "--columns",
                       "registered=N,ballots=turnout,leader=votes")
    assert code == 0
    assert abs(rep["integer_percentages"]["z"]) < 3
    assert rep["klimek"]["f_e"] < 0.01 and rep["klimek"]["flagged_stations"] < 0.001 * rep["totals"]["stations"]
    assert abs(rep["excess_votes"]["excess"]) < 0.05 * rep["totals"]["leader_votes"]
    assert abs(rep["sobyanin_sukhovolsky"]["leader_slope_minus_share"]) < 0.15


@pytest.mark.slow
def test_russia_2011_report_shows_the_known_anomalies(capsys):
    code, rep, _ = run(capsys, data_file("russia", "2011.csv.zip"), "--leader", "ЕДИНАЯ РОССИЯ",
                       "--group-by", "region")
    assert code == 0
    assert rep["integer_percentages"]["z"] > 5
    assert rep["klimek"]["f_i"] > 0.3 and rep["klimek"]["f_e"] > 0.01
    assert rep["excess_votes"]["excess"] > 5_000_000
    assert rep["sobyanin_sukhovolsky"]["leader_slope"] > 1
    assert len(rep["groups"]) > 80
