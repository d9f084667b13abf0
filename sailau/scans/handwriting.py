"""A certified copy of the protocol as an observer photographs it: the printed blank form filled
in by hand (figures and station number in ballpoint strokes), signed and stamped, shot with a
phone at an angle, out of focus or in dim light.

The figures are drawn as strokes rather than set in a font: Debian ships no handwriting font
with Cyrillic-free digits that looks written, and strokes let every digit differ a little (slant,
size, wobble, pressure) as a hand does, so no OCR trained on print would read them reliably;
that is the point of the demo: handwriting is the volunteers' work.

Pure Pillow, no Django, like `page.py` whose blank form (`Template.image`) it fills."""

from __future__ import annotations

import math
import random

from sailau.scans import capture, page

# Each digit as pen strokes in a unit box (x right, y down; 0..1), the way digits are commonly
# written by hand in Kazakhstan and Russia: a closed 0, a 1 with a flag, a 7 without bar.
_DIGITS: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {
    "0": (tuple((0.5 + 0.42 * math.sin(2 * math.pi * i / 14),
                 0.5 - 0.48 * math.cos(2 * math.pi * i / 14)) for i in range(15)),),
    "1": (((0.2, 0.3), (0.6, 0.0), (0.6, 1.0)),),
    "2": (((0.1, 0.25), (0.3, 0.03), (0.65, 0.0), (0.88, 0.2), (0.8, 0.45), (0.1, 1.0),
           (0.95, 0.98)),),
    "3": (((0.12, 0.12), (0.5, 0.0), (0.85, 0.15), (0.75, 0.4), (0.4, 0.48), (0.85, 0.6),
           (0.9, 0.85), (0.5, 1.0), (0.1, 0.88)),),
    "4": (((0.7, 1.0), (0.7, 0.0), (0.05, 0.68), (0.98, 0.68)),),
    "5": (((0.85, 0.02), (0.2, 0.02), (0.15, 0.45), (0.6, 0.38), (0.9, 0.6), (0.85, 0.88),
           (0.45, 1.0), (0.1, 0.9)),),
    "6": (((0.8, 0.05), (0.4, 0.1), (0.12, 0.5), (0.15, 0.85), (0.5, 1.0), (0.85, 0.82),
           (0.82, 0.58), (0.5, 0.48), (0.15, 0.62)),),
    "7": (((0.08, 0.05), (0.92, 0.02), (0.35, 1.0)),),
    "8": (((0.5, 0.48), (0.15, 0.28), (0.3, 0.02), (0.7, 0.02), (0.85, 0.25), (0.5, 0.48),
           (0.12, 0.72), (0.3, 0.98), (0.72, 0.98), (0.88, 0.72), (0.5, 0.48)),),
    "9": (((0.85, 0.42), (0.5, 0.52), (0.15, 0.35), (0.25, 0.05), (0.65, 0.0), (0.85, 0.25),
           (0.8, 0.7), (0.45, 1.0), (0.15, 0.9)),),
    "-": (((0.15, 0.55), (0.85, 0.5)),),
}
INKS = ((25, 40, 140), (15, 25, 90), (20, 20, 30))  # blue ballpoint, dark blue, black


def write(d, text: str, x: float, y: float, height: float, rng: random.Random,
          colour: tuple[int, int, int]) -> float:
    """Write `text` (digits and '-') by hand with its top-left at (x, y), about `height`
    pixels high; returns the x where the next character would start. One slant for the word
    (a hand keeps its slant), each character a little different in size, place and wobble."""
    slant = rng.uniform(0.08, 0.3)
    width = max(2, round(height / 11))
    for ch in text:
        strokes = _DIGITS.get(ch)
        h = height * rng.uniform(0.88, 1.08)
        w = h * rng.uniform(0.5, 0.62)
        top = y + rng.uniform(-0.08, 0.08) * height
        if strokes is None:  # a space, or a character the hand above does not write
            x += w * 0.8
            continue
        for stroke in strokes:
            pts = []
            for px, py in stroke:
                px += rng.gauss(0, 0.035)
                py += rng.gauss(0, 0.03)
                pts.append((x + px * w + (1 - py) * h * slant, top + py * h))
            d.line(pts, fill=colour, width=width, joint="curve")
        x += w * rng.uniform(1.05, 1.3)
    return x


