"""The printed protocol page as a picture, and where its figures are on it.

The demo needs ~20,000 pictures of signed protocols and the OCR needs to know where each
printed figure sits, so the page is drawn here with Pillow on a fixed grid (`layout`) rather than
rasterised from the PDF (~0.5 s a page). Everything that is the same for every station of a
contest (titles, the table of lines and choices with their labels, the signature block) is drawn
once into a template (`Template`); a page copies it and draws only the station's own text, the
figures, the QR code, the members' signatures and the seal over them.

Pure Pillow/numpy, no Django: `demo.py` gathers what to draw, `capture.py` photographs it and
`ocr.py` reads the figures back through `layout`."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

from sailau.verify import qr

W, H = 1000, 1414  # A4 at ~121 dpi: digits ~24 px high, the QR code 4 px a module
MARGIN = 50
QR_BOX = (700, 50, 950, 300)  # the code's symbol (no quiet zone): its corners anchor the OCR
ROW = 30  # height of a table row
FIGURE_W = 150  # width of a figure cell, at the right of the tables
TOP = 320  # the first table starts below the heading and the code

ROLES = ("Төраға / Председатель", "Төрағаның орынбасары / Зам. председателя",
         "Хатшы / Секретарь", "Мүше / Член комиссии", "Мүше / Член комиссии")
SIGNATURE_ROW = 32
Box = tuple[int, int, int, int]  # left, top, right, bottom in page pixels


@dataclass(frozen=True)
class Layout:
    """Where the figures are: `cells` are (kind, key, box) in print order, lines then choices."""

    cells: tuple[tuple[str, str, Box], ...]
    signatures_top: int
    rows: int


@cache
def layout(line_keys: tuple[str, ...], choice_keys: tuple[str, ...]) -> Layout:
    """The page's grid for a form: one row per line, a header row, one per choice."""
    cells, y = [], TOP + ROW  # below the lines' header row
    for key in line_keys:
        cells.append(("line", key, (W - MARGIN - FIGURE_W, y, W - MARGIN, y + ROW)))
        y += ROW
    y += 14 + ROW  # a gap and the choices' header row
    for key in choice_keys:
        cells.append(("choice", key, (W - MARGIN - FIGURE_W, y, W - MARGIN, y + ROW)))
        y += ROW
    return Layout(tuple(cells), y + 20, len(line_keys) + len(choice_keys))


@cache
def font(size: int, bold: bool = False):
    from PIL import ImageFont

    from sailau.scans.printing import FontMissing, font_paths

    try:
        return ImageFont.truetype(str(font_paths()[1 if bold else 0]), size)
    except FontMissing:
        return ImageFont.load_default(size)


@dataclass(frozen=True)
class Form:
    """What is the same on every station's page of a contest."""

    election: str
    contest: str
    lines: tuple[tuple[int, str, str], ...]  # (number, key, label)
    choices: tuple[tuple[str, str], ...]  # (key, name)
    roles: tuple[str, ...] = ROLES  # one signature row each
    # The protocol's title and what a station is called, in Kazakh and Russian: an election's
    # unless the contest's kind has its own (a referendum's, `law.kinds.Wording.protocol`).
    title_kk: str = "Дауыс беру қорытындылары туралы учаскелік сайлау комиссиясының хаттамасы"
    title_ru: str = "Протокол участковой избирательной комиссии об итогах голосования"
    station_kk: str = "сайлау учаскесі"
    station_ru: str = "избирательный участок"


@dataclass(frozen=True)
class Station:
    """What one station's page adds to its contest's template."""

    number: int
    commission: str
    address: str
    members: tuple[str, ...]  # full names, in the order of `Form.roles`


def _fit(draw, text: str, width: int, f) -> str:
    """`text` cut with an ellipsis to fit `width` pixels."""
    if draw.textlength(text, font=f) <= width:
        return text
    while text and draw.textlength(text + "…", font=f) > width:
        text = text[:-1]
    return text + "…"


