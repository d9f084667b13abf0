"""nist.json's tree of reporting units (`ComposingGpUnitIds`) and each selection's party
(`PartyIds`, `EndorsementPartyIds`) are held to the log: a polling place moved to another
district's unit or a list given another party in the file alone is named. A report of an election
with nothing counted says it is partial, never complete, and a forged "complete" is named
(docs/checking-the-log.md, "nist.json's own fields")."""

import json

import pytest

from sailau.publish.files import nist
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline import snapshots
from sailau.verify import nist_report
from sailau.verify.report import Report
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


def _forged(capsys, published, tmp_path, name, change) -> list[str]:
    forged = _copy(published, tmp_path, name)
    doc = json.loads(opened(_object(forged, "nist.json")))
    change(doc)
    _rewrite(forged, "nist.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    return _failures(report)


def _districts(doc) -> list[dict]:
    return [u for u in doc["GpUnit"] if u.get("OtherType") == "district"
            and u.get("ComposingGpUnitIds")]


def test_a_polling_place_moved_in_the_tree_is_named(published, tmp_path, capsys):
    code, _text, report = _run(capsys, published, "--json")
    assert code == 0, _failures(report)
    doc = json.loads(opened(_object(published, "nist.json")))
    a, b = _districts(doc)[:2]
    moved = a["ComposingGpUnitIds"][0]

    def move(d):
        x, y = _districts(d)[:2]
        y["ComposingGpUnitIds"].append(x["ComposingGpUnitIds"].pop(0))

    failures = _forged(capsys, published, tmp_path, "forged-tree", move)
    assert any(f.startswith("names: nist.json (GpUnit[") and f"{a['@id']}, ComposingGpUnitIds)"
               in f for f in failures), failures
    assert any(f"{b['@id']}, ComposingGpUnitIds)" in f and moved in f for f in failures), \
        failures


def test_a_unit_taken_out_of_the_tree_is_named(published, tmp_path, capsys):
    def drop(d):
        cec = next(u for u in d["GpUnit"] if u["Type"] == "country")
        cec["ComposingGpUnitIds"] = cec["ComposingGpUnitIds"][1:]

    failures = _forged(capsys, published, tmp_path, "forged-root", drop)
    assert any(", ComposingGpUnitIds)" in f and f.startswith("names: nist.json (GpUnit[")
               for f in failures), failures


def _selection(doc, field) -> tuple[str, dict]:
    """(the contest's @id, the first selection with `field`)."""
    return next((c["@id"], s) for c in doc["Election"][0]["Contest"]
                for s in c["ContestSelection"] if s.get(field))


def test_a_list_given_another_party_is_named(published, tmp_path, capsys):
    doc = json.loads(opened(_object(published, "nist.json")))
    contest, sel = _selection(doc, "PartyIds")
    other = next(p["@id"] for p in doc["Party"] if [p["@id"]] != sel["PartyIds"])

    def swap(d):
        _selection(d, "PartyIds")[1]["PartyIds"] = [other]

    failures = _forged(capsys, published, tmp_path, "forged-party", swap)
    assert (f"derived: nist.json ({contest}, {sel['@id']}, PartyIds): published [{other!r}], the log's "
            f"contest is {sel['PartyIds']!r}") in failures, failures


def test_a_candidates_party_left_out_is_named(published, tmp_path, capsys):
    doc = json.loads(opened(_object(published, "nist.json")))
    contest, sel = _selection(doc, "EndorsementPartyIds")

    def drop(d):
        del _selection(d, "EndorsementPartyIds")[1]["EndorsementPartyIds"]

    failures = _forged(capsys, published, tmp_path, "forged-endorsement", drop)
    assert (f"derived: nist.json ({contest}, {sel['@id']}, EndorsementPartyIds): published None, the "
            f"log's contest is {sel['EndorsementPartyIds']!r}") in failures, failures


def test_nothing_counted_is_never_complete(small_election):
    """`all` over no tally (or no sum) is true: neither the publisher nor the verifier takes it
    for a complete count."""
    from sailau.protocols.models import Tally

    Tally.objects.filter(contest__election=small_election).delete()
    doc = nist.report(ElectionData.load(small_election))
    assert doc["Status"] == "unofficial-partial"
    report = Report("x")
    nist_report.check({**doc, "Status": "unofficial-complete"}, {}, {}, {}, report)
    assert any(f.subject == "nist.json (Status)" and "'unofficial-partial'" in f.message
               for f in report.failures), report.failures
