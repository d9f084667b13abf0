"""The printed protocol's heading, on the PDF and on the page a scan is drawn from: each place
named once ("Мәскеу, Мәскеу, ..." was printed), and titles wrapped whole, not cut at the code's
edge with an ellipsis."""

import pytest
from PIL import Image, ImageDraw

from sailau.elections.places import address_line
from sailau.scans import page

TITLE = "Дауыс беру қорытындылары туралы учаскелік сайлау комиссиясының хаттамасы"


def test_a_place_is_named_once():
    assert address_line("Мәскеу", "Мәскеу, Қазақстан Республикасының елшілігі") == \
        "Мәскеу, Қазақстан Республикасының елшілігі"
    assert address_line("Жезказган", "Жезказган, ул. Абая, 5 (школа)") == \
        "Жезказган, ул. Абая, 5 (школа)"
    # a village's school on a street of its own: both, the village first
    assert address_line("Сарытобе", "ул. Абая, 5 (школа)") == "Сарытобе, ул. Абая, 5 (школа)"
    assert address_line("", "ул. Абая, 5") == "ул. Абая, 5"
    assert address_line("Сарытобе", "") == "Сарытобе"
    assert address_line("Ақтөбе", "ақтөбе") == "ақтөбе"  # a town named alone, once


def test_titles_wrap_whole():
    d = ImageDraw.Draw(Image.new("L", (10, 10)))
    width = page.QR_BOX[0] - page.MARGIN - 20
    lines = page._wrap(d, TITLE, width, page.font(19, True))
    assert len(lines) == 2 and " ".join(lines) == TITLE
    assert all(d.textlength(ln, font=page.font(19, True)) <= width for ln in lines)
    # only what two lines cannot hold is cut
    lines = page._wrap(d, " ".join([TITLE] * 3), width, page.font(19, True))
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_a_long_contests_heading_ends_above_the_tables():
    long = ("Ұлытау облысы Жезқазған қаласы мәслихатының депутаттарын сайлау: №7 бір "
            "мандатты сайлау округі, кезектен тыс сайлау")
    form = page.Form("Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау "
                     "(синтетикалық)", long, ((1, "a", "Сайлаушылар саны"),), (("x", "X"),))
    tpl = page.Template(form)
    # title (2 lines), its Russian, the election (2 lines) and the contest (2 lines)
    assert page.MARGIN + 2 * 24 + 18 + 2 * 21 + 2 * 19 < tpl.station_top
    # the station's part (number, commission and an address of two lines) still above TOP
    assert tpl.station_top + 22 + 2 + 2 * 18 + 2 * 18 <= page.TOP


@pytest.mark.django_db
def test_a_referendums_scan_page_is_headed_as_the_referendums_protocol(monkeypatch):
    """The demo's scans of a referendum are drawn from a page headed as its printed protocol
    is: the precinct referendum commission's, of a referendum station (`law.kinds.Wording`),
    never an election commission's or a polling station's."""
    import random

    from sailau.scans import demo
    from sailau.verify import qr
    from tests.web import kind_elections

    e = kind_elections.referendum(regions=1, yes_regions=1)
    [(form, lines, choices)] = demo.forms(e.id).values()
    drawn, real = [], page._lines
    monkeypatch.setattr(page, "_lines", lambda d, y, text, *a, **k: (drawn.append(text),
                                                                     real(d, y, text, *a, **k))[1])
    tpl = page.Template(form)
    payload = qr.Payload("s", "c", 1, tuple(0 for _ in lines), tuple(0 for _ in choices),
                         "0" * 64)
    tpl.page(page.Station(7, "№7 учаскелік референдум комиссиясы", "Абай даңғылы, 1", ()),
             payload, {}, {}, random.Random(1))
    assert drawn[:2] == [
        "Дауыс беру қорытындылары туралы учаскелік референдум комиссиясының хаттамасы",
        "Протокол участковой комиссии референдума об итогах голосования"]
    assert "№ 7 референдум учаскесі / участок референдума № 7" in drawn
    assert not [t for t in drawn if "сайлау" in t.lower() or "избират" in t.lower()]
    # An election's page keeps an election's words.
    drawn.clear()
    page.Template(page.Form("Сайлау", "Партиялық тізімдер", ((1, "a", "A"),), (("x", "X"),)))
    assert drawn[0] == TITLE
