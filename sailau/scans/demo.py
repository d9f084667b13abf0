"""Scans for the demo election: a picture of the whole signed page for every protocol.

Every current protocol gets its QR payload (a string and a hash: ~20,000 in about a second).
The picture is the printed page (`page.py`: titles, every line with its figure, the members'
names, their signatures and the seal over them, the QR code) captured as a scanner or a phone
would (`capture.py`: turned, at an angle, out of focus, in uneven light), a JPEG of ~100 KB. A
page costs ~70 ms of CPU to draw and the upload ~15 ms more, so the build draws only a sample
(in two processes) and `backfill.py` uploads the rest of the ~20,000 while the demo serves.

A few sampled scans carry a QR code whose figures were changed after printing (one line or one
choice off by a few votes, the code's own hash valid): the check must flag each of them. A couple
have the code smudged over, so that the page is stored as unreadable.

Stations whose results the demo rewrote upstream (`rewritten_upstream` in its ground truth):
the rewrite happened above the station, so the station's own signed paper, and its scan, show
the true figures (printed and in the code) while the official protocol holds the rewritten
ones. Their scans are drawn from the paper (`paper_figures`), so the QR check flags them and a
verified reading of the scan catches the rewrite, as an observer's copy does."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import signal
import threading
import time
from dataclasses import dataclass, field, replace

from sailau.scans import capture, page
from sailau.verify import qr, signatures


@dataclass
class DemoScan:
    station_id: str
    contest_id: str
    filename: str
    data: bytes
    altered: dict | None = None  # {"line": key, "definitive": n, "printed": m}
    smudged: bool = False
    kind: str = ""  # how it was captured: capture.KINDS


@dataclass
class Generated:
    payloads: dict[tuple[str, str], qr.Payload]
    scans: list[DemoScan]
    seconds_payloads: float
    seconds_images: float
    notes: dict = field(default_factory=dict)


def forms(election_id: str) -> dict[str, tuple[page.Form, list[str], list[str]]]:
    """contest id → (what its page prints for every station, line keys, choice keys)."""
    from sailau.elections.models import Contest
    from sailau.scans.service import kind_words

    out = {}
    for c in Contest.objects.filter(election_id=election_id).select_related("election"):
        choices = list(c.choices.order_by("order", "id"))
        form = c.form
        out[c.id] = (page.Form(c.election.name("kk"), c.name("kk"),
                               tuple((ln.number, ln.key, ln.label["kk"]) for ln in form.lines),
                               tuple((ch.key, ch.name("kk")) for ch in choices),
                               **kind_words(c)),
                     list(form.keys), [ch.key for ch in choices])
    return out


def sheets(station_ids) -> dict[str, page.Station]:
    """station id → what its page says of it: number, commission, address, members."""
    from sailau.elections.models import Station

    out = {}
    for st in (Station.objects.filter(id__in=station_ids).select_related("commission")
               .prefetch_related("commission__members")):
        members = sorted(st.commission.members.all(), key=lambda m: m.id)
        out[st.id] = page.Station(st.number, st.commission.name("kk"),
                                  st.located("kk"),
                                  tuple(m.full_name for m in members))
    return out


def rewritten_papers() -> dict[str, dict]:
    """station id -> the choices its signed paper shows, for the stations the demo rewrote
    upstream (empty outside a demo: no ground truth file)."""
    from sailau.paths import demo_ground_truth

    stations = demo_ground_truth()
    return {sid: t["paper"]["choices"] for sid, t in stations.items()
            if "rewritten_upstream" in t.get("kinds", ()) and (t.get("paper") or {}).get("choices")}


def paper_figures(papers: dict, station_id: str, figures: dict, choices: dict) -> tuple[dict, dict]:
    """(figures, choices) on the station's signed paper: the official ones unless the demo
    rewrote this contest's result upstream (the paper's choices are the rewritten contest's
    very keys; other contests of the station were left alone)."""
    paper = papers.get(station_id)
    if paper and set(paper) == set(choices):
        return figures, dict(paper)
    return figures, choices


def paper_payload(payload: qr.Payload, choice_keys: list[str], choices: dict) -> qr.Payload:
    """The code printed on a paper showing `choices`: the station's printer encoded what the
    commission counted; the signature stays the official version's (nobody re-signed)."""
    votes = [choices.get(k, 0) for k in choice_keys]
    if votes == list(payload.choices):
        return payload
    return reprinted(payload, payload.lines, votes)


