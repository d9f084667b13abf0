"""The audit log's head as a leaf of each election's log (`audit-head`): appended by the
publisher's loop when the audit log has grown and the last one logged is a minute old, so that
records after the last protocol (weeks of complaints after election day) cannot be cut without
the log's leaves and the audit chain disagreeing."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from sailau import clock
from sailau.audit.models import Head
from sailau.ledger import outbox
from sailau.ledger.models import Leaf

EVERY = dt.timedelta(seconds=60)


def log(election_id: str, every: dt.timedelta = EVERY, now: dt.datetime | None = None) -> bool:
    """Append the audit head when it moved since the last one logged and that one is at least
    `every` old; whether it did."""
    at = now or clock.now()  # the leaf's time, the application's (a demo's night)
    now = now or timezone.now()
    head = Head.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return False
    last = (Leaf.objects.filter(election_id=election_id, kind="audit-head").order_by("-id")
            .values_list("data", "created_at").first())
    if last is not None and (json.loads(bytes(last[0]))["seq"] >= head[0]
                             or now - last[1] < every):
        return False
    with transaction.atomic():
        outbox.append(election_id, "audit-head", f"audit/{head[0]}", at, seq=head[0],
                      hash=head[1])
    return True
