"""`sailau verify` writes every download again from what it has held to the log (the station
files, the sums of the leaves, the commission files, election.json) and compares: a CSV, JSON or
Parquet table forged by the operator, its hash rewritten in the manifest and the chain, is named
with its first differing row and column; an honest record passes."""

import csv
import io
import json

import pytest

from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened, read_manifest
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


def _national(folder) -> str:
    m = read_manifest(folder)
    return next(n.split("/")[1] for n in m["files"]
                if n.endswith("/territorial.csv"))


def test_an_honest_record_passes_with_every_table_recomputed(published, capsys):
    code, text, report = _run(capsys, published, "--json")
    assert code == 0, text
    m = read_manifest(published)
    derived = [n for n in m["files"] if n.startswith("contests/") and n.rsplit("/", 1)[1] in (
        "choices.csv", "stations.csv", "stations.json", "stations.parquet", "territorial.csv",
        "territorial.json", "territorial.parquet", "district.csv", "district.json",
        "district.parquet", "smd.csv", "smd.json", "smd.parquet", "progress.csv",
        "progress.json")] + ["nist.json"]
    assert derived and report["held"]["derived"] == len(derived)


def _forge_csv(folder, name, row, column, value):
    body = opened(_object(folder, name)).decode()
    rows = list(csv.reader(io.StringIO(body)))
    rows[row][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(folder, name, buf.getvalue().encode())


def test_a_forged_station_csv_is_named_by_row_and_column(published, tmp_path, capsys):
    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-csv")
    name = f"contests/{contest}/stations.csv"
    rows = list(csv.reader(io.StringIO(opened(_object(forged, name)).decode())))
    choice = rows[0][-1]
    _forge_csv(forged, name, 2, choice, str(int(rows[2][-1]) + 100))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert any(f.startswith(f"derived: {name}: row 2 ({rows[2][0]}), column {choice}: "
                            f"published '{int(rows[2][-1]) + 100}'")
               for f in _failures(report)), _failures(report)


def test_a_forged_name_in_a_level_table_is_named(published, tmp_path, capsys):
    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-level")
    name = f"contests/{contest}/territorial.csv"
    _forge_csv(forged, name, 1, "name_ru", "Подложная область")
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert any(f.startswith(f"derived: {name}: row 1 (") and "column name_ru: published "
               "'Подложная область'" in f for f in _failures(report)), _failures(report)


def test_a_forged_json_table_and_choices_csv_are_named(published, tmp_path, capsys):
    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-json")
    name = f"contests/{contest}/district.json"
    doc = json.loads(opened(_object(forged, name)))
    row = doc["commissions"][0]
    row["parent"] = "kz.forged"
    _rewrite(forged, name, snapshots._dumps(doc))
    cname = f"contests/{contest}/choices.csv"
    _forge_csv(forged, cname, 1, "name_en", "Forged party")
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    failures = _failures(report)
    assert (f"derived: {name}: commissions[0] ({row['commission_id']}).parent: published "
            "'kz.forged', the verified files give") in "\n".join(failures), failures
    assert any(f.startswith(f"derived: {cname}: row 1 (") and "column name_en: published "
               "'Forged party'" in f for f in failures), failures


def test_a_forged_parquet_table_is_named_by_its_content(published, tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-parquet")
    name = f"contests/{contest}/stations.parquet"
    table = pq.read_table(pa.BufferReader(opened(_object(forged, name))))
    rows = table.to_pylist()
    rows[0]["invalid"] = (rows[0]["invalid"] or 0) + 7
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), buf)
    _rewrite(forged, name, buf.getvalue())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert any(f.startswith(f"derived: {name}: row 1 ({rows[0]['station_id']}), column "
                            f"invalid: published {rows[0]['invalid']}")
               for f in _failures(report)), _failures(report)


def test_a_forged_choice_name_in_election_json_is_held_to_the_log(published, tmp_path, capsys):
    """The operator renames a party in election.json and writes choices.csv to agree: the
    recomputed choices.csv agrees too, but the log's `contests` leaves name it otherwise."""
    forged = _copy(published, tmp_path, "forged-names")
    doc = json.loads(opened(_object(forged, "election.json")))
    contest = doc["contests"][0]
    choice = contest["choices"][0]
    choice["name"]["ru"] = "Подложная партия"
    _rewrite(forged, "election.json", snapshots._dumps(doc))
    cname = f"contests/{contest['id']}/choices.csv"
    _forge_csv(forged, cname, 1, "name_ru", "Подложная партия")
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    failures = _failures(report)
    assert (f"names: election.json ({contest['id']}, choice {choice['key']}): ru: "
            "'Подложная партия', the log's structure says") in "\n".join(failures), failures
    assert not any(f.startswith(f"derived: {cname}") for f in failures), failures


def test_forged_progress_files_are_named(published, tmp_path, capsys):
    """Results over time: the operator moves votes between two choices at one point of the
    CSV, and drops the last point of the JSON."""
    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-progress")
    name = f"contests/{contest}/progress.csv"
    rows = list(csv.reader(io.StringIO(opened(_object(forged, name)).decode())))
    first, second = rows[0][4], rows[0][5]
    rows[1][4], rows[1][5] = str(int(rows[1][4]) - 5), str(int(rows[1][5]) + 5)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(forged, name, buf.getvalue().encode())
    jname = f"contests/{contest}/progress.json"
    doc = json.loads(opened(_object(forged, jname)))
    doc["points"].pop()
    _rewrite(forged, jname, json.dumps(doc, ensure_ascii=False, sort_keys=True,
                                       indent=1).encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    failures = _failures(report)
    assert any(f.startswith(f"derived: {name}: row 1 (") and f"column {first}: published "
               f"'{rows[1][4]}'" in f for f in failures), (failures, second)
    assert f"derived: {jname}: points: {len(doc['points'])} items, the verified files give " \
           f"{len(doc['points']) + 1}" in failures, failures


def test_a_forged_vote_count_in_nist_json_is_named(published, tmp_path, capsys):
    contest = _national(published)
    forged = _copy(published, tmp_path, "forged-nist")
    doc = json.loads(opened(_object(forged, "nist.json")))
    theirs = next(c for c in doc["Election"][0]["Contest"] if c["@id"] == f"contest-{contest}")
    sel = theirs["ContestSelection"][0]
    sel["VoteCounts"][1]["Count"] += 30  # the first station's, after the national total
    _rewrite(forged, "nist.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    key = sel["@id"].rsplit("-", 1)[1]
    count = sel["VoteCounts"][1]
    assert (f"derived: nist.json (contest-{contest}, {key}): VoteCounts[1] "
            f"({count['GpUnitId']}): published {count['Count']} for {count['GpUnitId']}, the "
            f"verified files give {count['Count'] - 30}") in _failures(report), _failures(report)
