"""Machine pre-reading of the printed figures on a scan of Sailau's own protocol page.

The QR code says what the figures are; the printed digits are what the members signed. A
paper whose digits were changed (or printed from other figures) keeps a valid code, so the
digits are read as well, with tesseract (Debian's `tesseract-ocr`, through `pytesseract`):

1. the QR code's four corners, found by the decoder, and the same corners on the page grid
   (`page.QR_BOX`) give the homography that puts the scan back on the grid, whatever the angle;
2. only the figure column is warped back, each figure cell cut inside its rules, and the cells
   stacked into one strip read at once (one tesseract run per scan, digits only);
3. the control relations of the law are the checksum: a reading is trusted only when every
   figure was read and the relations hold; otherwise it is `unread` and claims nothing.

Only printed figures are read. Handwritten ones (observers' copies) are left to the volunteers
who type them: a machine guess would be wrong often enough to accuse a commission falsely."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from sailau.scans import page
from sailau.scans.capture import homography

AGREES, DIFFERS, UNREAD = "agrees", "differs", "unread"


class OcrMissing(RuntimeError):
    pass


def available() -> bool:
    return tessdata() is not None


@dataclass
class Reading:
    """What the printed digits say. `status`: agrees / differs (a trusted reading that differs
    from the code) / unread (why in `note`). `diffs`: [{line, kind, printed, code}]."""

    status: str
    figures: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    diffs: list = field(default_factory=list)
    note: str = ""
    ms: int = 0

    def to_json(self) -> dict:
        return {"status": self.status, "figures": self.figures, "choices": self.choices,
                "diffs": self.diffs, "note": self.note, "ms": self.ms}


def _corners(image, text: str):
    """The four corners (tl, tr, br, bl) of the QR symbol carrying `text`, in scan pixels;
    tried as `qr.decode_image` tries (as given, contrast-stretched, then twice the size)."""
    import zxingcpp
    from PIL import ImageOps

    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    for img, scale in ((image, 1), (grey, 1), (grey.resize((grey.width * 2, grey.height * 2)), 2)):
        for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode):
            if b.valid and b.text == text:
                p = b.position
                return [(q.x / scale, q.y / scale) for q in (p.top_left, p.top_right,
                                                              p.bottom_right, p.bottom_left)]
    return None


def _rules(dark, expected: list[int], reach: int = 10) -> dict[int, int]:
    """Where the table's horizontal rules really are: the homography from a small code drifts
    a few pixels by the bottom of the page, so each expected rule is followed to the nearest
    dark row, carrying the drift down the page."""
    import numpy as np

    rows = np.flatnonzero(dark.mean(axis=1) > 0.5)
    found, drift = {}, 0
    for y in expected:
        near = rows[np.abs(rows - (y + drift)) <= reach] if len(rows) else rows
        if len(near):
            drift = int(near[np.argmin(np.abs(near - (y + drift)))]) - y
        found[y] = y + drift
    return found


def _glyphs(cell) -> list:
    """The digit-sized blobs of a cell, left to right, each cut to its box: what is left of
    the table's rules (long, thin, or cut by the cell's edge, wherever a slight misalignment
    put them) is dropped."""
    from scipy import ndimage

    labels, _ = ndimage.label(cell)
    h, w = cell.shape
    out = []
    for i, (ys, xs) in enumerate(ndimage.find_objects(labels), start=1):
        height, width = ys.stop - ys.start, xs.stop - xs.start
        if (9 <= height <= 26 and 4 <= width <= 80 and ys.start > 0 and ys.stop < h
                and xs.start > 0 and xs.stop < w):
            out.append((xs.start, ys.start, labels[ys, xs] == i))
    return sorted(out, key=lambda g: g[0])


def _cells(image, corners, layout: page.Layout, skip: set[int]) -> dict:
    """Each figure cell (index → image), warped back onto the page grid, its digits cut out
    of the rules and set on a clean line twice the size."""
    import numpy as np
    from PIL import Image, ImageOps

    x0, y0, x1, y1 = page.QR_BOX
    pad = 12
    left = layout.cells[0][2][0] - pad
    top = min(box[1] for _, _, box in layout.cells) - pad
    bottom = max(box[3] for _, _, box in layout.cells) + pad
    # Output pixel (x, y) of the column is page point (x + left, y + top).
    grid = [(x0 - left, y0 - top), (x1 - left, y0 - top), (x1 - left, y1 - top),
            (x0 - left, y1 - top)]
    column = image.convert("L").transform(
        (page.FIGURE_W + 2 * pad, bottom - top), Image.Transform.PERSPECTIVE,
        homography(grid, corners), Image.Resampling.BICUBIC, fillcolor=255)
    column = ImageOps.autocontrast(column, cutoff=1)
    ink = np.asarray(column) < 140
    rules = _rules(ink, sorted({y - top for _, _, b in layout.cells for y in (b[1], b[3])}))
    out = {}
    for i, (_, _, (_, cy0, _, cy1)) in enumerate(layout.cells):
        if i in skip:
            continue  # a line left empty, printed as a dash: nothing to read
        a, b = rules[cy0 - top], rules[cy1 - top] + 1
        line = np.zeros((page.ROW + 16, page.FIGURE_W + 60), bool)
        x = 20
        # Each glyph set apart by a few pixels (tesseract can read two touching ones of the
        # same digit, "11", as one), all on one baseline, as digits are printed.
        for _, _, glyph in _glyphs(ink[a:b, 4:page.FIGURE_W + 2 * pad - 4][:page.ROW + 4]):
            gh, gw = glyph.shape
            if x + gw > page.FIGURE_W + 40:
                break
            line[page.ROW + 8 - gh:page.ROW + 8, x:x + gw] |= glyph
            x += gw + 6
        img = Image.fromarray(np.where(line[:, :x + 14], 0, 255).astype(np.uint8), mode="L")
        # Twice the size: tesseract reads digits best ~30 px high, the cells hold ~17.
        out[i] = img.resize((img.width * 2, img.height * 2), Image.Resampling.BICUBIC)
    return out


TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
            "/usr/share/tessdata", "/usr/local/share/tessdata")
_local = threading.local()


def tessdata() -> str | None:
    """The folder of `eng.traineddata` (Debian: tesseract-ocr-eng), or TESSDATA_PREFIX."""
    for d in (os.environ.get("TESSDATA_PREFIX"), *TESSDATA):
        if d and os.path.isfile(os.path.join(d, "eng.traineddata")):
            return d
    return None


def _api():
    """This thread's tesseract engine, loaded once (~0.1 s), reading one line of digits."""
    if getattr(_local, "api", None) is None:
        import tesserocr

        path = tessdata()
        if path is None:
            raise OcrMissing("tesseract's English data is not installed (Debian: apt-get "
                             "install tesseract-ocr) and TESSDATA_PREFIX is not set")
        api = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.SINGLE_BLOCK)
        api.SetVariable("tessedit_char_whitelist", "0123456789")
        _local.api = api
    return _local.api