def _wrap(draw, text: str, width: int, f, most: int = 2) -> list[str]:
    """`text` broken between words into lines of at most `width` pixels, `most` lines at most
    (the last cut with an ellipsis only if even they do not hold it): a title is printed
    whole, not cut at the edge of the heading."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=f) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most - 1] + [" ".join(lines[most - 1:])]
    return [_fit(draw, line, width, f) for line in lines] or [""]


def _lines(draw, y: int, text: str, width: int, f, height: int, fill: int = 0) -> int:
    """Draw `text` wrapped at `y`, one line every `height` pixels; the y below it."""
    for line in _wrap(draw, text, width, f):
        draw.text((MARGIN, y), line, fill=fill, font=f)
        y += height
    return y


class Template:
    """A contest's page without any station's text or figures; `page` fills one in."""

    def __init__(self, form: Form):
        from PIL import Image, ImageDraw

        self.form = form
        self.layout = layout(tuple(k for _, k, _ in form.lines), tuple(k for k, _ in form.choices))
        img = Image.new("L", (W, H), 255)
        d = ImageDraw.Draw(img)
        text_w = QR_BOX[0] - MARGIN - 20
        # The heading flows down, each title on as many lines as it needs (two at most): the
        # station's part (`page`) starts below it, and all of it above the tables (TOP).
        y = _lines(d, MARGIN, form.title_kk, text_w, font(19, True), 24)
        y = _lines(d, y + 2, form.title_ru, text_w, font(14), 18, fill=40)
        y = _lines(d, y + 10, form.election, text_w, font(16, True), 21)
        y = _lines(d, y + 2, form.contest, text_w, font(15), 19)
        self.station_top = y + 12
        label_w = W - MARGIN - FIGURE_W - (MARGIN + 44) - 12
        y = TOP
        for header, rows in (("Хаттама жолы / Строка протокола",
                              [(str(n), label) for n, _, label in form.lines]),
                             ("Дауыс берілген нұсқа / Вариант голосования",
                              [(str(i + 1), name) for i, (_, name) in enumerate(form.choices)])):
            d.rectangle((MARGIN, y, W - MARGIN, y + ROW), fill=230)
            d.text((MARGIN + 6, y + 8), "№", fill=0, font=font(15, True))
            d.text((MARGIN + 50, y + 8), header, fill=0, font=font(15, True))
            d.text((W - MARGIN - FIGURE_W + 8, y + 8), "Саны / Число", fill=0,
                   font=font(15, True))
            for i, (no, label) in enumerate(rows):
                top = y + ROW * (i + 1)
                d.text((MARGIN + 8, top + 9), no, fill=0, font=font(15))
                d.text((MARGIN + 50, top + 9), _fit(d, label, label_w, font(15)), fill=0,
                       font=font(15))
            bottom = y + ROW * (len(rows) + 1)
            for x in (MARGIN, MARGIN + 44, W - MARGIN - FIGURE_W, W - MARGIN):
                d.line((x, y, x, bottom), fill=60, width=1)
            for i in range(len(rows) + 2):
                d.line((MARGIN, y + ROW * i, W - MARGIN, y + ROW * i), fill=60, width=1)
            y = bottom + 14
        y = self.layout.signatures_top
        d.text((MARGIN, y), "Комиссия мүшелерінің қолдары / Подписи членов комиссии", fill=0,
               font=font(15, True))
        for i, role in enumerate(form.roles):
            top = y + 26 + i * SIGNATURE_ROW
            d.text((MARGIN, top + 8), role, fill=0, font=font(13))
            d.line((W - MARGIN - 260, top + 28, W - MARGIN, top + 28), fill=90, width=1)
        d.text((MARGIN, y + 36 + len(form.roles) * SIGNATURE_ROW), "Хаттамаға қол қойылды / Протокол подписан", fill=40,
               font=font(13))
        self.image = img

    def page(self, station: Station, payload: qr.Payload, figures: dict, choices: dict,
             rng: random.Random):
        """The station's signed page (RGB): `figures`/`choices` are what is printed, which is
        the code's figures unless the demo forges the paper."""
        from PIL import Image, ImageDraw

        img = self.image.copy()
        d = ImageDraw.Draw(img)
        text_w = QR_BOX[0] - MARGIN - 20
        y = _lines(d, self.station_top, f"№ {station.number} {self.form.station_kk} / "
                   f"{self.form.station_ru} № {station.number}", text_w, font(16, True), 22)
        y = _lines(d, y + 2, station.commission, text_w, font(14), 18, fill=20)
        _lines(d, y, station.address, text_w, font(14), 18, fill=20)
        d.text((QR_BOX[0], QR_BOX[3] + 8), f"v{payload.version} · SHA-256 "
               f"{payload.digest[:16]}…", fill=40, font=font(12))
        values = {**{("line", k): v for k, v in figures.items()},
                  **{("choice", k): v for k, v in choices.items()}}
        for kind, key, (x0, y0, x1, _) in self.layout.cells:
            value = values.get((kind, key))
            text = "—" if value is None else str(value)
            tw = d.textlength(text, font=font(22, True))
            d.text((x1 - 14 - tw, y0 + 3), text, fill=0, font=font(22, True))
        code = qr.to_image(payload, scale=1, border=0)
        size = QR_BOX[2] - QR_BOX[0]
        img.paste(code.resize((size, size), Image.Resampling.NEAREST), QR_BOX[:2])
        top = self.layout.signatures_top
        for i, name in enumerate(station.members[:len(self.form.roles)]):
            row = top + 26 + i * SIGNATURE_ROW
            d.text((MARGIN + 330, row + 8), name, fill=0, font=font(14))
        img = img.convert("RGB")
        ink = Image.new("RGB", img.size, (255, 255, 255))
        di = ImageDraw.Draw(ink)
        for i in range(len(self.form.roles)):
            signature(di, W - MARGIN - 240, top + 26 + i * SIGNATURE_ROW, rng)
        seal(di, W - MARGIN - 170 + rng.randint(-20, 20),
              top + 60 + rng.randint(0, 60), station.number, rng)
        # Ink is darker than paper: the darker of the two at every pixel (a multiply would do
        # too, but this is one call).
        from PIL import ImageChops

        return ImageChops.darker(img, ink)


