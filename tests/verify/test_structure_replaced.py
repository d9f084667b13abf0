"""A structure imported again with `--replace` before any result (docs/structure-format.md: how
a mistake found before election day is corrected) leaves a second `structure` leaf in the log,
which begins the election again: `sailau verify` passes the honest record, and a structure
leaf after a protocol, which no replace can write, is still named."""

import json

import pytest

from sailau.cli import main
from sailau.elections.models import Election
from sailau.ledger.models import Leaf
from sailau.publish.pipeline import snapshots
from sailau.verify import logleaves
from sailau.verify.report import Report
from tests.verify.test_kind_chains import _enter_every_protocol, referendum

pytestmark = pytest.mark.django_db


def test_a_structure_replaced_before_results_verifies(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    doc = referendum()
    eid = doc["election"]["id"]
    path = tmp_path / "structure.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert main(["structure", "import", str(path)]) == 0
    doc["stations"][0]["registered"] += 100  # the mistake found, corrected
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert main(["structure", "import", str(path), "--replace"]) == 0
    assert Leaf.objects.filter(election_id=eid, kind="structure").count() == 2
    _enter_every_protocol(Election.objects.get(pk=eid))
    snapshots.publish(eid)
    capsys.readouterr()
    code = main(["verify", str(snapshots.election_dir(eid)), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and not report["failures"], report["failures"]
    assert main(["audit", "verify"]) == 0

    # The first structure leaf again, after the protocols: results were logged under it.
    entries = [bytes(d) for d in Leaf.objects.filter(election_id=eid).exclude(index=None)
               .order_by("index").values_list("data", flat=True)]
    first = next(e for e in entries if json.loads(e)["type"] == "structure")
    forged = Report("forged")
    logleaves.read([*entries, first], forged)
    assert [f.message for f in forged.failures] == [
        ("a second structure leaf after results were logged (a structure is replaced only "
         "before any; changes are structure-change leaves)")]
