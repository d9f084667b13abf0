"""Scans for the demo election, made cheaply.

Every current protocol gets its QR payload (a string and a hash: ~20,000 in about a second), but
only a sample gets an image: the top of the printed page (heading, a few lines of text and the
QR code) drawn with Pillow, turned by a degree or two, speckled and saved as a JPEG, as a phone or
a cheap scanner would. Rendering the full PDF and rasterising it costs ~0.5 s a page; these cost
a few milliseconds and still make the decoder find a skewed code in a noisy photo.

A few sampled scans carry a QR code whose figures were changed after printing (one line or one
choice off by a few votes, the code's own hash valid): the check must flag each of them. A couple
have the code smudged over, so that the page is stored as unreadable."""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field

from sailau.verify import qr


@dataclass
class DemoScan:
    station_id: str
    contest_id: str
    filename: str
    data: bytes
    altered: dict | None = None  # {"line": key, "definitive": n, "printed": m}
    smudged: bool = False


@dataclass
class Generated:
    payloads: dict[tuple[str, str], qr.Payload]
    scans: list[DemoScan]
    seconds_payloads: float
    seconds_images: float
    notes: dict = field(default_factory=dict)


def _font(size: int):
    from PIL import ImageFont

    from sailau.scans.printing import FontMissing, font_paths

    try:
        return ImageFont.truetype(str(font_paths()[0]), size)
    except FontMissing:
        return ImageFont.load_default(size)


_NOISE_SHAPE = (900, 1500)  # larger than any demo image, even turned
_NOISE: dict = {}


def _noise(shape: tuple[int, int], rng: random.Random):
    """Speckle for an image of `shape`: a window, at a random offset, of one noise field drawn
    once per process with a fixed seed (fresh Gaussian noise per image costs more than all the
    rest), so the same seed gives the same images in any process."""
    import numpy as np

    if shape[0] > _NOISE_SHAPE[0] or shape[1] > _NOISE_SHAPE[1]:
        return np.random.default_rng(rng.getrandbits(32)).normal(0, 9, shape).astype(np.int16)
    if "field" not in _NOISE:
        _NOISE["field"] = np.random.default_rng(0).normal(0, 9, _NOISE_SHAPE).astype(np.int16)
    field = _NOISE["field"]
    y = rng.randrange(field.shape[0] - shape[0] + 1)
    x = rng.randrange(field.shape[1] - shape[1] + 1)
    return field[y:y + shape[0], x:x + shape[1]]


def scan_image(payload: qr.Payload, heading: list[str], rng: random.Random,
               smudge: bool = False, fonts=None) -> bytes:
    """A JPEG of the top of a printed protocol page: text on the left, the QR code on the
    right, turned by up to ±3°, with speckle noise and an uneven paper tone."""
    import numpy as np
    from PIL import Image, ImageDraw

    big, small = fonts or (_font(20), _font(15))
    code = qr.to_image(payload, scale=4, border=4)
    w, h = 1100, code.height + 40
    page = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    y = 24
    for i, text in enumerate(heading):
        draw.text((30, y), text, fill=20, font=big if i == 0 else small)
        y += 30 if i == 0 else 22
    page.paste(code, (w - code.width - 20, 20))
    if smudge:  # a thumb of ink over the code's middle: more than error correction can mend
        cx, cy = w - 20 - code.width // 2, 20 + code.height // 2
        r = code.width // 3
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=30)
    page = page.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BILINEAR,
                       expand=True, fillcolor=235)
    arr = np.asarray(page, dtype=np.int16)
    tone = np.linspace(rng.randint(-18, 0), rng.randint(-18, 0), arr.shape[1]).astype(np.int16)
    arr = arr + tone[None, :] + _noise(arr.shape, rng)
    out = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L").save(
        out, format="JPEG", quality=rng.randint(70, 88))
    return out.getvalue()


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
        return qr.build(payload.station, payload.contest, payload.version, payload.lines,
                        votes, payload.signature), altered
    candidates = [i for i, v in enumerate(payload.lines) if v is not None]
    i = rng.choice(candidates)
    old = payload.lines[i]
    new = old + rng.randint(3, 40)
    lines = list(payload.lines)
    lines[i] = new
    altered = {"line": line_keys[i], "definitive": old, "printed": new}
    return qr.build(payload.station, payload.contest, payload.version, lines,
                    payload.choices, payload.signature), altered


