import datetime as dt

import pytest
from django.utils import timezone

from sailau.complaints import services as complaints
from tests.chain_fixtures import chain_election, people  # noqa: F401


@pytest.fixture
def decided(small_election):
    """A private voter's complaint about the first station, filed and rejected."""
    st = small_election.stations.order_by("number").first()
    c, _ = complaints.file_complaint({
        "election": small_election.id, "filer_kind": "voter", "filer_name": "Private Person",
        "filer_contact": "+7 701 000 0000", "against_kind": "commission",
        "against_name": "PEC", "topic": "counting", "text": "Ballots not shown one by one.",
        "body": "commission", "station": str(st.number),
        "filed_at": timezone.make_aware(dt.datetime.combine(
            small_election.date + dt.timedelta(days=10), dt.time(10)))})
    return complaints.decide(c, {"outcome": "rejected", "text": "Not proven.", "number": "7/1"})
