"""`sailau verify`'s rules for the log's turnout leaves (sailau/verify/turnout.py): an honest
day passes; a report logged twice, logged after the station's protocol, of a station the
structure lacks, or falling from an hour to a later one is named by its leaf."""

from sailau.verify import turnout
from sailau.verify.logleaves import Leaves
from sailau.verify.report import Report


def day(*reports, protocol_at=None):
    """Leaves with stations A and B; `reports`: (index, station, hour, issued)."""
    out = Leaves(stations={"A": {}, "B": {}})
    out.turnout = [(i, {"station": s, "hour": h, "issued": n}) for i, s, h, n in reports]
    if protocol_at is not None:
        out.first_protocol["A"] = protocol_at
    return out


def failures(leaves):
    report = Report("test")
    turnout.check(leaves, report)
    return [f"{f.subject}: {f.message}" for f in report.failures], report


def test_an_honest_day_passes():
    found, report = failures(day((5, "A", 12, 100), (6, "B", 12, 90), (7, "A", 18, 300),
                                 (8, "A", 20, 310), protocol_at=9))
    assert found == [] and report.held["turnout"] == 4


def test_a_report_logged_twice_is_named():
    found, _ = failures(day((5, "A", 18, 300), (9, "A", 18, 250)))
    assert found == [("leaf 9 (station A, 18:00): reported already in leaf 5: a report is "
                     "never replaced")]


def test_a_report_after_the_protocol_is_named():
    found, _ = failures(day((5, "A", 12, 100), (12, "A", 18, 300), protocol_at=10))
    assert found == [("leaf 12 (station A, 18:00): logged after the station's protocol "
                     "(leaf 10): the day's figures come before the count")]


def test_an_unknown_station_is_named():
    found, _ = failures(day((5, "Z", 12, 100)))
    assert found == ["leaf 5 (station Z, 12:00): a station the log's structure does not have"]


def test_figures_falling_through_the_day_are_named():
    found, _ = failures(day((5, "A", 12, 100), (6, "A", 14, 80), (7, "A", 16, 120)))
    assert found == [("leaf 6 (station A, 14:00): 80 ballots issued, fewer than the 100 of "
                     "12:00 (leaf 5)")]
