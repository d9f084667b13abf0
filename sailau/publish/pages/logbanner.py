"""What a results page says of the published log: the checkpoint its figures are in, which
witnesses cosigned it and how long ago, which witness is behind since when, and how many of the
protocols the page counts are signed by the log alone, not yet by the witnesses
(`publish/_log.html`). A reader who runs `sailau verify` is refused figures resting on such
leaves unless it says it accepts them (`--allow-unwitnessed`); a reader of the page is told
instead, in the page's language. A page is kept apart from its banner, which is rendered
once per log state, language and count (`pagecache.with_banner`), so a new checkpoint or
cosignature renders no page again."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils import timezone

from sailau import clock
from sailau.elections.models import Station
from sailau.ledger import cosign
from sailau.ledger.models import Cosignature, Leaf, LogState, Witness
from sailau.protocols.models import Protocol


class Now(NamedTuple):
    """The log as a page shows it: `key` changes whenever the banner would (a checkpoint
    signed, a witness's latest cosignature, the witnessed size); `total` witnesses and the
    `witnessed` size (None without witnesses) tell a station which of its leaves are
    witnessed."""

    key: str
    total: int
    witnessed: int | None


def current(election_id: str, read: tuple[int | None, list] | None = None) -> Now:
    """Two indexed queries whatever the log's length: the checkpoint's size and each witness's
    latest cosignature (`read`: both, when the caller has them, as a station page's one
    statement reads them). The banner reads nothing else of the cosignatures (its "ago" is the
    latest's time) but the witnessed size, which these also give unless the witnesses' latest
    differ (`witnessed_size`)."""
    if read is None:
        read = (LogState.objects.filter(pk=election_id).values_list("checkpoint_size", flat=True)
                .first(), _latest(election_id))
    size, latest = read
    witnessed = witnessed_size(election_id, len(latest), latest)
    return Now(f"|log:{size}:{latest}:{witnessed}", len(latest), witnessed)


def unwitnessed_in(election_id: str, now: Now, area: Q | None, kept_by: str) -> int | None:
    """What the banner says of the protocols counted in `area` (a `Q` on Station; None for the
    whole election) for the log as `now` read it: how many are signed by the log alone. None
    without witnesses: the banner then says so and counts nothing. Kept once per log state and
    `kept_by`, the page's own state (its tallies: a protocol still waiting for the log moves
    them, not the log), so that a page asked for many times between two checkpoints counts
    once; a tail of the whole night (every witness down) is read once per log state then, not
    per request."""
    if not now.total:
        return None
    from sailau.publish.files.keptcache import _cache, digest

    key = f"unwitnessed:{digest(election_id, now.key, kept_by)}"
    found = _cache().get(key)
    if found is None:
        subjects = None if now.witnessed is None else unwitnessed_subjects(election_id,
                                                                           now.witnessed)
        found = unwitnessed_count(election_id, subjects, area)
        _cache().set(key, found)
    return found


def rendered(log: dict) -> bytes:
    """The banner (`banner`'s dict) as a page that includes `publish/_log.html` renders it."""
    from django.template.loader import render_to_string

    return render_to_string("publish/_log.html", {"log": log}).encode()


def rendered_for(election_id: str, unwitnessed: int | None) -> bytes:
    """The election's banner now, saying `unwitnessed` (`unwitnessed_in`, or a station's own)."""
    return rendered({**banner(election_id, count=False), "unwitnessed": unwitnessed})


def _latest(election_id: str, upto: int | None = None) -> list[tuple[str, int | None, int | None]]:
    """Each witness of the election (name, size, signed_at) with its largest cosignature (of at
    most `upto`), None for none (`cosign.with_latest`)."""
    return list(cosign.with_latest(election_id, upto).values_list("name", "last", "signed"))


def banner(election_id: str, now: dt.datetime | None = None, area: Q | None = None,
           count: bool = True) -> dict:
    """The log's part of a results page. `area`: the stations whose protocols the page counts
    (a `Q` on Station; None for the whole election); `count=False` leaves `unwitnessed` to the
    caller (a station page knows its protocols' leaves already)."""
    s = cosign.status(election_id, now)
    total = s["witnesses_total"] if s else Witness.objects.filter(
        election_id=election_id).count()
    witnessed = witnessed_size(election_id, total)
    out = {"size": None, "witnesses": total, "witnessed": witnessed, "unwitnessed": None}
    if count:
        out["unwitnessed"] = unwitnessed_count(
            election_id, None if witnessed is None else unwitnessed_subjects(
                election_id, witnessed), area)
    if s is None:
        return out
    now = now or clock.now()
    behind = [{"name": w["name"], "since": timezone.localtime(
        dt.datetime.fromisoformat(w["behind_since"])).strftime("%H:%M:%S")}
        for w in s["witnesses"] if not w["current"] and w["behind_since"]]
    return {**out, "size": s["size"], "root": s["root"][:12], "cosigned": s["cosigned_by"],
            "total": s["witnesses_total"], "behind": behind,
            "ago": max(0, round(s["age_seconds"])) if s["age_seconds"] is not None else None,
            "url": f"/api/log/{election_id}/checkpoint"}


def witnessed_json(election_id: str, area: Q | None, contest_id: str | None = None) -> dict:
    """The same for the API (`/api/tallies/<contest>/<commission>`): the log's latest
    checkpoint size, the witnesses' count, the largest size they all cosigned (null without
    witnesses: nothing is witnessed) and how many protocols counted are beyond it."""
    total = Witness.objects.filter(election_id=election_id).count()
    witnessed = witnessed_size(election_id, total)
    size = LogState.objects.filter(pk=election_id).values_list("checkpoint_size", flat=True) \
        .first()
    return {"log_size": size, "witnesses": total, "witnessed_size": witnessed,
            "protocols_unwitnessed": unwitnessed_count(
                election_id, None if witnessed is None else unwitnessed_subjects(
                    election_id, witnessed), area, contest_id)}


def is_witnessed(index: int | None, witnessed: int | None) -> bool:
    """Whether a leaf at `index` (None: not yet in the log) is in a checkpoint the witnesses
    cosigned."""
    return index is not None and witnessed is not None and index < witnessed


# How many times `witnessed_size` steps down through the witnesses' cosignatures before it
# asks the aggregate: each step is a seek per witness, and the first almost always answers.
_STEPS = 8


def witnessed_size(election_id: str, total: int, latest: list | None = None) -> int | None:
    """The largest checkpoint size every one of the election's `total` witnesses cosigned (as
    `log/checkpoint.witnessed` and `sailau verify` by default require); 0 when none is yet,
    None when the election has no witness (nothing is ever witnessed). `latest`: `_latest`'s
    rows, when the caller has read them.

    No size beyond the smallest of the witnesses' latest is cosigned by all; that one is, when
    every witness's largest up to it is it. Otherwise the next candidate is the smallest of
    those largest, and so on: a witness that skipped checkpoints (it came back and cosigned
    only the newest) is the only way down."""
    if not total:
        return None
    rows = latest if latest is not None else _latest(election_id)
    for _ in range(_STEPS):
        sizes = [r[1] for r in rows]
        if len(sizes) != total or None in sizes:
            break  # a witness with nothing (up to here) cosigned, or `total` is not theirs
        low = min(sizes)
        if max(sizes) == low:
            return low
        rows = _latest(election_id, upto=low)
    else:
        return _witnessed_by_count(election_id, total, upto=low)
    return 0 if len(sizes) == total else _witnessed_by_count(election_id, total)


def _witnessed_by_count(election_id: str, total: int, upto: int | None = None) -> int:
    """The same by counting the witnesses of every size (of at most `upto`)."""
    qs = Cosignature.objects.filter(witness__election_id=election_id)
    if upto is not None:
        qs = qs.filter(size__lte=upto)
    row = (qs.values("size").annotate(n=Count("witness", distinct=True)).filter(n__gte=total)
           .order_by("-size").values_list("size", flat=True).first())
    return row or 0


def unwitnessed_subjects(election_id: str, witnessed: int) -> set[str]:
    """The subjects (station/contest/version) of the protocol leaves no witness quorum has
    cosigned: at or beyond `witnessed`, or still waiting for the integrator (not even the log
    has signed them). On election night that is the last second or so of the log: a range of
    the (election, index) index and the pending rows' own index, never a walk of the log."""
    leaves = Leaf.objects.filter(election_id=election_id, kind="protocol")
    pending = set(leaves.filter(index__isnull=True).values_list("subject", flat=True))
    return pending | set(leaves.filter(index__gte=witnessed).values_list("subject", flat=True))


def unwitnessed_count(election_id: str, subjects: set[str] | None, area: Q | None,
                      contest_id: str | None = None) -> int:
    """How many of the protocols counted (current versions, of `contest_id` if given) in
    `area` (a `Q` on Station; None for the whole election) are among `subjects`; every one of
    them when `subjects` is None (an election without witnesses)."""
    if subjects is None:
        qs = Protocol.objects.filter(station__election_id=election_id, current=True)
        if contest_id:
            qs = qs.filter(contest_id=contest_id)
        if area is not None:
            qs = qs.filter(station__in=Station.objects.filter(area))
        return qs.count()
    # The few stations of the tail, by their primary keys: a filter on the election or the area
    # first made SQLite walk every protocol of the election (9 ms a render on a small one).
    ids = sorted({k.split("/")[0] for k in subjects})
    found = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        if area is not None:
            chunk = list(Station.objects.filter(area, id__in=chunk).values_list("id", flat=True))
        qs = Protocol.objects.filter(station_id__in=chunk, current=True)
        if contest_id:
            qs = qs.filter(contest_id=contest_id)
        found += sum(1 for k in qs.values_list("station_id", "contest_id", "version")
                     if "/".join(map(str, k)) in subjects)
    return found
