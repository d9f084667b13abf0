"""Election fingerprints (Klimek et al. 2012; Kobak et al. 2016): the 2-D histogram of turnout
against the leader's share, one cell per percentage point, drawn as a PNG with Pillow. Cells are
weighted by registered voters (so that big and small stations count by people, as in Kobak et
al.) and coloured on a log scale; a clean election shows one roundish blob, ballot stuffing a
comet tail towards (100%, 100%) and integer percentages a grid of bright lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def histogram(turnout, share, weights=None, bins: int = 100) -> np.ndarray:
    """bins x bins array, rows = share (0 at the top row's opposite: row 0 is share 0), columns =
    turnout; values are summed weights."""
    t = np.asarray(turnout, dtype=float)
    s = np.asarray(share, dtype=float)
    ok = np.isfinite(t) & np.isfinite(s)
    ti = np.clip((t[ok] * bins).astype(int), 0, bins - 1)
    si = np.clip((s[ok] * bins).astype(int), 0, bins - 1)
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    return np.bincount(si * bins + ti, weights=w, minlength=bins * bins).reshape(bins, bins)


def _colour(values: np.ndarray) -> np.ndarray:
    """Log-scaled values in [0, 1] to RGB: white → yellow → red → black (a hot map)."""
    stops = np.array([[255, 255, 255], [255, 230, 100], [230, 60, 20], [90, 0, 30], [0, 0, 0]], float)
    pos = np.clip(values, 0, 1) * (len(stops) - 1)
    lo = np.floor(pos).astype(int).clip(0, len(stops) - 2)
    frac = (pos - lo)[..., None]
    return (stops[lo] * (1 - frac) + stops[lo + 1] * frac).astype(np.uint8)


def render_png(hist: np.ndarray, path: str | Path, scale: int = 4, title: str | None = None) -> Path:
    """Write `hist` as a PNG: turnout to the right, share upwards, grid lines every 10%."""
    from PIL import Image, ImageDraw

    h = np.asarray(hist, dtype=float)
    positive = h > 0
    if positive.any():
        logs = np.log10(np.where(positive, h, 1.0))
        lo, hi = logs[positive].min(), logs[positive].max()
        norm = np.where(positive, 0.1 + 0.9 * (logs - lo) / max(hi - lo, 1e-9), 0.0)
    else:
        norm = np.zeros_like(h)
    rgb = _colour(norm[::-1])  # row 0 of the image is the top: share 100%
    img = Image.fromarray(rgb, "RGB").resize((h.shape[1] * scale, h.shape[0] * scale), Image.NEAREST)
    margin = 30
    canvas = Image.new("RGB", (img.width + margin + 10, img.height + margin + 20), "white")
    canvas.paste(img, (margin, 20))
    draw = ImageDraw.Draw(canvas)
    bins = h.shape[0]
    for pct in range(0, 101, 10):
        x = margin + pct * bins // 100 * scale
        y = 20 + img.height - pct * bins // 100 * scale
        draw.line([(x, 20), (x, 20 + img.height)], fill=(200, 200, 200))
        draw.line([(margin, y), (margin + img.width, y)], fill=(200, 200, 200))
        draw.text((x - 6, 22 + img.height), str(pct), fill="black")
        draw.text((2, y - 5), str(pct), fill="black")
    draw.text((margin, 4), title or "turnout % (right) x leader share % (up)", fill="black")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(path)
    return path
