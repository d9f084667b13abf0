"""What a results page says of the published log: the checkpoint its figures are in, which
witnesses cosigned it and how long ago, and which witness is behind since when
(`publish/_log.html`). The page cache keys on `state`, so a new checkpoint or cosignature
renders the page again."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max
from django.utils import timezone

from sailau import clock
from sailau.ledger import cosign
from sailau.ledger.models import Cosignature, LogState


def state(election_id: str) -> str:
    row = LogState.objects.filter(pk=election_id).values_list("checkpoint_size", flat=True) \
        .first()
    c = Cosignature.objects.filter(witness__election_id=election_id).aggregate(
        n=Count("id"), m=Max("received_at"))
    return f"|log:{row}:{c['n']}:{c['m']}"


def banner(election_id: str, now: dt.datetime | None = None) -> dict | None:
    s = cosign.status(election_id, now)
    if s is None:
        return None
    now = now or clock.now()
    behind = [{"name": w["name"], "since": timezone.localtime(
        dt.datetime.fromisoformat(w["behind_since"])).strftime("%H:%M:%S")}
        for w in s["witnesses"] if not w["current"] and w["behind_since"]]
    return {"size": s["size"], "root": s["root"][:12], "cosigned": s["cosigned_by"],
            "total": s["witnesses_total"], "behind": behind,
            "ago": max(0, round(s["age_seconds"])) if s["age_seconds"] is not None else None,
            "url": f"/api/log/{election_id}/checkpoint"}
