"""The demo's observers' photos of certified copies.

At build (`deploy`): party proxies are sent to every station the demo rewrote upstream and to a
random sample of others, so that about `SHARE` of the stations have an observer's copy (the
PVT observers' copies count towards it). A copy's figures are the paper's, which differ from the
official protocol exactly where the demo rewrote upstream. Rows only, in bulk: no picture yet.

While the demo serves (`python -m sailau.evidence.copies ELECTION`, started by `sailau demo`
like the scans' backfill): every copy without a photo gets one, drawn as the copy filled by
hand and shot with a phone (`sailau.scans.handwriting`), attached through the observers' own
photo path (`observation.reports.attach_copy_photo`: checked, hashed, audited), the stations
rewritten upstream first. Each photo then becomes an image for the volunteers (post_save).
A photo costs ~150 ms of CPU to draw; `AT_BUILD` are drawn at build so that the pages show
some at once."""

from __future__ import annotations

import random
import threading
import uuid as uuidlib
import zlib

SHARE = 0.30
AT_BUILD = 8
BATCH = 16


def national_contest(election_id: str):
    """The national party list: the contest observers copy (as `observation.demo` does)."""
    from sailau.elections.models import Commission, Contest
    from sailau.law import kinds

    national = Contest.objects.filter(election_id=election_id, commission__level=Commission.CEC)
    return national.filter(kind__in=kinds.named(by_list=True)).first() or national.first()


def deploy(election_id: str, seed: int, share: float = SHARE, truth: dict | None = None) -> dict:
    """Party proxies with a copy at every rewritten station and at random others, until
    `share` of the stations with a protocol have a copy. Idempotent: stations with a copy
    are left as they are. Returns counts."""
    from django.db import transaction

    from sailau.observation import models as m
    from sailau.observation.demo import NAMES, SURNAMES
    from sailau.paths import demo_ground_truth
    from sailau.protocols.models import Protocol

    contest = national_contest(election_id)
    truth = demo_ground_truth() if truth is None else truth
    parties = list(m.Organisation.objects.filter(
        election_id=election_id, kind=m.Organisation.PARTY,
        accreditations__status=m.Accreditation.GRANTED).distinct().order_by("id"))
    if contest is None or not parties:
        return {"deployed": 0, "copies": 0}
    official = {sid: (fig, ch) for sid, fig, ch in Protocol.objects.current().filter(
        contest=contest).values_list("station_id", "figures", "choices")}
    have = set(m.ObserverCopy.objects.filter(contest=contest).values_list("station_id", flat=True))
    rewritten = {sid for sid, t in truth.items() if "rewritten_upstream" in t.get("kinds", ())}
    rnd = random.Random(seed * 31 + 17)
    others = sorted(set(official) - rewritten - have)
    rnd.shuffle(others)
    wanted = round(share * len(official))
    new = sorted(rewritten & set(official) - have)
    new += others[:max(0, wanted - len(have) - len(new))]
    with transaction.atomic():
        observers = [m.Observer(organisation=rnd.choice(parties), kind=m.Observer.PARTY_PROXY,
                                badge=f"P{rnd.randrange(10 ** 11):011d}",
                                full_name=f"{rnd.choice(NAMES)} {rnd.choice(SURNAMES)}")
                     for sid in new]
        m.Observer.objects.bulk_create(observers, batch_size=500)
        ids = dict(m.Observer.objects.filter(badge__in=[o.badge for o in observers])
                   .values_list("badge", "id"))
        m.Deployment.objects.bulk_create(
            [m.Deployment(observer_id=ids[o.badge], station_id=sid)
             for o, sid in zip(observers, new)], batch_size=500)
        copies = []
        for o, sid in zip(observers, new):
            fig, ch = official[sid]
            paper = (truth.get(sid) or {}).get("paper") or {}
            copies.append(m.ObserverCopy(
                uuid=uuidlib.UUID(int=rnd.getrandbits(128), version=4),
                observer_id=ids[o.badge], station_id=sid, contest=contest,
                figures=paper.get("figures", fig), choices=paper.get("choices", ch)))
        m.ObserverCopy.objects.bulk_create(copies, batch_size=500)
    return {"deployed": len(new), "copies": len(have) + len(new), "stations": len(official),
            "rewritten": len(rewritten), "rewritten_covered": len(rewritten & (have | set(new)))}


def pending(election_id: str, limit: int = BATCH) -> list[int]:
    """Copies without a photo, those of stations rewritten upstream first, then by id."""
    from sailau.observation.models import ObserverCopy
    from sailau.paths import demo_ground_truth

    qs = ObserverCopy.objects.filter(station__election_id=election_id, photo="")
    rewritten = [sid for sid, t in demo_ground_truth().items() if "rewritten_upstream" in t.get("kinds", ())]
    first = list(qs.filter(station_id__in=rewritten).order_by("id").values_list("id", flat=True)[:limit])
    if len(first) >= limit:
        return first
    return first + list(qs.exclude(station_id__in=rewritten).order_by("id")
                        .values_list("id", flat=True)[:limit - len(first)])


def photograph(election_id: str, ids: list[int], seed: int, layouts: dict | None = None) -> int:
    """Draw and attach the photos of these copies; how many were attached."""
    from django.db import transaction

    from sailau.observation import reports
    from sailau.observation.models import ObserverCopy
    from sailau.scans import demo, handwriting, page

    layouts = layouts or demo.forms(election_id)
    copies = list(ObserverCopy.objects.filter(id__in=ids, photo="").order_by("id"))
    sheets = demo.sheets({c.station_id for c in copies})
    templates: dict[str, page.Template] = {}
    done = 0
    for c in copies:
        if c.contest_id not in templates:
            templates[c.contest_id] = page.Template(layouts[c.contest_id][0])
        rng = random.Random(zlib.crc32(f"{seed}/copy/{c.uuid}".encode()))
        sheet = handwriting.copy_page(templates[c.contest_id], sheets[c.station_id], c.figures,
                                      c.choices, rng)
        data, _ = handwriting.photograph(sheet, rng)
        with transaction.atomic():
            row = ObserverCopy.objects.select_for_update().get(pk=c.pk)
            reports.attach_copy_photo(row, data, f"observer {c.observer_id} (demo)")
        done += 1
    return done


def at_build(election_id: str, seed: int) -> dict:
    out = deploy(election_id, seed)
    out["photos"] = photograph(election_id, pending(election_id, AT_BUILD), seed)
    return out


def run(election_id: str, seed: int = 2023, until_done: bool = False,
        stop: threading.Event | None = None, poll: float = 5.0) -> int:
    """Attach photos until every copy has one (then return if `until_done`, else wait for
    copies to come) or `stop` is set; how many were attached."""
    from django.db import close_old_connections, connection

    from sailau.scans import demo

    stop = stop or threading.Event()
    layouts = demo.forms(election_id)
    total = 0
    while not stop.is_set():
        if not connection.in_atomic_block:  # a long-lived process: a fresh connection if stale
            close_old_connections()
        ids = pending(election_id)
        if not ids:
            if until_done:
                break
            stop.wait(poll)
            continue
        total += photograph(election_id, ids, seed, layouts)
    return total


def main(argv=None) -> int:
    from sailau.background import demo_side_main

    return demo_side_main(
        argv, prog="python -m sailau.evidence.copies",
        until_done="stop when every observer's copy has its photo",
        run=lambda a, stop: run(a.election, a.seed, a.until_done, stop),
        summary=lambda n, s: f"observers' photos: {n:,} drawn and attached in {s:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