def _digits(cells: dict, n: int) -> list[int | None]:
    """One number (or None) per cell: the most frequent of three readings (as a block, as a
    line, at half the size), which mends most single misreadings of lone digits."""
    from collections import Counter

    import tesserocr

    api, out = _api(), [None] * n
    for i, img in cells.items():
        votes = []
        for psm, im in ((tesserocr.PSM.SINGLE_BLOCK, img), (tesserocr.PSM.SINGLE_LINE, img),
                        (tesserocr.PSM.SINGLE_BLOCK, img.resize((img.width // 2,
                                                                 img.height // 2)))):
            api.SetPageSegMode(psm)
            api.SetImage(im)
            if text := "".join(c for c in api.GetUTF8Text() if c.isdigit()):
                votes.append(text)
        out[i] = int(Counter(votes).most_common(1)[0][0]) if votes else None
    return out


def _pinned(form, figures: dict, choices: dict, diff: dict) -> bool:
    for delta in (-1, 1):
        f, c = dict(figures), dict(choices)
        (f if diff["kind"] == "line" else c)[diff["line"]] += delta
        if not any(x.severity == "error" for x in form.check(f, c)):
            return False
    return True


def read(image, payload_text: str, form, line_keys: list[str], choice_keys: list[str],
         code_lines, code_choices) -> Reading:
    """Read the printed figures of `image` (a PIL image of the page) and compare them with
    the code's (`code_lines`, `code_choices` in the form's and the ballot's order)."""
    t0 = time.perf_counter()
    layout = page.layout(tuple(line_keys), tuple(choice_keys))

    def done(status: str, note: str = "", **kw) -> Reading:
        return Reading(status, note=note, ms=round(1000 * (time.perf_counter() - t0)), **kw)

    if len(code_lines) != len(line_keys) or len(code_choices) != len(choice_keys):
        return done(UNREAD, "shape")
    corners = _corners(image, payload_text)
    if corners is None:
        return done(UNREAD, "no_qr")
    expected = [*code_lines, *code_choices]
    skip = {i for i, v in enumerate(expected) if v is None}
    values = _digits(_cells(image, corners, layout, skip), len(layout.cells))
    figures, choices, diffs = {}, {}, []
    for (kind, key, _), got, code in zip(layout.cells, values, expected):
        if code is None:
            continue  # a line not filled in is printed as a dash
        if got is None:
            return done(UNREAD, f"cell:{key}", figures=figures, choices=choices)
        (figures if kind == "line" else choices)[key] = got
        if got != code:
            diffs.append({"line": key, "kind": kind, "printed": got, "code": code})
    code_figures = {k: v for k, v in zip(line_keys, code_lines) if v is not None}
    allowed = {f.code for f in form.check(code_figures, dict(zip(choice_keys, code_choices)))}
    broken = [f.code for f in form.check(figures, choices)
              if f.severity == "error" and f.code not in allowed]
    if broken:
        # Digits the law does not allow together: a misreading, or a paper that does not add
        # up; either way the reading is not evidence of anything.
        return done(UNREAD, "relations:" + ",".join(broken), figures=figures, choices=choices)
    # A figure only an inequality bounds (voters on the list ≥ ballots issued) could be
    # misread without breaking anything: a difference is claimed only on figures the
    # relations pin, where one more or one less breaks an error relation.
    loose = [d["line"] for d in diffs if not _pinned(form, figures, choices, d)]
    if loose:
        return done(UNREAD, "unpinned:" + ",".join(loose), figures=figures, choices=choices)
    return done(DIFFERS if diffs else AGREES, figures=figures, choices=choices, diffs=diffs)
