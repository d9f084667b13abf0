"""A turnout report is a leaf of the election's published log, written in the report's
transaction: its members are the report's, its time the report's; a refused report writes none."""

import datetime as dt

import pytest

from sailau.errors import SailauError
from sailau.ledger.models import Leaf
from sailau.tlog import leaves
from sailau.turnout import services
from tests.turnout.test_services import make_world

pytestmark = pytest.mark.django_db


def turnout_leaves():
    return [leaves.decode(bytes(d), None) for d in
            Leaf.objects.filter(kind="turnout").order_by("id").values_list("data", flat=True)]


def test_a_report_is_a_leaf_of_the_log():
    world = make_world()
    station = world["station"]
    row = services.report(world["op"], station.id, 18, 612)
    (leaf,) = turnout_leaves()
    assert (leaf["station"], leaf["hour"], leaf["issued"]) == (station.id, 18, 612)
    assert leaf["election"] == station.election_id
    assert leaf["at"] == row.reported_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert Leaf.objects.get(kind="turnout").subject == f"turnout/{station.id}/18"


def test_a_refused_report_writes_no_leaf():
    world = make_world()
    services.report(world["op"], world["station"].id, 18, 612)
    with pytest.raises(SailauError):
        services.report(world["op"], world["station"].id, 18, 700)  # never replaced
    with pytest.raises(SailauError):
        services.report(world["op"], world["station"].id, 20, 500)  # fewer than at 18:00
    assert len(turnout_leaves()) == 1
