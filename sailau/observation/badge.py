"""The observer's printable badge: an A6 PDF with the name, organisation, accreditation decision,
deployed stations and a QR code of the check address, where a commission sees whether the badge
is genuine and current. Fonts come from the printed protocol's helper (DejaVu Sans has the
Kazakh letters)."""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class BadgeData:
    badge: str
    full_name: str
    kind: str
    organisation: str
    election: str
    accreditation: str  # "No 12 of 2023-02-20, Central Election Commission"
    stations: tuple[str, ...]
    check_url: str


def qr_grid(text: str) -> list[list[bool]]:
    import segno

    return [[bool(v) for v in row] for row in segno.make(text, error="m", micro=False).matrix]


def render(data: BadgeData) -> bytes:
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from sailau.scans.printing import FONT, FONT_BOLD, _register_fonts

    _register_fonts()  # the same TrueType fonts as the printed protocol
    buf = io.BytesIO()
    width, height = A6
    c = canvas.Canvas(buf, pagesize=A6)
    c.setTitle(f"Badge {data.badge}")
    c.setFont(FONT_BOLD, 11)
    c.drawCentredString(width / 2, height - 12 * mm, "БАЙҚАУШЫ · НАБЛЮДАТЕЛЬ · OBSERVER")
    c.setFont(FONT, 7)
    c.drawCentredString(width / 2, height - 17 * mm, data.election[:90])
    c.setFont(FONT_BOLD, 13)
    c.drawCentredString(width / 2, height - 27 * mm, data.full_name[:40])
    c.setFont(FONT, 8)
    y = height - 34 * mm
    for line in (data.kind, data.organisation[:60], data.accreditation[:70],
                 "Учаскелер / Участки / Stations: " + ", ".join(data.stations)[:60]):
        c.drawCentredString(width / 2, y, line)
        y -= 4.5 * mm
    grid = qr_grid(data.check_url)
    size = 45 * mm
    module = size / (len(grid) + 8)
    x0, top = (width - size) / 2, y - 2 * mm
    for r, row in enumerate(grid):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x0 + (col + 4) * module, top - (r + 5) * module, module, module,
                       stroke=0, fill=1)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(width / 2, top - size - 4 * mm, data.badge)
    c.setFont(FONT, 6)
    c.drawCentredString(width / 2, top - size - 8 * mm, data.check_url[:100])
    c.showPage()
    c.save()
    return buf.getvalue()
