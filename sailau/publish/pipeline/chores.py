"""The chores of the publication's processes: which elections a process serves, the objects
no manifest of the readers' window names deleted in the data directory and the bucket
(`prune_now`, by the national lane, or by `publisher.follow` when it runs without one), and
what needs a loop running as long as the site serves (`housekeeping`)."""

from __future__ import annotations

import time

from sailau.filestores import failures
from sailau.publish.pipeline.timing import PRUNE_EVERY
from sailau.publish.storage import mirror, retention


def elections(election_ids) -> list[str]:
    """The elections a process serves: those named, or every one in the database (new ones
    included, read again each time)."""
    from sailau.elections.models import Election

    return list(election_ids or Election.objects.values_list("id", flat=True))


def prune_now(election_ids, last: float, say) -> float:
    """`retention.prune_objects` (and `mirror.prune` for object storage) for every election,
    and the abandoned video uploads swept, when the last pruning is `PRUNE_EVERY` old; returns
    when it last ran."""
    if time.time() - last < PRUNE_EVERY:
        return last
    for eid in elections(election_ids):
        try:
            retention.prune_objects(eid)
            mirror.prune(eid)  # the object storage's copy, by the same rule
        except (*failures(), ValueError) as exc:  # a full disk or a bucket down must not end
            # the night either, nor a kept shard unreadable (nothing is deleted then)
            say(f"{eid}: superseded objects not pruned: {exc!r}", flush=True)
    try:  # the video uploads abandoned mid-way: their staged bytes on this node's disk
        from sailau.video.retention import sweep_uploads

        for name in sweep_uploads():
            say(f"{name}: abandoned, its staged bytes removed", flush=True)
    except (*failures(), ValueError) as exc:
        say(f"abandoned uploads not swept: {exc!r}", flush=True)
    return time.time()


def housekeeping(say=print) -> None:
    """Chores that need a loop running as long as the site serves; the publisher's is the one
    `sailau serve` always starts. Volunteers' tasks not typed in time give their slot to
    another volunteer (`sailau.evidence.dispatch.release_stale`): without this, an image handed
    to someone who closed the page would wait for ever for its second reading."""
    from sailau.evidence import dispatch

    try:
        released = dispatch.release_stale()
    except Exception as exc:  # noqa: BLE001 - a chore must not end the publication
        say(f"stale volunteers' tasks not released this round: {exc!r}", flush=True)
        return
    if released:
        say(f"{released} volunteers' tasks not typed in time given to others", flush=True)
