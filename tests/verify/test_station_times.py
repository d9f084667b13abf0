"""The station files' times that stand for a protocol's leaf, beyond those the results over time
show: a later version's `created_at` (an amendment's, in `versions[]` and the current
`protocol`) and the station's `chronometry.published`, held to the witnesses' bounds of the leaf
they stand for. An honest night with an amendment passes; each time moved an hour earlier or a
day later in the station file (as the operator could, its hash rewritten in the manifest) fails,
naming the station file and the field."""

import datetime as dt
import json

import pytest

from sailau import clock
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import batches, national_lane
from tests import factories
from tests.publish.conftest import snapshot_dir  # noqa: F401 (the night's data directory)
from tests.publish.test_progress_times import _cosign, _verify, _when, night  # noqa: F401
from tests.snapshotfiles import opened, read_manifest
from tests.verify.test_verify import _object, _rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def amended(night):  # noqa: F811
    """Three stations reported, then one list protocol amended five minutes after the witness
    last cosigned (the server's clock the replay's), cosigned and published; its station id."""
    night(3)
    eid = night.election.id
    p = Protocol.objects.current().filter(contest__election_id=eid, contest__kind="party_list",
                                          station_id__in=night.stations).order_by(
                                              "station__number").first()
    at = night.last[0] + dt.timedelta(minutes=5)
    with clock.showing(at):
        factories.amend(p)
    _cosign(eid, night.witness, at + dt.timedelta(minutes=1))
    with clock.showing(at + dt.timedelta(seconds=90)):
        batches.publish_changes(eid, defer_national=True)
        national_lane.rewrite_national(eid)
    _cosign(eid, night.witness, at + dt.timedelta(minutes=2))
    return p.station_id


def _docs(folder) -> dict:
    return {n: json.loads(opened(_object(folder, n))) for n in read_manifest(folder)["files"]
            if n.startswith("stations/")}


def _forge(folder, name: str, doc: dict, old: str, new: str) -> None:
    """The station file rewritten, and any progress file showing the old time made to agree."""
    _rewrite(folder, name, json.dumps(doc, ensure_ascii=False).encode())
    for n in read_manifest(folder)["files"]:
        if n.endswith(("/progress.json", "/progress.csv")):
            body = opened(_object(folder, n)).decode()
            if _when(old) in body:
                _rewrite(folder, n, body.replace(_when(old), _when(new)).encode())


def test_an_honest_night_with_an_amendment_holds_every_time(night, amended, capsys):  # noqa: F811
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 0, report["failures"]
    doc = next(d for d in _docs(night.folder).values() if d["id"] == amended)
    part = next(p for p in doc["contests"] if p["protocol"] and p["protocol"]["version"] == 2)
    # the amendment's time is there to hold, as its own version's and the current one's
    assert [v["version"] for v in part["versions"]] == [1, 2]
    assert part["versions"][1]["created_at"] == part["protocol"]["created_at"]


@pytest.mark.parametrize("by, why", [
    (-dt.timedelta(hours=1), "before the witnesses cosigned the log without its leaf"),
    (dt.timedelta(days=1), "after the witnesses had seen its leaf")])
def test_an_amendments_time_moved_fails_naming_it(night, amended, capsys, by, why):  # noqa: F811
    name, doc = next((n, d) for n, d in _docs(night.folder).items() if d["id"] == amended)
    part = next(p for p in doc["contests"] if p["protocol"] and p["protocol"]["version"] == 2)
    old = part["protocol"]["created_at"]
    new = (dt.datetime.fromisoformat(old) + by).isoformat()
    part["protocol"]["created_at"] = part["versions"][1]["created_at"] = new
    _forge(night.folder, name, doc, old, new)
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    named = {f["subject"]: f["message"] for f in report["failures"] if f["check"] == "time"}
    for field in ("versions[version 2].created_at", "protocol.created_at"):
        message = named.get(f"{name} ({field})")
        assert message is not None, report["failures"]
        assert f"station {amended}, contest {part['contest']}, " in message, message
        assert why in message, message


@pytest.mark.parametrize("by, last, why", [
    (-dt.timedelta(hours=1), False, "before the witnesses cosigned the log without its leaf"),
    (dt.timedelta(days=1), True, "after the witnesses had seen its leaf")])
def test_a_published_step_moved_fails_naming_it(night, capsys, by, last, why):  # noqa: F811
    night(3)
    docs = {n: d for n, d in _docs(night.folder).items() if d["chronometry"].get("published")}
    name = (max if last else min)(docs, key=lambda n: _when(docs[n]["chronometry"]["published"]))
    doc = docs[name]
    old = doc["chronometry"]["published"]
    doc["chronometry"]["published"] = (dt.datetime.fromisoformat(old) + by).isoformat()
    _rewrite(night.folder, name, json.dumps(doc, ensure_ascii=False).encode())
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    # no other file shows the step: only the witnesses catch it
    assert [f["subject"] for f in report["failures"]] == [f"{name} (chronometry.published)"]
    message = report["failures"][0]["message"]
    assert f"station {doc['id']}, contest " in message and why in message, message
    assert "shown on the station's page" in message, message