def reprinted(payload: qr.Payload, lines, choices) -> qr.Payload:
    """The same code with other figures printed: the signature, and for a commission's own
    key its fingerprint, the form, scans and decision it signed, stay what was signed."""
    out = replace(payload, lines=tuple(lines), choices=tuple(choices))
    return replace(out, digest=hashlib.sha256(out.body.encode("ascii")).hexdigest())


def _payload(row, lines, votes, decisions: dict) -> qr.Payload:
    """The code of a current version (`row` as `generate` reads it), as `scans.service.
    payload_for` prints it: format 3 when its commission signed it with its own key."""
    pk, sid, cid, version, _, _, signature, signed_with, message, scans = row
    if not message:
        return qr.build(sid, cid, version, lines, votes, signature)
    return qr.build(sid, cid, version, lines, votes, signature,
                    key_id=signatures.key_id(signed_with), message=message, scans=scans or [],
                    decision=decisions.get(pk))


@dataclass(frozen=True)
class Job:
    """One page to draw: `figures`/`choices` are what is printed (the code's unless forged)."""

    contest_id: str
    station: page.Station
    payload_text: str
    figures: dict
    choices: dict
    seed: int
    smudge: bool = False
    station_id: str = ""


_templates: dict = {}
_forms: dict = {}


def _init(form_by_contest: dict) -> None:
    _forms.clear()
    _forms.update(form_by_contest)


class _DeafProcess(multiprocessing.get_context("spawn").Process):
    """A worker that never hears Ctrl-C. Ctrl-C reaches the whole process group: the process
    that started the workers decides when to stop (the backfill ends its batch), rather than
    each worker dying with a traceback and breaking the pool. A signal ignored at its start
    stays ignored in the new program (a handled one would not), so it is ignored here for the
    moment of the start only; from the main thread, where Python allows it."""

    def start(self):
        if threading.current_thread() is not threading.main_thread():
            return super().start()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            return super().start()
        finally:
            signal.signal(signal.SIGINT, previous)


class _DeafSpawn(type(multiprocessing.get_context("spawn"))):
    Process = _DeafProcess


def draw(job: Job) -> tuple[bytes, str]:
    """(JPEG, capture kind) of one job; the same job gives the same bytes in any process."""
    from PIL import ImageDraw

    if job.contest_id not in _templates:
        _templates[job.contest_id] = page.Template(_forms[job.contest_id])
    rng = random.Random(job.seed)
    sheet = _templates[job.contest_id].page(job.station, qr.parse(job.payload_text),
                                            job.figures, job.choices, rng)
    if job.smudge:  # a thumb of ink over the code's middle: more than error correction mends
        x0, y0, x1, y1 = page.QR_BOX
        r = (x1 - x0) // 3
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        ImageDraw.Draw(sheet).ellipse((cx - r, cy - r, cx + r, cy + r), fill=(30, 30, 40))
    return capture.capture(sheet, rng)


