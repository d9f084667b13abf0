"""`sailau pvt estimate --sample/--strata/--official`: the site's estimator on plain files, with
no database; every bad file named with its line and column, exit status 2."""

import json
import subprocess
import sys

import numpy as np
import pytest

from sailau.analysis import pvt
from sailau.analysis.pvt_files import PvtFileError, estimate_files
from sailau.cli import main

SAMPLE = ("station,stratum,counted,A,B,ballots,voters\n"
          "s1,north,100,60,38,101,150\ns2,north,200,110,85,200,260\n"
          "s3,south,150,50,95,152,300\ns4,south,120,40,78,120,200\n")
STRATA = "stratum,stations\nnorth,10\nsouth,20\nwest,5\n"
OFFICIAL = {"shares": {"A": 0.10, "B": 0.58}, "turnout": 0.6}


@pytest.fixture
def files(tmp_path):
    def write(sample=SAMPLE, strata=STRATA, official=OFFICIAL):
        (tmp_path / "sample.csv").write_text(sample, encoding="utf-8")
        (tmp_path / "strata.csv").write_text(strata, encoding="utf-8")
        (tmp_path / "official.json").write_text(
            official if isinstance(official, str) else json.dumps(official), encoding="utf-8")
        return tmp_path / "sample.csv", tmp_path / "strata.csv", tmp_path / "official.json"
    return write


def test_same_estimator_as_the_site(files):
    out = estimate_files(*files())
    site = pvt.estimate(np.array([[60, 38], [110, 85], [50, 95], [40, 78]]),
                        np.array([100, 200, 150, 120]), ["A", "B"],
                        ["north", "north", "south", "south"], {"north": 10, "south": 20, "west": 5},
                        ballots=np.array([101, 200, 152, 120]), voters=np.array([150, 260, 300, 200]))
    assert out["estimate"] == site.to_json()
    assert out["estimate"]["strata"]["west"] == {"stations": 5, "reported": 0}
    rows = {r["key"]: r for r in out["comparison"]}
    # 0.10 is far below ~0.42 (four stations, two per stratum: the intervals are wide)
    assert rows["A"]["flagged"] and rows["A"]["status"] == "outside99"
    assert set(rows) == {"A", "B", "turnout"}


def test_cli_on_files_needs_no_database(files, tmp_path):
    sample, strata, official = files()
    code = ("import sys, django.apps; from sailau.cli import main; "
            f"rc = main(['pvt', 'estimate', '--sample', {str(sample)!r}, '--strata', {str(strata)!r}, "
            f"'--official', {str(official)!r}]); "
            "assert not django.apps.apps.ready, 'Django was set up'; sys.exit(rc)")
    env = {"PATH": "/usr/bin:/bin", "SAILAU_DATA_DIR": str(tmp_path / "nowhere"),
           "SAILAU_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none"}
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["estimate"]["reported"] == 4
    assert not (tmp_path / "nowhere").exists()


BAD = [  # (which file, its text, what the message must name)
    ("sample", "station,stratum,counted,A\ns1,north,100,6x0\n", "sample.csv, line 2, column 'A': '6x0' is not a whole number"),
    ("sample", "station,stratum,counted,A\ns1,north,100,-1\n", "line 2, column 'A': -1 is negative"),
    ("sample", "station,stratum,counted,A\ns1,north,100,\n", "line 2, column 'A': empty cell"),
    ("sample", "station,stratum,counted,A\ns1,north,100,101\n", "line 2, column 'counted': the votes for the choices add up to 101"),
    ("sample", "station,stratum,counted,A\ns1,east,100,10\n", "line 2, column 'stratum': stratum 'east' is not in"),
    ("sample", "station,stratum,counted,A\ns1,north,100,10\ns1,north,90,10\n", "line 3, column 'station': station 's1' is already on line 2"),
    ("sample", "station,stratum,counted,A\ns1,north,100\n", "line 2: 3 cells, the header has 4"),
    ("sample", "station,counted,A\ns1,100,10\n", "no 'stratum' column"),
    ("sample", "station,stratum,counted\ns1,north,100\n", "no choice columns"),
    ("sample", "station,stratum,counted,A,A\n", "column 'A': this column appears twice"),
    ("sample", "", "empty: a header line is needed"),
    ("sample", "station,stratum,counted,A\n", "no sample stations"),
    ("sample", "station,stratum,counted,A,ballots,voters\ns1,north,100,10,120,100\n", "line 2, column 'ballots': 120 ballots issued but 100 voters"),
    ("strata", "stratum,stations\nnorth,10\nnorth,3\n", "strata.csv, line 3, column 'stratum': stratum 'north' is listed twice"),
    ("strata", "stratum,stations\nnorth,ten\n", "strata.csv, line 2, column 'stations': 'ten' is not a whole number"),
    ("strata", "stratum,stations\nnorth,1\nsouth,20\n", "sample.csv, line 3, column 'stratum': more sample stations in stratum 'north' than the 1"),
    ("strata", "region,n\nnorth,1\n", "no 'stratum' column"),
    ("official", "{not json", "official.json, line 1: not valid JSON"),
    ("official", {"shares": {"A": "0.4"}}, "shares.A: '0.4' is not a number"),
    ("official", {"shares": {"A": 1.4}}, "shares.A: 1.4 is not a share between 0 and 1"),
    ("official", {"shares": {"C": 0.4}}, "shares.C: no such choice column"),
    ("official", [1, 2], 'expected {"shares"'),
]


@pytest.mark.parametrize("which,text,message", BAD)
def test_bad_files_are_named_with_line_and_column(files, capsys, which, text, message):
    paths = files(**{which: text})
    with pytest.raises(PvtFileError) as err:
        estimate_files(*paths)
    assert message in str(err.value)
    rc = main(["pvt", "estimate", "--sample", str(paths[0]), "--strata", str(paths[1]),
               "--official", str(paths[2])])
    captured = capsys.readouterr()
    assert rc == 2 and message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_missing_file_and_bad_arguments(files, capsys, tmp_path):
    sample, strata, _ = files()
    assert main(["pvt", "estimate", "--sample", str(tmp_path / "no.csv"), "--strata", str(strata)]) == 2
    assert "no.csv: no such file" in capsys.readouterr().err
    assert main(["pvt", "estimate", "--sample", str(sample)]) == 2
    assert "--strata FILE.csv are both needed" in capsys.readouterr().err
    assert main(["pvt", "estimate", "3", "--sample", str(sample), "--strata", str(strata)]) == 2
    assert "not both" in capsys.readouterr().err
    (tmp_path / "latin1.csv").write_bytes("station,stratum,counted,Ä\n".encode("latin-1"))
    assert main(["pvt", "estimate", "--sample", str(tmp_path / "latin1.csv"), "--strata", str(strata)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
