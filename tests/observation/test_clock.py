"""Observers' reports on the demo's clock: received on the election night it replays, and the
phone's form prefills its times on that clock (the server refuses a time in its future)."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from sailau import clock
from sailau.accounts.models import ApiToken
from sailau.observation import models as m
from sailau.observation import phone

pytestmark = pytest.mark.django_db


def _checklist(station, at: dt.datetime) -> dict:
    return {"uuid": str(uuid.uuid4()), "station": station, "stage": "counting",
            "answers": {"signatures_counted": "no", "overall": "bad"},
            "observed_at": at.isoformat()}


def test_a_report_on_the_demo_night_is_received_that_night(demo_clock, org_setup):
    c = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(org_setup['user'])}")
    # What the phone's form prefills: its own time plus the offset the page gives it.
    offset = phone.boot(org_setup["observer"], "kk")["clockOffsetMs"]
    assert offset == round(clock.offset_seconds() * 1000) < 0
    phone_time = dt.datetime.now(dt.UTC) + dt.timedelta(milliseconds=offset)
    r = c.post("/api/observation/checklists", _checklist(org_setup["station"].id, phone_time),
               content_type="application/json")
    assert r.status_code == 201, r.content
    row = m.ChecklistSubmission.objects.get()
    assert timezone.localtime(row.received_at).date() == dt.date(2023, 3, 20)
    # The phone's time without the offset is in the demo's future: refused, as the form's
    # times would be if it did not add the offset.
    r = c.post("/api/observation/checklists",
               _checklist(org_setup["station"].id, dt.datetime.now(dt.UTC)),
               content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "observed_at"
