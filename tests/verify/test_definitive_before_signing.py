"""The station's `chronometry.definitive` held to the witnesses: a protocol its commission
signed waits, definitive, for the signature and enters the log only when it arrives, so its
definitive time has no lower bound; one the server signed keeps both."""

import datetime as dt
import json

import pytest

from sailau.verify import station_times
from sailau.verify.logleaves import Leaves
from sailau.verify.report import Report

NIGHT = dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)


class _Bounds:
    """The witnesses cosigned the log without leaf 0 at 20:00 and with it at 22:00."""

    def bounds(self, i):
        return int(NIGHT.timestamp()), int((NIGHT + dt.timedelta(hours=2)).timestamp())


def _failures(message: str, definitive: dt.datetime) -> list[str]:
    leaf = {"type": "protocol", "station": "s1", "contest": "c1", "version": 1,
            "signature": {"key": "00" * 8, "signature": "", "message": message}}
    leaves = Leaves(entries=[json.dumps(leaf).encode()], first_protocol={"s1": 0},
                    versions={("s1", "c1", 1): 0})
    doc = {"id": "s1", "chronometry": {"definitive": definitive.isoformat()},
           "contests": [{"contest": "c1", "versions": [], "protocol": None}]}
    report = Report("test")
    station_times.check(leaves, _Bounds(), {"stations/1.json": doc}, {}, report)
    return [f.message for f in report.failures]


@pytest.mark.parametrize("message", ["sailau-protocol/2", "sailau-protocol/3",
                                     "sailau-protocol/4"])
def test_a_commission_signed_protocol_may_have_become_definitive_long_before_its_leaf(message):
    # definitive at 18:00, signed by the commission at 21:30: honest
    assert _failures(message, NIGHT - dt.timedelta(hours=2)) == []
    # but never after the witnesses had seen its leaf
    assert _failures(message, NIGHT + dt.timedelta(hours=3))


def test_a_server_signed_protocol_keeps_its_lower_bound():
    assert _failures("sailau-protocol/1", NIGHT - dt.timedelta(hours=2))
    assert _failures("sailau-protocol/1", NIGHT + dt.timedelta(hours=1)) == []
