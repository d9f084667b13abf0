"""What the demo adds around the protocol chain once every protocol is definitive: scans of
the signed protocols (a sample with images, a few altered after printing) and a register of
complaints, observers with their checklists, incidents and copies of the protocols, and a sample of the
voter register. Each part generates through its own app's services, so its checks run too."""

import datetime as dt
import json
import time

from sailau.elections.models import Election

SCAN_SAMPLE = 100
VOTERS = 10_000  # a sample of the register: the full 12 million is `benchmarks/bench_register.py`  # images cost ~50 ms each; every protocol still gets its QR payload


def populate(election: Election, seed: int, closing: dt.datetime | None = None,
             say=print, beside: bool = False) -> None:
    """`closing`: when the polls closed on the replayed night (`demo.chain.Night`); observers'
    reports and complaints after the vote are placed on that night. `beside`: the scans are
    drawn in processes of their own (`scans.demo.draw_beside`) while this one writes the
    complaints, candidates, finance and observers, which need no scan."""
    from sailau.complaints.demo import generate as complaints
    from sailau.demo.candidates import generate as candidates
    from sailau.evidence.demo import at_build as evidence
    from sailau.finance.demo import generate as finance
    from sailau.observation.demo import generate as observation
    from sailau.publish.pages import search
    from sailau.scans.demo import draw_beside
    from sailau.scans.demo import load as scans
    from sailau.voters.demo import generate as voters

    t_scans = time.perf_counter()
    say(f"scans: drawing and uploading a sample of {SCAN_SAMPLE} protocols' pages ...",
        flush=True)
    # begun first: the other core draws while this one writes the search index
    drawn = draw_beside(election.id, sample=SCAN_SAMPLE, seed=seed) if beside else None
    t = time.perf_counter()
    tokens = search.rebuild(election.id)  # so that the first visitor's search does not wait
    say(f"search index: {tokens:,} tokens in {time.perf_counter() - t:.1f} s")

    def uploaded() -> dict:
        summary = scans(election.id, sample=SCAN_SAMPLE, seed=seed, drawn=drawn)
        statuses = ", ".join(f"{n:,} {k.replace('_', ' ')}"
                             for k, n in sorted(summary["statuses"].items()))
        missed = len(summary["altered_missed"])
        say(f"scans: {sum(summary['statuses'].values()):,} uploaded ({statuses}); "
            f"{summary['altered_caught']} altered after printing, "
            f"{f'{missed} of them missed' if missed else 'every one caught'}; "
            f"in {time.perf_counter() - t_scans:.1f} s", flush=True)
        return summary

    summary = uploaded() if drawn is None else None
    t = time.perf_counter()
    filed = complaints(election, seed, closing=closing)
    say(f"complaints: {len(filed)} filed in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    nom = candidates(election, seed)
    say(f"candidates: {nom['nominations']} nominated, {nom['decisions']} decisions, "
        f"{nom['appeals']} appeals, {nom['flagged']} requirements flagged at nomination, in "
        f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    fin = finance(election, seed)
    say(f"campaign finance: {fin['rows']} items in {fin['reports']} synthetic reports, "
        f"{fin['findings']} limits broken, in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    # after the ground truth: observers carry the paper figures
    o = observation(election, seed, closing=closing)
    say(f"observation: {o['observers']} observers at {o['deployed']} stations, "
        f"{o['copies_different']} of {o['copies']} copies differ from the official protocol, "
        f"in {time.perf_counter() - t:.1f} s")
    if summary is None:  # the scans drawn meanwhile: the volunteers type them
        summary = uploaded()
    t = time.perf_counter()
    e = evidence(election.id, seed)
    c = e["copies"]
    say(f"observers' copies: {c.get('copies', 0)} stations of {c.get('stations', 0)} "
        f"({c.get('deployed', 0)} party proxies added; {c.get('rewritten_covered', 0)} of "
        f"{c.get('rewritten', 0)} stations rewritten upstream), {c.get('photos', 0)} photos at "
        f"build, the rest while the demo serves")
    say(f"volunteers: {e['readings']} readings typed by the crowd at build ({e['verified']} of "
        f"{e['images']} images verified, the rest typed while the demo serves); "
        f"{e['false_mismatches']} false mismatches; of {e['rewritten']} stations rewritten "
        f"upstream, {e['with_evidence']} have a copy or a verified image and {e['caught']} of "
        f"those are caught, in {time.perf_counter() - t:.1f} s")
    # Last, so that no part above treats these stations as falsified on the day: the paper
    # was altered after the count, the day itself was clean.
    record_altered_scans(summary["altered_scans"])
    t = time.perf_counter()
    voters(election, seed=seed, n=VOTERS)
    say(f"voter register: {VOTERS:,} synthetic voters on the station lists, with absentee "
        f"certificates, transfers, mobile requests and same-day additions, in "
        f"{time.perf_counter() - t:.1f} s")


ALTERED_SCAN = "altered_after_printing"


def record_altered_scans(altered: list[dict]) -> None:
    """The scans drawn with a figure changed after printing are falsifications injected on
    purpose too: the ground truth names them (kind `ALTERED_SCAN`, with the contest and line),
    so that a station flagged for one is not scored as a false flag."""
    from sailau.demo.load import ground_truth_path
    from sailau.paths import write_atomic

    path = ground_truth_path()
    if not altered or not path.exists():
        return
    doc = json.loads(path.read_text())
    for a in altered:
        entry = doc["stations"].setdefault(a["station"], {"kinds": []})
        if ALTERED_SCAN not in entry["kinds"]:
            entry["kinds"].append(ALTERED_SCAN)
        entry.setdefault("altered_scans", []).append(
            {k: a[k] for k in ("contest", "line", "definitive", "printed")})
    write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1))
