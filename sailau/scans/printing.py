"""The printed protocol: an A4 PDF in Kazakh and Russian with every line, every choice, room for
the members' signatures and the seal, and the QR code of its figures (see `qr`).

Pure Python (reportlab, no Django): `service.printable` gathers a `PrintableProtocol` from the
database. Cyrillic and the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) need a TrueType font that has
them; reportlab's own fonts do not, so `font_paths` looks for DejaVu Sans (Debian/Ubuntu:
`apt-get install fonts-dejavu-core`) or the file named by SAILAU_PDF_FONT."""

from __future__ import annotations

import importlib.util
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from sailau.verify.qr import Payload, modules

FONT, FONT_BOLD = "SailauSans", "SailauSans-Bold"

# Where DejaVu Sans lives: Debian/Ubuntu, Fedora, Arch, then the copy matplotlib ships.
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
              "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


class FontMissing(RuntimeError):
    pass


def font_paths() -> tuple[Path, Path]:
    """(regular, bold) TTF files with Cyrillic and Kazakh letters. Bold falls back to regular."""
    if env := os.environ.get("SAILAU_PDF_FONT"):
        regular = Path(env)
        if not regular.is_file():
            raise FontMissing(f"SAILAU_PDF_FONT={env}: no such file")
        bold = Path(os.environ.get("SAILAU_PDF_FONT_BOLD") or regular)
        return regular, bold if bold.is_file() else regular
    dirs = [Path(d) for d in _FONT_DIRS]
    if (spec := importlib.util.find_spec("matplotlib")) and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    for d in dirs:
        regular = d / "DejaVuSans.ttf"
        if regular.is_file():
            bold = d / "DejaVuSans-Bold.ttf"
            return regular, bold if bold.is_file() else regular
    raise FontMissing("no font with Kazakh letters found for the printed protocol: install "
                      "fonts-dejavu-core (apt-get install fonts-dejavu-core) or set "
                      "SAILAU_PDF_FONT to a TTF file that has Cyrillic and Kazakh letters")


_registered = False


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = font_paths()
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    _registered = True


@dataclass(frozen=True)
class PrintedLine:
    number: int
    label_kk: str
    label_ru: str
    value: int | None


@dataclass(frozen=True)
class PrintedChoice:
    order: int
    name_kk: str
    name_ru: str
    votes: int


@dataclass(frozen=True)
class PrintedMember:
    role_kk: str
    role_ru: str
    full_name: str


@dataclass(frozen=True)
class PrintableProtocol:
    election_kk: str
    election_ru: str
    contest_kk: str
    contest_ru: str
    station_number: int
    commission_kk: str
    commission_ru: str
    address_kk: str
    address_ru: str
    version: int
    payload: Payload
    lines: tuple[PrintedLine, ...]
    choices: tuple[PrintedChoice, ...]
    members: tuple[PrintedMember, ...] = field(default=())
    printed_at: str = ""  # shown as is, e.g. "2023-03-19 22:40 (Asia/Almaty)"
    # typed from the paper and signed by the commission above, on the station's behalf: what
    # the paper says of it (`sailau.verify.behalf`), in Kazakh and Russian
    behalf_kk: str = ""
    behalf_ru: str = ""
    # What the paper is and what the station is called: an election's, unless the contest's
    # kind has its own (a referendum's commission and station, `law.kinds.Wording`).
    title_kk: str = "Дауыс беру қорытындылары туралы учаскелік сайлау комиссиясының хаттамасы"
    title_ru: str = "Протокол участковой избирательной комиссии об итогах голосования"
    station_kk: str = "сайлау учаскесі"
    station_ru: str = "избирательный участок"


def _draw_qr(canvas, grid: list[list[bool]], x: float, y: float, size: float) -> None:
    """The QR code drawn as vector rectangles at (x, y), bottom left: sharp at any printer
    resolution, and no image to embed. Adjacent dark modules of a row make one rectangle."""
    n = len(grid) + 8  # 4-module quiet zone on every side
    m = size / n
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(grid):
        top = y + size - (r + 5) * m
        x0 = None
        for col, dark in enumerate([*row, False]):
            if dark and x0 is None:
                x0 = col
            elif not dark and x0 is not None:
                canvas.rect(x + (x0 + 4) * m, top, (col - x0) * m, m, stroke=0, fill=1)
                x0 = None


def _qr_flowable(grid: list[list[bool]], size: float):
    from reportlab.platypus import Flowable

    class QR(Flowable):
        def wrap(self, *_):
            return size, size

        def draw(self):
            _draw_qr(self.canv, grid, 0, 0, size)

    return QR()


