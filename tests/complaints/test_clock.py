"""Complaints on the demo's clock: filed on the election night it replays, judged by the
election's own terms, not by today's date."""

import datetime as dt

import pytest
from django.utils import timezone

from sailau.complaints import services

pytestmark = pytest.mark.django_db


def test_a_complaint_about_election_day_filed_on_the_demo_night_is_not_late(
        demo_clock, base, election):
    data = {k: v for k, v in base.items() if k != "filed_at"}  # filed now
    c, _ = services.file_complaint({**data, "event_date": election.date.isoformat()})
    assert timezone.localtime(c.filed_at).date() == dt.date(2023, 3, 20)
    assert not c.late
    # Its deadline is counted from that night, and the demo's "today" has not passed it.
    assert c.due_date >= dt.date(2023, 3, 20)
    assert c.days_left() >= 0 and not c.overdue()


def test_the_register_on_the_demo_night_has_nothing_overdue(demo_clock, base):
    from sailau.complaints import public

    # Filed during the night, with a term of days: past on today's date, not on the night's.
    c, _ = services.file_complaint({**base, "filed_at": demo_clock.ends - dt.timedelta(hours=1),
                                    "body": "admin_court"})
    assert c.due_date < dt.date.today()
    assert not c.overdue()
    assert not public.search({"overdue": "1"}).exists()
    assert public.statistics(public.search({}))["overdue"] == 0
