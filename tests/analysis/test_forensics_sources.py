import io
import zipfile

import pytest

from sailau.analysis.sources import (
    SourceError,
    classify_izbirkom_column,
    load,
    parse_column_mapping,
    read_izbirkom,
)

from .conftest import DATA

MAPPING = {"station": "id", "registered": "N", "ballots": "cast", "leader": "winner"}


def _csv(tmp_path, text, name="x.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_cells_are_reported_by_row_and_column(tmp_path):
    p = _csv(tmp_path, "id,N,cast,winner\nA,100,50,20\nB,abc,50,20\nC,0,0,0\nD,100,150,20\nE,100,,3\nF,100,60,70\nG,100,-1,0\n")
    s = load(p, "csv", MAPPING)
    assert list(s.station_ids) == ["A"]
    by_station = {u["station"]: u for u in s.unusable}
    assert by_station["B"] == {"row": 3, "station": "B", "reason": "N: text where a number should be"}
    assert by_station["C"]["reason"] == "registered: zero voters on the list"
    assert by_station["D"]["reason"] == "ballots: more ballots cast than voters on the list"
    assert by_station["E"]["reason"] == "cast: missing value"
    assert by_station["F"]["reason"].startswith("leader: more votes")
    assert by_station["G"]["reason"] == "cast: negative count"
    assert {(q["row"], q["column"]) for q in s.problems} == {(3, "N"), (6, "cast"), (8, "cast")}
    assert s.source["stations_read"] == 7 and s.source["stations_unusable"] == 6


def test_missing_columns_and_bad_mapping_name_the_field(tmp_path):
    p = _csv(tmp_path, "id,N,cast\nA,100,50\n")
    with pytest.raises(SourceError, match="'winner'"):
        load(p, "csv", MAPPING)
    with pytest.raises(SourceError, match="'ballots' is required"):
        load(p, "csv", {"registered": "N"})
    with pytest.raises(SourceError, match="unknown role 'votes'"):
        parse_column_mapping("votes=x")
    with pytest.raises(SourceError, match="sailau format: missing column"):
        load(p, "sailau")


def test_generic_csv_without_leader_and_valid_invalid(tmp_path):
    p = _csv(tmp_path, "N;cast;valid;bad\n1000;500;490;10\n800;400;395;5\n")
    s = load(p, "csv", {"registered": "N", "ballots": "cast", "valid": "valid", "invalid": "bad"})
    assert s.leader_votes is None and s.counted.tolist() == [500, 400]
    assert s.station_ids.tolist() == ["1", "2"]


def test_izbirkom_layout_from_a_zip(tmp_path):
    header = ('region,tik,uik,"Число избирателей, включенных в список избирателей",'
              '"Число избирательных бюллетеней, полученных участковой избирательной комиссией",'
              '"Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",'
              '"Число избирательных бюллетеней, выданных в помещении для голосования в день голосования",'
              '"Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования",'
              'Число недействительных избирательных бюллетеней,Число действительных избирательных бюллетеней,'
              '"1. Партия ""А""",Иванов Иван,url\n')
    rows = "R,T,1,1000,900,5,500,20,3,522,300,222,http://x\nR,T,2,1000,900,0,400,0,4,396,100,296,http://y\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("e.csv", header + rows)
    p = tmp_path / "e.csv.zip"
    p.write_bytes(buf.getvalue())
    s = read_izbirkom(p, leader='Партия "А"')
    assert s.leader == '1. Партия "А"'
    assert s.ballots.tolist() == [525, 400] and s.counted.tolist() == [525, 400]
    assert s.leader_votes.tolist() == [300, 100]
    assert read_izbirkom(p).leader == "Иванов Иван"  # default: most votes
    assert s.station_ids.tolist() == ["R / T / 1", "R / T / 2"]
    with pytest.raises(SourceError, match="matches 0"):
        read_izbirkom(p, leader="Петров")


def test_sailau_download_layout(tmp_path):
    # Every line of the form (both_marked and valid empty where the protocol has none), the
    # names, then the choices: a line is never taken for a choice.
    head = ("station_id,region,district,voters_on_list,ballots_received,issued_in_room,issued_mobile,"
            "issued_absentee,cancelled,lost,found_stationary,found_mobile,mobile_requests,invalid,"
            "both_marked,valid,number,version,region_ru,region_en,district_ru,district_en,"
            "amanat,auyl,against_all\n")
    names = "1,1,Алматы,Almaty,Д1,D1"
    p = _csv(tmp_path, head + f"KZ-1,Almaty,D1,1000,1000,500,20,5,475,0,505,20,20,5,,520,{names},400,100,20\n"
                              f"KZ-2,Almaty,D1,900,900,300,0,0,600,0,300,0,0,10,,,{names},100,150,40\n")
    s = load(p, "sailau", group_by="district")
    assert s.leader == "amanat" and s.ballots.tolist() == [525, 300]
    assert s.counted.tolist() == [525, 300] and s.territories["district"].tolist() == ["D1", "D1"]
    assert sorted(s.choices) == ["against_all", "amanat", "auyl"]


@pytest.mark.parametrize("year", ["2004", "2007", "2008", "2011", "2012", "2016", "2018", "2020", "2021", "2024"])
def test_every_russian_header_is_understood(year):
    import csv

    path = DATA / "russia" / f"{year}.csv.zip"
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    with zipfile.ZipFile(path) as z, z.open(z.namelist()[0]) as f:
        header = next(csv.reader(io.TextIOWrapper(f, encoding="utf-8")))
    roles = [classify_izbirkom_column(c) for c in header]
    assert roles.count("registered") == 1
    assert roles.count("issued") == (1 if year == "2020" else 3)
    assert roles.count("invalid") == 1 and roles.count("valid") == (0 if year == "2020" else 1)
    assert roles.count(None) >= 2  # candidates or parties
