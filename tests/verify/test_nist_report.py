"""nist.json's own fields held to the log (docs/checking-the-log.md, "nist.json's own fields"):
`Status` to the sums of the leaves it shows, `IsTest` and the election's dates to the log's
structure, the format's constants, each contest's district and seats to the log's contests, and
`GeneratedDate` to the witnesses' cosignatures (not before the last protocol it counts entered
the log, not after the first leaf it does not show did). An honest night passes at 0 %, part and
all reported; each field forged on a published record (its hash rewritten in the manifest, as the
operator could) is named with the file and the field."""

import datetime as dt
import json

import pytest

from sailau import clock
from sailau.demo.chain import Night, route
from sailau.publish.pipeline import snapshots
from tests.publish.conftest import snapshot_dir  # noqa: F401 (the night's data directory)
from tests.publish.test_progress_times import (  # noqa: F401
    _cosign,
    _first_arrival,
    _verify,
    night,
)
from tests.snapshotfiles import opened
from tests.verify.test_verify import _failures, _object, _rewrite

pytestmark = pytest.mark.django_db


def _nist(folder) -> dict:
    return json.loads(opened(_object(folder, "nist.json")))


def test_an_honest_night_holds_the_report_at_none_part_and_all(night, capsys):  # noqa: F811
    seen = []
    for n in (0, 3, len(night.stations) - 3):
        if n:
            night(n)
        code, report = _verify(capsys, night.folder, night.witness)
        assert code == 0, _failures(report)
        seen.append(_nist(night.folder)["Status"])
    assert seen == ["unofficial-partial", "unofficial-partial", "unofficial-complete"]


def _forge(folder, change) -> dict:
    doc = _nist(folder)
    change(doc)
    _rewrite(folder, "nist.json", snapshots._dumps(doc))
    return doc


def _contest(doc) -> dict:
    return next(c for c in doc["Election"][0]["Contest"] if "NumberElected" in c)


@pytest.mark.parametrize("field, change, said", [
    ("Status", lambda d: d.update(Status="unofficial-complete"),
     "protocols reported) is 'unofficial-partial'"),
    ("IsTest", lambda d: d.update(IsTest=not d["IsTest"]), "the log's (synthetic) is True"),
    ("Election, EndDate", lambda d: d["Election"][0].update(EndDate="2023-03-20"),
     "published '2023-03-20', the log's (the election's day) is '2023-03-19'"),
    ("Issuer", lambda d: d.update(Issuer="CEC RK"), "published 'CEC RK', the format's is"),
    ("NumberElected", lambda d: _contest(d).update(NumberElected=_contest(d)["NumberElected"]
                                                   + 1), "the log's contest is ")])
def test_a_forged_report_field_is_named(night, capsys, field, change, said):  # noqa: F811
    night(3)
    doc = _forge(night.folder, change)
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    where = f"contest-{_contest(doc)['@id'].removeprefix('contest-')}, {field}" \
        if field == "NumberElected" else field
    named = [f for f in _failures(report) if f.startswith(f"derived: nist.json ({where}): ")]
    assert named and said in named[0], _failures(report)


def test_a_generated_date_before_what_it_counts_is_named(night, capsys):  # noqa: F811
    night(3)
    _forge(night.folder, lambda d: d.update(GeneratedDate=(
        night.last[0] - dt.timedelta(days=1)).replace(microsecond=0).isoformat()))
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    named = [f for f in _failures(report) if f.startswith("time: nist.json (GeneratedDate): ")]
    assert named and "the last protocol it counts" in named[0], _failures(report)


def test_a_generated_date_minutes_before_what_it_counts_is_named(night, capsys):  # noqa: F811
    """The lower bound allows the clocks' difference (a minute), no more: a publication dates
    its report after the checkpoint it shows is signed. The witness last cosigned the log
    without this batch 30 s before the batch's first arrival (the fixture)."""
    night(3)
    bound = _first_arrival(night.election.id, night.stations[:3]) - dt.timedelta(seconds=30)
    _forge(night.folder, lambda d: d.update(GeneratedDate=(
        bound - dt.timedelta(seconds=30)).replace(microsecond=0).isoformat()))
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 0, _failures(report)  # within the clocks' difference: passes
    _forge(night.folder, lambda d: d.update(GeneratedDate=(
        bound - dt.timedelta(minutes=5)).replace(microsecond=0).isoformat()))
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    named = [f for f in _failures(report) if f.startswith("time: nist.json (GeneratedDate): ")]
    assert named and "the last protocol it counts" in named[0], _failures(report)


def test_a_generated_date_after_a_leaf_it_does_not_show_is_named(
        night, small_synthetic, capsys):  # noqa: F811
    night(3)
    # one more station reports and the witness sees its leaf; the files are not published again
    last = night.last[0]
    replay = Night(last + dt.timedelta(minutes=1), last + dt.timedelta(hours=1))
    with clock.showing(replay.ends):
        route(small_synthetic, only={night.stations[3]}, night=replay, say=lambda *a: None)
    _cosign(night.election.id, night.witness, replay.ends + dt.timedelta(minutes=1))
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 0, _failures(report)  # honest: the report is older than that leaf
    _forge(night.folder, lambda d: d.update(GeneratedDate=(
        replay.ends + dt.timedelta(days=1)).replace(microsecond=0).isoformat()))
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    named = [f for f in _failures(report) if f.startswith("time: nist.json (GeneratedDate): ")]
    assert named and "which it does not show" in named[0], _failures(report)