def copy_page(template: page.Template, station: page.Station, figures: dict, choices: dict,
              rng: random.Random):
    """The certified copy of `station`'s protocol (RGB) with these figures written by hand on
    the contest's printed blank form; signed, stamped, with "copy certified" where the system's
    own print has its QR code (a copy made by hand has none)."""
    from PIL import ImageChops, ImageDraw

    img = template.image.convert("RGB")
    d = ImageDraw.Draw(img)
    ink = rng.choice(INKS)
    m = page.MARGIN
    d.text((m, m + 120), "№", fill=0, font=page.font(16, True))
    write(d, str(station.number), m + 28, m + 110, 30, rng, ink)
    d.text((m + 150, m + 120), "сайлау учаскесі / избирательный участок", fill=0,
           font=page.font(16, True))
    d.line((m + 24, m + 142, m + 140, m + 142), fill=90, width=1)
    x0, y0, x1, _ = page.QR_BOX
    d.rectangle((x0, y0 + 60, x1, y0 + 150), outline=ink, width=3)
    for i, line in enumerate(("КӨШІРМЕ ДҰРЫС", "КОПИЯ ВЕРНА")):
        d.text((x0 + 18, y0 + 72 + 34 * i), line, fill=ink, font=page.font(22, True))
    values = {**{("line", k): v for k, v in figures.items()},
              **{("choice", k): v for k, v in choices.items()}}
    for kind, key, (cx0, cy0, cx1, cy1) in template.layout.cells:
        value = values.get((kind, key))
        text = "-" if value is None else str(value)
        h = (cy1 - cy0) * rng.uniform(0.62, 0.78)
        # Written from the left of the cell, as a hand does, not right-aligned as print is.
        write(d, text, cx0 + 10 + rng.uniform(0, 25), cy0 + (cy1 - cy0 - h) / 2, h, rng, ink)
    top = template.layout.signatures_top
    for i, name in enumerate(station.members[:len(template.form.roles)]):
        d.text((m + 330, top + 26 + i * page.SIGNATURE_ROW + 8), name, fill=0, font=page.font(14))
    marks = ImageDraw.Draw(overlay := img.copy())
    marks.rectangle((0, 0, *img.size), fill=(255, 255, 255))
    for i in range(len(template.form.roles)):
        page.signature(marks, page.W - m - 240, top + 26 + i * page.SIGNATURE_ROW, rng)
    page.seal(marks, page.W - m - 170 + rng.randint(-20, 20), top + 60 + rng.randint(0, 60),
              station.number, rng)
    return ImageChops.darker(img, overlay)


def photograph(sheet, rng: random.Random) -> tuple[bytes, str]:
    """(JPEG, capture kind) of a copy shot with a phone: always at an angle, sometimes out of
    focus or in a dim room (observers do not carry scanners)."""
    kind = rng.choices(("phone", "blurred", "dim"), weights=(6, 2, 2))[0]
    if kind == "blurred":
        # capture() blurs "blurred" pages but shoots them flat; a phone is never flat.
        data, _ = capture.capture(sheet, rng, "phone", quality=rng.randint(50, 65))
        from io import BytesIO

        from PIL import Image, ImageFilter

        img = Image.open(BytesIO(data)).filter(ImageFilter.GaussianBlur(rng.uniform(0.9, 1.4)))
        out = BytesIO()
        img.save(out, format="JPEG", quality=70)
        return out.getvalue(), kind
    return capture.capture(sheet, rng, kind)
