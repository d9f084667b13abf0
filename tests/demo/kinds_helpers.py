"""What the tests of `sailau demo --election KIND` check on any kind: the published record
verifies, the audit log and the database agree, and everything the build wrote is dated on
the election's own calendar (sailau/clock.py), not today."""

import datetime as dt
import json

from sailau.cli import main
from sailau.publish.pipeline import snapshots


def verifies(election_id: str, capsys) -> None:
    capsys.readouterr()
    assert main(["verify", str(snapshots.election_dir(election_id))]) == 0, \
        capsys.readouterr().out[-3000:]
    assert "2 witness cosignatures)" in capsys.readouterr().out  # both witnesses' cosignatures checked
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out[-3000:]


def dates_written(election_id: str) -> dict[str, list[dt.datetime]]:
    """Every time the build wrote for the election: its leaves' `at`, its commissions' keys'
    registrations, its complaints' filing."""
    from sailau.complaints.models import Complaint
    from sailau.elections.models import CommissionKey
    from sailau.ledger.models import Leaf

    leaves = [dt.datetime.fromisoformat(json.loads(bytes(d))["at"])
              for d in Leaf.objects.filter(election_id=election_id).values_list("data",
                                                                                flat=True)]
    keys = list(CommissionKey.objects.filter(commission__election_id=election_id)
                .values_list("created_at", flat=True))
    filed = list(Complaint.objects.filter(election_id=election_id)
                 .values_list("filed_at", flat=True))
    return {"leaves": leaves, "keys": keys, "complaints": filed}


def on_calendar(election_id: str, first: dt.date, last: dt.datetime) -> None:
    """Nothing dated before `first` (weeks before the election day) or after `last` (the end of
    its replayed night, as its clock shows it at the end of the build)."""
    for what, times in dates_written(election_id).items():
        assert times, what
        outside = [t for t in times if not first <= t.date() or t > last]
        assert not outside, (what, outside[:3])
