"""What `sailau audit verify` checks of the turnout reports (`sailau.cli.audit_checks`): each
report of the ballots issued by an hour against its `turnout.reported` record. A report is never
replaced, so a row that differs from its record was edited in the database; a recorded report of
a station that still exists and is gone was deleted, and with it what criterion I23 reads."""

from collections.abc import Iterator, Mapping

from sailau.audit.findings import Finding
from sailau.elections.models import Station
from sailau.turnout.models import TurnoutReport


def check(recorded: Mapping[tuple[str, int], tuple[int, int]]) -> Iterator[Finding]:
    """`recorded`: (station, hour) -> (seq, ballots issued) of the last record of each."""
    seen = set()
    for sid, hour, issued in (TurnoutReport.objects.order_by("station_id", "hour")
                              .values_list("station_id", "hour", "issued").iterator(5000)):
        seen.add((sid, hour))
        what = f"station {sid}, turnout at {hour}:00"
        rec = recorded.get((sid, hour))
        if rec is None:
            yield Finding("turnout", what, "no audit record of this report")
        elif rec[1] != issued:
            yield Finding("turnout", what, f"{issued} ballots issued, audit record {rec[0]} "
                                           f"says {rec[1]}")
    missing = [key for key in recorded if key not in seen]
    if missing:
        present = set(Station.objects.filter(pk__in={sid for sid, _ in missing})
                      .values_list("pk", flat=True))
        for sid, hour in sorted(k for k in missing if k[0] in present):
            yield Finding("turnout", f"station {sid}, turnout at {hour}:00",
                          f"audit record {recorded[(sid, hour)][0]} reports it, the database "
                          "has no such report")
