"""The demo's ground truth per kind: scans altered after printing are injected falsifications
of one contest's paper, named in the ground truth and scored for that contest only."""

import json

from sailau.integrity import demo_scoring


def test_altered_scans_recorded_in_the_ground_truth(tmp_path, monkeypatch):
    from sailau.demo.extras import ALTERED_SCAN, record_altered_scans
    from sailau.demo.load import ground_truth_path

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    path = ground_truth_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"stations": {"s1": {"kinds": ["ballot_stuffing"]}}}))
    record_altered_scans([
        {"station": "s1", "contest": "e.list", "line": "a", "definitive": 5, "printed": 7},
        {"station": "s2", "contest": "e.smd-3", "line": "b", "definitive": 1, "printed": 2}])
    truth = json.loads(path.read_text())
    assert truth["stations"]["s1"]["kinds"] == ["ballot_stuffing", ALTERED_SCAN]
    assert truth["stations"]["s2"]["altered_scans"] == [
        {"contest": "e.smd-3", "line": "b", "definitive": 1, "printed": 2}]
    # the list contest's report answers for s1's altered list paper, not for s2's other contest
    by_kind = demo_scoring.truth_by_kind(truth, "e.list")
    assert by_kind[ALTERED_SCAN] == {"s1"} and by_kind["ballot_stuffing"] == {"s1"}
    assert demo_scoring.truth_by_kind(truth)[ALTERED_SCAN] == {"s1", "s2"}
    # a station flagged for its altered paper is a true flag, not a false one
    flagged = {"s1": {"status": "flagged", "flags": []}, "s2": {"status": "flagged", "flags": []}}
    row = demo_scoring.score(flagged, truth, "e.list")["rows"]["status: flagged"]["all"]
    assert row["true_positives"] == 1 and row["false_positives"] == 1
