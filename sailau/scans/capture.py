"""A drawn page as a scanner or a phone would capture it: turned a little on a flatbed, or shot
at an angle on a table, out of focus, in uneven light; saved as a small JPEG.

The perspective is a homography (`homography`), the same one `ocr.py` inverts to put a scan
back on the page grid, so Pillow's own transform does both ways and no OpenCV is needed."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

Point = tuple[float, float]
KINDS = ("scanner", "phone", "blurred", "dim")


def homography(out_pts: Sequence[Point], in_pts: Sequence[Point]) -> tuple[float, ...]:
    """The 8 coefficients of Pillow's PERSPECTIVE transform that send each of the four
    `out_pts` (in the image made) to the matching `in_pts` (in the image read)."""
    import numpy as np

    a, b = [], []
    for (x, y), (u, v) in zip(out_pts, in_pts):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return tuple(float(c) for c in np.linalg.solve(np.array(a, float), np.array(b, float)))


def _light(img, rng: random.Random, low: int):
    """Multiply by a smooth random field between `low` and 255: a lamp on one side."""
    from PIL import Image, ImageChops

    field = Image.new("L", (3, 3))
    field.putdata([rng.randint(low, 255) for _ in range(9)])
    field = field.resize(img.size, Image.Resampling.BICUBIC)
    return ImageChops.multiply(img, Image.merge("RGB", (field, field, field)))


def capture(page, rng: random.Random, kind: str | None = None, width: int = 780,
            quality: int | None = None) -> tuple[bytes, str]:
    """(JPEG bytes, kind) of `page` (RGB) captured as `kind` (random when None), `width`
    pixels across. One perspective transform straight to the output size does the turn, the
    angle and the scaling at once (resampling the full page first costs twice as much)."""
    import math

    from PIL import Image, ImageFilter

    kind = kind or rng.choices(KINDS, weights=(4, 4, 1, 1))[0]
    w, h = page.size
    ow, oh = width, round(width * h / w * 1.04)
    if kind in ("phone", "dim"):
        # Shot from above at an angle: the page a quadrilateral on a darker table, the far
        # edge shorter than the near one.
        m = 0.03 * ow
        top, bottom = rng.uniform(0, 0.06) * ow, 0.0
        if rng.random() < 0.5:
            top, bottom = bottom, top
        quad = [(m + rng.uniform(0, m) + top, m + rng.uniform(0, m)),
                (ow - m - rng.uniform(0, m) - top, m + rng.uniform(0, m)),
                (ow - m - rng.uniform(0, m) - bottom, oh - m - rng.uniform(0, m)),
                (m + rng.uniform(0, m) + bottom, oh - m - rng.uniform(0, m))]
        ground, low = (rng.randint(90, 140), rng.randint(80, 120), rng.randint(60, 100)), 170
        if kind == "dim":
            low = 110
    else:
        # A flatbed: the page turned by up to 2.5° about its centre, a grey lid around it.
        a = math.radians(rng.uniform(-2.5, 2.5))
        s = (ow - 0.04 * ow) / w
        cx, cy = ow / 2, oh / 2
        quad = [(cx + s * ((x - w / 2) * math.cos(a) - (y - h / 2) * math.sin(a)),
                 cy + s * ((x - w / 2) * math.sin(a) + (y - h / 2) * math.cos(a)))
                for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
        ground, low = (238, 238, 236), 205
    coeffs = homography(quad, [(0, 0), (w, 0), (w, h), (0, h)])
    img = page.transform((ow, oh), Image.Transform.PERSPECTIVE, coeffs,
                         Image.Resampling.BILINEAR, fillcolor=ground)
    img = _light(img, rng, low)
    if kind == "blurred" or rng.random() < 0.2:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9)))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality or rng.randint(60, 75))
    return out.getvalue(), kind