def render(doc: PrintableProtocol) -> bytes:
    """The protocol as PDF bytes."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9,
                           textColor=colors.HexColor("#333333"))
    title = ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14)
    head = ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12,
                          spaceBefore=4, spaceAfter=2)
    figure = ParagraphStyle("figure", parent=base, fontName=FONT_BOLD, fontSize=11, leading=13,
                            alignment=2)

    def p(text, style=base):
        return Paragraph(escape(str(text)), style)

    def both(kk, ru, style=base):
        # Kazakh first (state language), Russian below it in the smaller style.
        if ru and ru != kk:
            return [Paragraph(escape(kk), style), Paragraph(escape(ru), small)]
        return [Paragraph(escape(kk), style)]

    story = []
    heading = [
        *both(doc.title_kk, doc.title_ru, title),
        Spacer(1, 2 * mm),
        *both(doc.election_kk, doc.election_ru, head),
        *both(doc.contest_kk, doc.contest_ru),
        Spacer(1, 1.5 * mm),
        p(f"№ {doc.station_number} {doc.station_kk} / {doc.station_ru} № "
          f"{doc.station_number}", head),
        *both(doc.commission_kk, doc.commission_ru),
        *both(doc.address_kk, doc.address_ru),
    ]
    qr_size = 46 * mm
    grid = modules(doc.payload)
    qr_cell = [_qr_flowable(grid, qr_size),
               p(f"v{doc.version} · SHA-256 {doc.payload.digest[:16]}…", small)]
    if doc.payload.key_id:  # the commission's own key: its fingerprint, as on the paper form
        qr_cell.append(p(f"Комиссия кілті / ключ комиссии: {doc.payload.key_id}", small))
    if doc.behalf_kk:  # the key is the commission above's, not the station commission's
        qr_cell += [p(doc.behalf_kk, small), p(doc.behalf_ru, small)]
    top = Table([[heading, qr_cell]], colWidths=[None, qr_size + 2 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [top, Spacer(1, 3 * mm)]

    grid_style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ])
    rows = [[p("№"), both("Хаттама жолы", "Строка протокола", head), p("Саны / Число", head)]]
    for line in doc.lines:
        rows.append([p(line.number), both(line.label_kk, line.label_ru),
                     p("—" if line.value is None else line.value, figure)])
    table = Table(rows, colWidths=[9 * mm, None, 28 * mm], repeatRows=1)
    table.setStyle(grid_style)
    story += [table, Spacer(1, 3 * mm)]

    rows = [[p("№"), both("Дауыс берілген нұсқа", "Вариант голосования", head),
             p("Дауыс / Голоса", head)]]
    for ch in doc.choices:
        rows.append([p(ch.order), both(ch.name_kk, ch.name_ru), p(ch.votes, figure)])
    table = Table(rows, colWidths=[9 * mm, None, 28 * mm], repeatRows=1)
    table.setStyle(grid_style)
    story += [table, Spacer(1, 4 * mm)]

    # Signatures: every member by name when the commission's composition is known, otherwise
    # blank rows to fill in by hand; the seal gets its own marked square.
    members = doc.members or tuple(PrintedMember("", "", "") for _ in range(7))
    sig = [[both("Комиссия мүшесі", "Член комиссии", head), p("Аты-жөні / Ф. И. О.", head),
            p("Қолы / Подпись", head)]]
    for mem in members:
        sig.append([both(mem.role_kk, mem.role_ru) if mem.role_kk else p(""),
                    p(mem.full_name), p("")])
    sig_table = Table(sig, colWidths=[45 * mm, None, 45 * mm],
                      rowHeights=[None] + [8 * mm] * len(members))
    sig_table.setStyle(TableStyle([
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#777777")),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    seal = Table([[both("М.О.", "М.П. (печать комиссии)", small)]], colWidths=[38 * mm],
                 rowHeights=[38 * mm])
    seal.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    signed = both("Хаттамаға қол қойылды: «___» __________ 20___ ж., сағат ___:___",
                  "Протокол подписан: «___» __________ 20___ г. в ___:___")
    story.append(KeepTogether([p("Комиссия мүшелерінің қолдары / Подписи членов комиссии", head),
                               sig_table, Spacer(1, 3 * mm),
                               Table([[signed, seal]], colWidths=[None, 40 * mm])]))

    footer = (f"№ {doc.station_number} · {doc.payload.contest} · v{doc.version} · "
              f"SHA-256 {doc.payload.digest}")
    printed = doc.printed_at

    def on_page(canvas, _doc):
        canvas.saveState()
        if canvas.getPageNumber() > 1:
            # The code again on every later page: a scan of the signature page alone (or pages
            # scanned out of order) still says whose protocol it is and what it records.
            small_qr = 32 * mm
            _draw_qr(canvas, grid, A4[0] - 15 * mm - small_qr, A4[1] - 8 * mm - small_qr,
                     small_qr)
        canvas.setFont(FONT, 6.5)
        canvas.drawString(15 * mm, 8 * mm, footer)
        right = f"{printed} · {canvas.getPageNumber()}" if printed else str(canvas.getPageNumber())
        canvas.drawRightString(A4[0] - 15 * mm, 12 * mm, right)
        canvas.restoreState()

    out = io.BytesIO()
    left, bottom, top = 15 * mm, 18 * mm, 12 * mm
    width = A4[0] - 2 * left
    first = Frame(left, bottom, width, A4[1] - top - bottom, id="first")
    # Later pages start below their copy of the code.
    later = Frame(left, bottom, width, A4[1] - 44 * mm - bottom, id="later")
    pdf = BaseDocTemplate(out, pagesize=A4, title=f"Protocol, station {doc.station_number}",
                          author="Sailau", subject=doc.payload.contest, invariant=True,
                          pageTemplates=[PageTemplate("first", [first], onPage=on_page),
                                         PageTemplate("later", [later], onPage=on_page)])
    pdf.build([NextPageTemplate("later"), *story])
    return out.getvalue()
