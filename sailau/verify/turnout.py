"""The turnout reports of election day as the log states them (`turnout` leaves,
docs/log-leaves.md): what the server promises of them, checked from the log alone. A report is
never replaced (one leaf a station and hour); none comes after the station's first protocol
leaf (the day's figures are given before the count, so they cannot be aligned with the
protocol afterwards); each names a station of the log's structure; a station's figures do not
fall from one hour to a later one. Integrity criterion I23 reads these reports: a forger who
rewrote them after the count to hide ballots added in the evening is named here."""

from __future__ import annotations

import itertools

from sailau.verify.report import Report

CHECK = "turnout"


def check(leaves, report: Report) -> None:
    """`leaves`: `logleaves.Leaves` (its stations, first protocol leaves and turnout leaves)."""
    first: dict[tuple[str, int], int] = {}
    by_station: dict[str, dict[int, tuple[int, int]]] = {}
    for i, leaf in leaves.turnout:
        sid, hour, issued = leaf["station"], leaf["hour"], leaf["issued"]
        what = f"leaf {i} (station {sid}, {hour}:00)"
        if sid not in leaves.stations:
            report.fail(CHECK, what, "a station the log's structure does not have")
            continue
        if (sid, hour) in first:
            report.fail(CHECK, what, f"reported already in leaf {first[(sid, hour)]}: a "
                                     "report is never replaced")
            continue
        first[(sid, hour)] = i
        protocol = leaves.first_protocol.get(sid)
        if protocol is not None and protocol < i:
            report.fail(CHECK, what, f"logged after the station's protocol (leaf {protocol}): "
                                     "the day's figures come before the count")
            continue
        by_station.setdefault(sid, {})[hour] = (issued, i)
        report.ok(CHECK)
    for sid, day in by_station.items():
        hours = sorted(day)
        for earlier, later in itertools.pairwise(hours):
            if day[later][0] < day[earlier][0]:
                report.fail(CHECK, f"leaf {day[later][1]} (station {sid}, {later}:00)",
                            f"{day[later][0]} ballots issued, fewer than the {day[earlier][0]} "
                            f"of {earlier}:00 (leaf {day[earlier][1]})")