def draw_all(jobs: list[Job], form_by_contest: dict, workers: int = 2,
             stop: threading.Event | None = None) -> list[tuple[bytes, str]]:
    """Every job drawn, in order: in `workers` processes when there are enough to be worth
    starting them (a process costs ~0.5 s to start; a page ~70 ms). Once `stop` is set, the
    pages not yet begun are given up and those drawn so far returned: at a lower priority on a
    busy machine a batch can take a minute, and a stopping demo should not wait for it."""
    if workers < 2 or len(jobs) < 40:
        _init(form_by_contest)
        return [draw(j) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    drawn: list[tuple[bytes, str]] = []
    with ProcessPoolExecutor(workers, mp_context=_DeafSpawn(), initializer=_init,
                             initargs=(form_by_contest,)) as pool:
        chunks = [pool.submit(_draw_each, jobs[i:i + 8]) for i in range(0, len(jobs), 8)]
        for chunk in chunks:
            while not (stop is not None and stop.is_set()):
                try:
                    drawn.extend(chunk.result(timeout=0.2))
                    break
                except TimeoutError:
                    continue
            else:
                pool.shutdown(wait=True, cancel_futures=True)
                break
    return drawn


def _draw_each(jobs: list[Job]) -> list[tuple[bytes, str]]:
    return [draw(j) for j in jobs]


def _alter(payload: qr.Payload, line_keys: list[str], choice_keys: list[str],
           rng: random.Random) -> tuple[qr.Payload, dict]:
    """The same protocol with one figure changed, as if the paper were signed with it. The
    commission's signature is the one of the true figures: whoever changed one cannot sign."""
    if choice_keys and rng.random() < 0.6:
        i = rng.randrange(len(choice_keys))
        old = payload.choices[i]
        new = old + rng.choice([-1, 1]) * rng.randint(3, 40)
        new = new if new >= 0 else old + rng.randint(3, 40)
        votes = list(payload.choices)
        votes[i] = new
        altered = {"line": choice_keys[i], "definitive": old, "printed": new}
        return reprinted(payload, payload.lines, votes), altered
    candidates = [i for i, v in enumerate(payload.lines) if v is not None]
    i = rng.choice(candidates)
    old = payload.lines[i]
    new = old + rng.randint(3, 40)
    lines = list(payload.lines)
    lines[i] = new
    altered = {"line": line_keys[i], "definitive": old, "printed": new}
    return reprinted(payload, lines, payload.choices), altered


def generate(election_id: str, sample: int = 300, altered: int = 6, smudged: int = 2,
             seed: int = 2023, workers: int = 2) -> Generated:
    """Payloads for every current protocol of the election; images for `sample` of them,
    `altered` of which carry a changed figure and `smudged` an unreadable code, drawn by
    `workers` processes (`draw_all`)."""
    from sailau.elections.models import Contest
    from sailau.protocols.models import Amendment, Protocol
    from sailau.scans import service

    rng = random.Random(seed)
    t0 = time.perf_counter()
    contests = {c.id: c for c in Contest.objects.filter(election_id=election_id)}
    shapes = {cid: ([ln.key for ln in c.form.lines], service.choice_keys(c))
              for cid, c in contests.items()}
    payloads: dict[tuple[str, str], qr.Payload] = {}
    printed: dict[tuple[str, str], tuple[dict, dict]] = {}
    # the decisions amendments signed with a commission's own key cite (a few)
    decisions = {pk: {"number": n, "date": d.isoformat(), "reason": r}
                 for pk, n, d, r in Amendment.objects.filter(
                     protocol__current=True, protocol__contest__election_id=election_id,
                     protocol__signed_message=signatures.FORMAT_AMENDED)
                 .values_list("protocol_id", "decision_number", "decision_date", "reason")}
    for row in (Protocol.objects.current().filter(contest__election_id=election_id)
                .values_list("pk", "station_id", "contest_id", "version", "figures", "choices",
                             "signature", "signed_with", "signed_message", "signed_scans")
                .iterator(chunk_size=5000)):
        _, sid, cid, _, figures, votes = row[:6]
        lines, ordered = qr.ordered(figures, votes, *shapes[cid])
        payloads[(sid, cid)] = _payload(row, lines, ordered, decisions)
        printed[(sid, cid)] = (figures, votes)
    t1 = time.perf_counter()

    papers = rewritten_papers()
    for (sid, cid), (figures, votes) in list(printed.items()):
        if sid in papers:
            printed[(sid, cid)] = paper_figures(papers, sid, figures, votes)
    keys = sorted(payloads)
    chosen = rng.sample(keys, min(sample, len(keys)))
    layouts = forms(election_id)
    stations = sheets({k[0] for k in chosen})
    n_alt, n_smudge = min(altered, len(chosen)), min(smudged, max(0, len(chosen) - altered))
    jobs, changes = [], []
    for i, (sid, cid) in enumerate(chosen):
        payload, change = payloads[(sid, cid)], None
        payload = paper_payload(payload, shapes[cid][1], printed[(sid, cid)][1])
        if i < n_alt and payload is payloads[(sid, cid)]:
            payload, change = _alter(payload, *shapes[cid], rng)
        changes.append(change)
        jobs.append(Job(cid, stations[sid], payload.text, *printed[(sid, cid)],
                        seed=rng.getrandbits(32), smudge=n_alt <= i < n_alt + n_smudge,
                        station_id=sid))
    drawn = draw_all(jobs, {cid: f for cid, (f, _, _) in layouts.items()}, workers)
    scans = [DemoScan(sid, cid,
                      f"scan-{j.station.number}-{cid.rsplit('.', 1)[-1]}.jpg", data, change,
                      j.smudge, kind)
             for (sid, cid), j, change, (data, kind) in zip(chosen, jobs, changes, drawn)]
    t2 = time.perf_counter()
    rng.shuffle(scans)  # altered ones not all first, as they would not be on the night
    return Generated(payloads, scans, t1 - t0, t2 - t1,
                     {"protocols": len(payloads), "images": len(scans), "altered": n_alt,
                      "smudged": n_smudge, "seed": seed})


def load(election_id: str, sample: int = 300, altered: int = 6, smudged: int = 2,
         seed: int = 2023, drawn=None) -> dict:
    """Generate and upload the demo scans (as the system, not a user); returns a summary with
    timings, and whether every altered scan was caught. `drawn`: generated already
    (`draw_beside`), the future of what `generate` returns."""
    from collections import Counter

    from sailau.elections.models import Contest, Station
    from sailau.scans import service

    gen = (drawn.result() if drawn is not None
           else generate(election_id, sample, altered, smudged, seed))
    stations = {s.id: s for s in Station.objects.filter(id__in={s.station_id for s in gen.scans})}
    contests = {c.id: c for c in Contest.objects.filter(election_id=election_id)}
    t0 = time.perf_counter()
    statuses: Counter = Counter()
    caught, missed = 0, []
    for s in gen.scans:
        # No OCR at build (~0.2 s of CPU a page): `backfill` reads every other page's figures
        # while the demo serves.
        scan = service.upload_scan(stations[s.station_id], contests[s.contest_id], s.data,
                                   s.filename, None, ocr=False)
        statuses[scan.status] += 1
        if s.altered:
            lines = {d["line"] for d in scan.mismatches}
            if scan.status == "mismatch" and s.altered["line"] in lines:
                caught += 1
            else:
                missed.append((s.station_id, s.contest_id, s.altered))
    t1 = time.perf_counter()
    return {**gen.notes, "statuses": dict(statuses), "altered_caught": caught,
            "altered_missed": missed,
            "altered_scans": [{"station": s.station_id, "contest": s.contest_id, **s.altered}
                              for s in gen.scans if s.altered],
            "seconds": {
                "payloads": round(gen.seconds_payloads, 2),
                "images": round(gen.seconds_images, 2),
                "upload_and_check": round(t1 - t0, 2)}}


def draw_beside(election_id: str, sample: int = 300, altered: int = 6, smudged: int = 2,
                seed: int = 2023):
    """`generate` begun in a process of its own, which draws the pages itself, for
    `load(drawn=...)`: the demo's build writes what needs no scan meanwhile, on the other core
    (two more drawing processes would take a share of the build's core, which is the one the
    build waits for). It reads the protocols, which nothing changes meanwhile. The future of its
    `Generated`, without the payloads `load` does not use."""
    from sailau.background import helper_pool

    pool = helper_pool()
    future = pool.submit(_generated, election_id, sample, altered, smudged, seed)
    pool.shutdown(wait=False)  # the process ends once it has handed its result back
    return future


def _generated(election_id, sample, altered, smudged, seed) -> Generated:
    return replace(generate(election_id, sample, altered, smudged, seed, workers=1),
                   payloads={})

