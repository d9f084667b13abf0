"""nist.json's voter counts of each reporting unit (`VotersRegistered`, `VotersParticipated`,
`SubUnitsReported`, `TotalSubUnits`) are written again by `sailau verify` from the sums of the
log's leaves and compared: a count rewritten in nist.json, its hash in the manifest, is named
with the unit and the field."""

import json

import pytest

from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


def _nist(folder) -> dict:
    return json.loads(opened(_object(folder, "nist.json")))


def test_every_commissions_unit_has_the_counts_of_the_log(published, capsys):
    doc = _nist(published)
    counted = [u for u in doc["GpUnit"] if "VotersRegistered" in u]
    # the CEC, the territories, the districts and the single-member districts of the night
    assert {u["Type"] for u in counted} == {"country", "other"}
    assert all(u["VotersParticipated"] > 0 and u["SubUnitsReported"] > 0 for u in counted)
    assert not any("VotersRegistered" in u for u in doc["GpUnit"]
                   if u["Type"] == "polling-place")
    code, text, _report = _run(capsys, published, "--json")
    assert code == 0, text


@pytest.mark.parametrize("field, by", [("VotersRegistered", 5000), ("VotersParticipated", -7),
                                       ("TotalSubUnits", 1)])
def test_a_forged_voter_count_is_named(published, tmp_path, capsys, field, by):
    forged = _copy(published, tmp_path, f"forged-{field}")
    doc = _nist(forged)
    unit = next(u for u in doc["GpUnit"] if u.get("OtherType") == "territory")
    was = unit[field]
    unit[field] = was + by
    _rewrite(forged, "nist.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert (f"derived: nist.json ({unit['@id']}, {field}): published {was + by!r}, the "
            f"verified files give {was!r}") in _failures(report), _failures(report)


def test_counts_given_to_a_polling_place_are_named(published, tmp_path, capsys):
    forged = _copy(published, tmp_path, "forged-place")
    doc = _nist(forged)
    places = [u for u in doc["GpUnit"] if u["Type"] == "polling-place"]
    for u in places[:3]:
        u["VotersRegistered"] = 1500
    _rewrite(forged, "nist.json", snapshots._dumps(doc))
    code, _text, report = _run(capsys, forged, "--json")
    assert code == 1
    assert (f"derived: nist.json ({places[0]['@id']}, VotersRegistered): published 1500, the "
            "verified files give None (2 more units differ)") in _failures(report), \
        _failures(report)
