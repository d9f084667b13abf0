"""The integrity report's benchmark on a demo night: of the stations the demo rewrote upstream, how many are
caught by observers' copies and by volunteers' verified readings, and how many verified readings
differ from the paper although the image shows the official figures (careless volunteers'
errors that double typing let through).

A demo of --stations stations is built with every protocol definitive (`sailau demo --no-serve
--reported 100`, in a fresh data directory), then what `sailau demo` does while it serves is
run to the end in this process: every protocol's scan drawn and uploaded (the scans' backfill),
every observer's copy photographed (`sailau.evidence.copies`), and the demo's crowd typing every
image twice (a third time on disagreement). `sailau.evidence.demo.outcome` then compares with
the demo's ground truth. Baseline for the timings, side by side: the build alone.

    .venv/bin/python benchmarks/bench_caught.py [--stations 300] [--seed 2023] [--no-ocr] \
        [--passes 1]

`--no-ocr` uploads the scans without reading their printed digits (~0.2 s of CPU a page): the
QR check and the volunteers decide what is caught here, the OCR only flags papers whose digits
differ from their code, which the demo does not draw.

`--passes N`: the crowd types every image N times over (readings, assignments and reputations
wiped between passes, the typing seed seed+k for pass k), once under today's rule and once
under the old one (two equal readings final even against the official figures and the machine
reading: `checks.doubts` answering nothing), each pass with the same seed for both rules. The
pictures are drawn once; the passes multiply the sample of verified readings the false
mismatch rate is measured on, for the cost of the typing alone.

`--kinds`: recall and precision of the integrity report's flagged stations for each
injected kind (`sailau.integrity.demo_scoring`), over the demos of `--seeds`, each built in its
own data directory by a child process: read at once after the build (what the report says
when the demo starts serving), and with `--night` again after the night (every scan uploaded,
every copy photographed, the crowd typing every image once). Stuffing is also scored over the
stuffed stations where an observer counted voters, and by the flags that speak of stuffing
alone (I02, I04, I16, I19), and the top 50 of the ranked list (flagged or to watch) is scored
as a selection of its own. Sums over seeds, then per seed, as Markdown:

    .venv/bin/python benchmarks/bench_caught.py --kinds --stations 1000 \
        --seeds 2023,2024,2025 [--night] [--no-ocr]
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=300)
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--kinds", action="store_true", help="recall/precision per kind")
    ap.add_argument("--seeds", default="2023,2024,2025")
    ap.add_argument("--night", action="store_true", help="with --kinds: also after the night")
    ap.add_argument("--kinds-one", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.kinds:
        return kinds(a)
    if a.kinds_one:
        return kinds_one(a)
    data = tempfile.mkdtemp(prefix="bench-caught-")
    os.environ["SAILAU_DATA_DIR"] = data
    os.environ.pop("SAILAU_DATABASE_URL", None)  # the demo's own SQLite database
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sailau", "demo", "--no-serve", "--reported", "100",
                    "--stations", str(a.stations), "--seed", str(a.seed)], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    build = time.perf_counter() - t
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.db.models import Count

    from sailau.demo.synthetic import ELECTION_ID
    from sailau.evidence import copies, crowd, demo
    from sailau.evidence.models import Image
    from sailau.scans import backfill, service

    if a.no_ocr:
        upload_scan = service.upload_scan
        service.upload_scan = lambda *args, **kw: upload_scan(*args, **{**kw, "ocr": False})

    steps = {"build_s": round(build, 1)}
    t = time.perf_counter()
    scans = backfill.run(ELECTION_ID, a.seed, workers=2, until_done=True, say=lambda *x, **k: None)
    steps["scans_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    photos = copies.run(ELECTION_ID, a.seed, until_done=True)
    steps["photos_s"] = round(time.perf_counter() - t, 1)
    passes = []
    for k in range(a.passes):
        for rule in ("new", "old"):
            wipe()
            members = crowd.recruit(seed=a.seed)  # fresh rows: no reputation kept in memory
            t = time.perf_counter()
            with old_rule(rule == "old"):
                sent = crowd.type_images(ELECTION_ID, members, seed=a.seed + k)
            out = demo.outcome(ELECTION_ID)
            passes.append({"pass": k, "rule": rule, "crowd_s": round(time.perf_counter() - t, 1),
                           "readings": dict(sent), **out,
                           "statuses": dict(Image.objects.values_list("status")
                                            .annotate(n=Count("id")).order_by())})
            print(json.dumps(passes[-1]), file=sys.stderr, flush=True)
    totals = {}
    for rule in ("new", "old"):
        mine = [p for p in passes if p["rule"] == rule]
        verified = sum(p["verified"] for p in mine)
        false = sum(p["false_mismatches"] for p in mine)
        totals[rule] = {
            "verified": verified, "false_mismatches": false,
            "false_mismatch_rate": round(false / max(1, verified), 5),
            "readings": sum(p["readings"].get("readings", 0)
                            + p["readings"].get("unreadable", 0) for p in mine),
            "caught": [p["caught"] for p in mine], "rewritten": mine[0]["rewritten"],
            "caught_by_reading": [p["caught_by_reading"] for p in mine],
            "with_evidence": [p["with_evidence"] for p in mine],
            "typed_by_two": [p["typed_by_two"] for p in mine], "images": mine[0]["images"]}
    print(json.dumps({"stations": a.stations, "seed": a.seed, "ocr": not a.no_ocr, "scans": scans,
                      "photos": photos, **steps, "passes": passes, "totals": totals,
                      "load_average": os.getloadavg()}, indent=1))


def wipe() -> None:
    """Every image back to untyped, every volunteer back to no reputation."""
    from sailau.evidence.models import Assignment, Image, Reading, Volunteer

    Reading.objects.all().delete()
    Assignment.objects.all().delete()
    Image.objects.update(status=Image.OPEN, needed=2, assigned=0, wanted=True, figures=None,
                         choices=None, verified_by=0, verified_at=None)
    Volunteer.objects.update(typed=0, decided=0, confirmed=0, low=False, low_reason="")


@contextlib.contextmanager
def old_rule(on: bool):
    """The rule before the third reading: nothing ever speaks against two equal readings."""
    from sailau.evidence import checks

    doubts = checks.doubts
    if on:
        checks.doubts = lambda *args, **kw: []
    try:
        yield
    finally:
        checks.doubts = doubts


STUFFING_CODES = ("I02", "I04", "I16", "I19")
TOP = 50


def kinds(a) -> None:
    """Each seed in a child process (its own data directory and database), then the sums."""
    runs = []
    for seed in [int(x) for x in a.seeds.split(",") if x.strip()]:
        cmd = [sys.executable, __file__, "--kinds-one", "--seed", str(seed),
               "--stations", str(a.stations)] + (["--night"] if a.night else []) + (
               ["--no-ocr"] if a.no_ocr else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
        runs.append(json.loads(out.stdout))
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    print(kinds_markdown(runs, a.stations))


def kinds_one(a) -> None:
    data = tempfile.mkdtemp(prefix="bench-caught-kinds-")
    os.environ["SAILAU_DATA_DIR"] = data
    os.environ.pop("SAILAU_DATABASE_URL", None)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sailau", "demo", "--no-serve", "--reported", "100",
                    "--stations", str(a.stations), "--seed", str(a.seed)], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    out = {"seed": a.seed, "stations": a.stations, "build_s": round(time.perf_counter() - t, 1)}
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from sailau.demo.synthetic import ELECTION_ID
    from sailau.paths import demo_ground_truth

    truth = demo_ground_truth()
    t = time.perf_counter()
    out["first_read"] = kinds_scored(ELECTION_ID, truth)
    out["report_s"] = round(time.perf_counter() - t, 1)
    if a.night:
        from sailau.evidence import copies, crowd
        from sailau.scans import backfill, service

        if a.no_ocr:
            upload_scan = service.upload_scan
            service.upload_scan = lambda *args, **kw: upload_scan(*args, **{**kw, "ocr": False})
        t = time.perf_counter()
        backfill.run(ELECTION_ID, a.seed, workers=2, until_done=True, say=lambda *x, **k: None)
        copies.run(ELECTION_ID, a.seed, until_done=True)
        crowd.type_images(ELECTION_ID, crowd.recruit(seed=a.seed), seed=a.seed)
        out["night_s"] = round(time.perf_counter() - t, 1)
        out["after_night"] = kinds_scored(ELECTION_ID, truth)
    print(json.dumps(out))


def kinds_scored(election_id: str, truth: dict) -> dict:
    """True positives etc. of the flagged stations per kind, as the report reads now."""
    from sailau.analysis import criteria
    from sailau.analysis.scoring import precision_recall
    from sailau.integrity import demo_scoring, service, table
    from sailau.observation.models import VoterCount

    contest = table.principal_contest(election_id)
    data = service.get(contest, recompute=True)
    flagged = {s for s, v in data["stations"].items() if v["status"] == criteria.FLAGGED}
    by_kind = demo_scoring.truth_by_kind(truth, contest.id)
    falsified = set().union(*by_kind.values())
    rows = {}
    for kind, ids in by_kind.items():
        rows[kind] = precision_recall(flagged - (falsified - ids), ids)
    rows["any"] = precision_recall(flagged, falsified)
    counted = set(VoterCount.objects.values_list("station_id", flat=True))
    stuffed = by_kind.get("ballot_stuffing", set())
    rows["ballot_stuffing, observer counted"] = precision_recall(
        flagged & counted - (falsified - stuffed), stuffed & counted)
    # By when the ballots were added (the demo's assumption, `sailau.demo.turnout_day`): through
    # the day no report of the day can show them; in the evening or at the count, I23 reads them.
    stations = truth.get("stations", truth)
    for when in ("day", "evening", "count"):
        ids = {s for s in stuffed if (stations.get(s) or {}).get("added_when") == when}
        rows[f"ballot_stuffing, covered, added {when}"] = precision_recall(
            flagged & ids, ids)
    ids = {s for s in stuffed if not (stations.get(s) or {}).get("covered")}
    rows["ballot_stuffing, more found than issued"] = precision_recall(flagged & ids, ids)
    for_stuffing = {s for s, v in data["stations"].items()
                    if any(f["code"] in STUFFING_CODES for f in v["flags"])}
    rows["ballot_stuffing, stuffing flags only"] = precision_recall(
        for_stuffing - (falsified - stuffed), stuffed)
    # The ranked list as a journalist reads it: its top 50 (flagged, then to watch).
    top = {s for s, v in data["stations"].items() if v["rank"] <= TOP}
    rows[f"any, top {TOP} of the ranked list"] = precision_recall(top, falsified)
    rows[f"ballot_stuffing, top {TOP} of the ranked list"] = precision_recall(
        top - (falsified - stuffed), stuffed)
    rows["signals"] = signals(contest, stuffed, falsified, {
        s: {f["code"] for f in v["flags"]} for s, v in data["stations"].items()})
    return rows


def signals(contest, stuffed: set, falsified: set, codes: dict) -> dict:
    """Of the stuffed stations and of the clean ones: how many have each signal the system
    holds (an observer's closing count, a counting checklist, its "more ballots than voters",
    an incident of stuffing, an observer's copy, a verified reading that differs) and how many
    each stuffing criterion lights."""
    from sailau.integrity import service

    inputs = service.station_inputs(contest)
    ids = set(table_ids(contest))
    clean = ids - falsified

    def having(test):
        return {"stuffed": sum(1 for s in stuffed if test(s)),
                "clean": sum(1 for s in clean if test(s))}

    said = lambda s, k, v: any((a.get("answers") or {}).get(k) == v and a.get("stage") == "counting"
                               for a in inputs.get("assessments", {}).get(s, ()))
    out = {"stations": {"stuffed": len(stuffed), "clean": len(clean)},
           "observer count": having(lambda s: bool(inputs.get("observer_counts", {}).get(s))),
           "counting checklist": having(lambda s: any(
               a.get("stage") == "counting" for a in inputs.get("assessments", {}).get(s, ()))),
           "checklist: more ballots than voters": having(
               lambda s: said(s, "more_ballots_than_voters", "yes")),
           "incident: stuffing": having(lambda s: any(
               x.get("kind") == "ballot_stuffing" for x in inputs.get("incidents", {}).get(s, ()))),
           "observer's copy": having(lambda s: bool(inputs.get("observer_copies", {}).get(s))),
           "verified reading differs": having(
               lambda s: bool(inputs.get("verified_readings", {}).get(s)))}
    for code in ("I02", "I04", "I16", "I19", "I20", "I21", "I23"):
        out[code] = having(lambda s, c=code: c in codes.get(s, ()))
    return out


def table_ids(contest) -> list[str]:
    from sailau.protocols.models import Protocol

    return list(Protocol.objects.current().filter(contest=contest)
                .values_list("station_id", flat=True))


def kinds_markdown(runs: list[dict], stations: int) -> str:
    moments = [m for m in ("first_read", "after_night") if all(m in r for r in runs)]
    seeds = ", ".join(str(r["seed"]) for r in runs)
    lines = [(f"Demos of {stations:,} stations, seeds {seeds}: flagged stations (rule R1) "
              "against the injected ground truth, summed over the seeds.\n"),
             "| kind | moment | injected | flagged right | false flags | recall | precision |",
             "|---|---|---|---|---|---|---|"]
    for kind in runs[0]["first_read"]:
        if kind == "signals":
            continue
        for m in moments:
            tp = sum(r[m][kind]["true_positives"] for r in runs)
            fp = sum(r[m][kind]["false_positives"] for r in runs)
            true = sum(r[m][kind]["true"] for r in runs)
            rec = f"{tp / true:.3f}" if true else "—"
            prec = f"{tp / (tp + fp):.3f}" if tp + fp else "—"
            lines.append(f"| {kind} | {m.replace('_', ' ')} | {true} | {tp} | {fp} | {rec} | "
                         f"{prec} |")
    lines += ["", ("| seed | build s | report s | night s | stuffing recall (first read) | "
                   "stuffing precision |"), "|---|---|---|---|---|---|"]
    for r in runs:
        st = r["first_read"]["ballot_stuffing"]
        lines.append(f"| {r['seed']} | {r['build_s']} | {r['report_s']} | {r.get('night_s', '—')}"
                     f" | {st['recall']} | {st['precision']} |")
    lines += ["", "Signals at the first read, summed over the seeds (stuffed stations / clean ones):", "",
              "| signal | stuffed | clean |", "|---|---|---|"]
    for name in runs[0]["first_read"]["signals"]:
        st = sum(r["first_read"]["signals"][name]["stuffed"] for r in runs)
        cl = sum(r["first_read"]["signals"][name]["clean"] for r in runs)
        lines.append(f"| {name} | {st} | {cl} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
