"""The volunteers of the demo: at build, every scan and observer's photo registered as an image
and the crowd (`crowd`) typing the first `BUILD_READINGS` readings; the rest while the demo
serves (`python -m sailau.evidence.crowd`, started by `sailau demo`). And what the evidence
caught, measured against the demo's ground truth (`outcome`, for the build's report and
`benchmarks/bench_crowd.py`)."""

from __future__ import annotations

from django.db.models import Count

from sailau.evidence import compare, copies, crowd, sources
from sailau.evidence.models import Image
from sailau.paths import demo_ground_truth

# Readings typed at build: enough for the pages to show verified readings, matches and
# mismatches at once; at about 10 ms a reading on a quiet machine, a few seconds. The rest
# (every station's scan once every station uploads one: ~23,000 readings) is the live night's.
BUILD_READINGS = 600


def at_build(election_id: str, seed: int) -> dict:
    photos = copies.at_build(election_id, seed)  # party proxies' copies; a few photos drawn
    added = sources.sync(election_id)  # the demo's copies are written in bulk, without signals
    sent = crowd.type_images(election_id, crowd.recruit(seed=seed), seed=seed,
                             limit=BUILD_READINGS)
    return {"registered": added, "readings": sent["readings"] + sent["unreadable"],
            "copies": photos, **outcome(election_id)}


def outcome(election_id: str, truth: dict | None = None) -> dict:
    """What the verified readings and the observers' copies show against the ground truth:
    - rewritten: stations whose figures the demo rewrote upstream (the paper says otherwise);
      `with_evidence` of them have an observer's copy or a verified image, `caught` of those
      show the difference (a copy that differs, or a verified reading that does);
    - false mismatches: verified readings that differ from the official protocol although
      the image shows the official figures (the crowd's errors that double typing let
      through), out of all verified readings."""
    from sailau.observation.compare import differences
    from sailau.observation.models import ObserverCopy

    truth = demo_ground_truth() if truth is None else truth
    rewritten = {sid for sid, t in truth.items() if "rewritten_upstream" in t.get("kinds", ())}
    images = list(Image.objects.filter(station__election_id=election_id)
                  .select_related("protocol", "scan", "copy"))
    verified = [i for i in images if i.status == Image.VERIFIED]
    rows = compare.compared(verified)
    official = compare.current_protocols((i.station_id, i.contest_id) for i in verified)
    false = 0
    caught_by_reading = set()
    for row in rows:
        image = row["image"]
        if row["status"] != compare.MISMATCH:
            continue
        if image.station_id in rewritten:
            caught_by_reading.add(image.station_id)
        p = official.get((image.station_id, image.contest_id))
        fig, cho = crowd.shown(image)
        if p is not None and not differences(p["figures"], p["choices"], fig, cho):
            false += 1
    copies = {}
    for c in ObserverCopy.objects.filter(station__election_id=election_id,
                                         station_id__in=rewritten).select_related("contest"):
        copies.setdefault(c.station_id, []).append(c)
    by_copy = set()
    if copies:
        official_copies = compare.current_protocols(
            (c.station_id, c.contest_id) for cs in copies.values() for c in cs)
        for sid, cs in copies.items():
            for c in cs:
                p = official_copies.get((sid, c.contest_id))
                if p and differences(p["figures"], p["choices"], c.figures, c.choices):
                    by_copy.add(sid)
    with_evidence = ({sid for sid in copies} | {i.station_id for i in verified}) & rewritten
    return {"images": len(images), "verified": len(verified),
            "typed_by_two": Image.objects.filter(station__election_id=election_id).annotate(
                n=Count("readings__volunteer", distinct=True)).filter(n__gte=2).count(),
            "false_mismatches": false, "rewritten": len(rewritten),
            "with_evidence": len(with_evidence), "caught": len(by_copy | caught_by_reading),
            "caught_by_copy": len(by_copy), "caught_by_reading": len(caught_by_reading)}
