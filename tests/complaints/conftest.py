import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def election(small_election):
    from sailau.elections.models import Election

    return Election.objects.get()


@pytest.fixture
def base(election):
    """Valid filing data: a voter's complaint about counting at the first station."""
    st = election.stations.order_by("number").first()
    return {"election": election.id, "filer_kind": "voter", "filer_name": "Private Person Qwerty",
            "filer_contact": "+7 701 000 0000", "against_kind": "commission",
            "against_name": "PEC", "topic": "counting", "text": "Ballots not shown one by one.",
            "body": "commission", "station": str(st.number),
            "filed_at": timezone.make_aware(dt.datetime.combine(
                election.date + dt.timedelta(days=10), dt.time(10)))}
