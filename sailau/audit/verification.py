"""The audit log's verification as the public API serves it: the last result of walking the
whole chain, recomputed by one background job when the log has grown, never by the request.

Walking the chain costs time in proportion to the log (a national election's log takes seconds);
anonymous callers asking for it at once would each pay it (8 of them raised the protocol API's
median from 7 ms to 0.89 s). The result is kept in SAILAU_DATA_DIR/audit/verification.json with
the chain head it checked; while the head is the same the result is current, otherwise it is
served marked `current: false` while one job (one thread per process, one process at a time, by
sailau.background) walks the chain again. `sailau audit verify` still walks it itself."""

from __future__ import annotations

import json

from django.utils import timezone

from sailau import background
from sailau.paths import data_dir, write_atomic


def _path():
    return data_dir() / "audit" / "verification.json"


def head() -> dict | None:
    from sailau.audit.models import Head

    h = Head.objects.filter(pk=1).values("seq", "hash").first()
    return dict(h) if h else None


def recompute() -> dict:
    """Walk the whole chain now and keep the result (with the head it reached)."""
    from sailau.audit.chain import verify

    at_start = head()  # records appended during the walk are checked the next time
    v = verify()
    result = {"ok": v.ok, "records": v.records, "seq": v.seq, "problem": v.problem,
              "checked_at": timezone.now().isoformat(), "head": at_start}
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(result))
    return result


def recompute_once() -> bool:
    """Recompute unless another process is at it (then False)."""
    return background.run_once(_path().with_name(".verification.lock"), recompute)


def latest() -> dict:
    """The last result, `current` when the log has not changed since; if it has (or there is no
    result yet: `ok` is None), a background job is started to recompute it."""
    path = _path()
    stored = json.loads(path.read_text()) if path.exists() else None
    if stored is not None and stored.get("head") == head():
        return {**stored, "current": True}
    background.start("audit-verification", recompute_once)
    if stored is None:
        return {"ok": None, "records": 0, "seq": None, "problem": "", "checked_at": None,
                "head": None, "current": False}
    return {**stored, "current": False}