def signature(d, x: int, y: int, rng: random.Random) -> None:
    """A scribble of a few connected loops in blue-black ink, ~200 × 30 px."""
    pts, px = [], x + rng.randint(0, 30)
    for _ in range(rng.randint(6, 11)):
        px += rng.randint(10, 24)
        pts.append((px, y + rng.randint(2, 26)))
    colour = rng.choice([(20, 30, 110), (10, 10, 40), (30, 50, 150)])
    d.line(pts, fill=colour, width=2, joint="curve")


def seal(d, cx: int, cy: int, number: int, rng: random.Random) -> None:
    """The commission's round seal in violet, stamped over the signatures, a little faint."""
    colour = (120 + rng.randint(-20, 20), 80, 170 + rng.randint(-20, 20))
    for r, w in ((70, 3), (62, 1), (34, 1)):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=w)
    text = "УЧАСКЕЛІК САЙЛАУ КОМИССИЯСЫ * "
    for i, ch in enumerate(text):
        a = 2 * math.pi * i / len(text) - math.pi / 2
        d.text((cx + 48 * math.cos(a) - 4, cy + 48 * math.sin(a) - 6), ch, fill=colour,
               font=font(11, True))
    label = f"№{number}"
    d.text((cx - d.textlength(label, font=font(16, True)) / 2, cy - 10), label, fill=colour,
           font=font(16, True))