def generate(election_id: str, sample: int = 300, altered: int = 6, smudged: int = 2,
             seed: int = 2023) -> Generated:
    """Payloads for every current protocol of the election; images for `sample` of them,
    `altered` of which carry a changed figure and `smudged` an unreadable code."""
    from sailau.elections.models import Contest, Station
    from sailau.protocols.models import Protocol
    from sailau.scans import service

    rng = random.Random(seed)
    t0 = time.perf_counter()
    contests = {c.id: c for c in Contest.objects.filter(election_id=election_id)}
    shapes = {cid: ([ln.key for ln in c.form.lines], service.choice_keys(c))
              for cid, c in contests.items()}
    payloads: dict[tuple[str, str], qr.Payload] = {}
    for sid, cid, version, figures, votes, signature in (
            Protocol.objects.current().filter(contest__election_id=election_id)
            .values_list("station_id", "contest_id", "version", "figures", "choices", "signature")
            .iterator(chunk_size=5000)):
        lines, ordered = qr.ordered(figures, votes, *shapes[cid])
        payloads[(sid, cid)] = qr.build(sid, cid, version, lines, ordered, signature)
    t1 = time.perf_counter()

    keys = sorted(payloads)
    chosen = rng.sample(keys, min(sample, len(keys)))
    stations = {s.id: s for s in Station.objects.filter(id__in={k[0] for k in chosen})}
    fonts = (_font(20), _font(15))
    n_alt, n_smudge = min(altered, len(chosen)), min(smudged, max(0, len(chosen) - altered))
    scans = []
    for i, (sid, cid) in enumerate(chosen):
        st, contest = stations[sid], contests[cid]
        payload, change = payloads[(sid, cid)], None
        if i < n_alt:
            payload, change = _alter(payload, *shapes[cid], rng)
        smudge = n_alt <= i < n_alt + n_smudge
        heading = ["Дауыс беру қорытындылары туралы хаттама", "Протокол об итогах голосования",
                   f"№ {st.number} сайлау учаскесі / избирательный участок № {st.number}",
                   f"{st.settlement}, {st.address}", contest.name("kk"),
                   f"v{payload.version} · SHA-256 {payload.digest[:16]}…"]
        data = scan_image(payload, heading, rng, smudge=smudge, fonts=fonts)
        scans.append(DemoScan(sid, cid, f"scan-{st.number}-{cid.rsplit('.', 1)[-1]}.jpg", data,
                              change, smudge))
    t2 = time.perf_counter()
    rng.shuffle(scans)  # altered ones not all first, as they would not be on the night
    return Generated(payloads, scans, t1 - t0, t2 - t1,
                     {"protocols": len(payloads), "images": len(scans), "altered": n_alt,
                      "smudged": n_smudge, "seed": seed})


def load(election_id: str, sample: int = 300, altered: int = 6, smudged: int = 2,
         seed: int = 2023) -> dict:
    """Generate and upload the demo scans (as the system, not a user); returns a summary with
    timings, and whether every altered scan was caught."""
    from collections import Counter

    from sailau.elections.models import Contest, Station
    from sailau.scans import service

    gen = generate(election_id, sample, altered, smudged, seed)
    stations = {s.id: s for s in Station.objects.filter(id__in={s.station_id for s in gen.scans})}
    contests = {c.id: c for c in Contest.objects.filter(election_id=election_id)}
    t0 = time.perf_counter()
    statuses: Counter = Counter()
    caught, missed = 0, []
    for s in gen.scans:
        scan = service.upload_scan(stations[s.station_id], contests[s.contest_id], s.data,
                                   s.filename, None)
        statuses[scan.status] += 1
        if s.altered:
            lines = {d["line"] for d in scan.mismatches}
            if scan.status == "mismatch" and s.altered["line"] in lines:
                caught += 1
            else:
                missed.append((s.station_id, s.contest_id, s.altered))
    t1 = time.perf_counter()
    return {**gen.notes, "statuses": dict(statuses), "altered_caught": caught,
            "altered_missed": missed, "seconds": {
                "payloads": round(gen.seconds_payloads, 2),
                "images": round(gen.seconds_images, 2),
                "upload_and_check": round(t1 - t0, 2)}}
