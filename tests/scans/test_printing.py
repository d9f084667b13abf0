"""The printed protocol: every line and choice, Kazakh letters that render, and a QR code that
reads back as the protocol it was printed from."""

import pypdfium2 as pdfium
import pytest

from sailau.law import get_ruleset
from sailau.scans import printing
from sailau.verify import qr

FORM = get_ruleset("kz-mazhilis-2023").form("party_list")
VALUES = [1500 + 7 * i for i in range(len(FORM.lines))]
VOTES = [401, 302, 203, 104, 55, 26]


def document(**kw) -> printing.PrintableProtocol:
    p = qr.build("kz.t.pec.01.0007", "kz.t.list", 2, VALUES, VOTES)
    args = {
        "election_kk": "Мәжіліс депутаттарын сайлау", "election_ru": "Выборы депутатов Мажилиса",
        "contest_kk": "Партиялық тізімдер", "contest_ru": "Партийные списки", "station_number": 7,
        "commission_kk": "№ 7 учаскелік сайлау комиссиясы",
        "commission_ru": "Участковая избирательная комиссия № 7",
        "address_kk": "Қарағанды қ., Бұқар жырау даңғылы 12",
        "address_ru": "г. Караганда, пр. Бухар жырау 12",
        "version": 2, "payload": p,
        "lines": tuple(printing.PrintedLine(ln.number, ln.label["kk"], ln.label["ru"], v)
                    for ln, v in zip(FORM.lines, VALUES)),
        "choices": tuple(printing.PrintedChoice(i + 1, f"Партия {i}", f"Партия {i}", v)
                      for i, v in enumerate(VOTES)),
        "members": (printing.PrintedMember("Төраға", "Председатель", "Әбілқайыр Ұлжан"),),
        "printed_at": "2023-03-19 22:40"}
    return printing.PrintableProtocol(**(args | kw))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return printing.render(document())


def squash(s: str) -> str:
    return "".join(s.split())


def text_of(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    return text


def test_every_line_and_choice_is_printed_with_its_label(pdf):
    text = squash(text_of(pdf))  # labels wrap inside their cells
    for line, value in zip(FORM.lines, VALUES):
        assert squash(line.label["kk"]) in text
        assert squash(line.label["ru"]) in text
        assert f"{line.number}{squash(line.label['kk'])}" in text  # number beside its label
        assert str(value) in text
    for v in VOTES:
        assert str(v) in text
    assert "Председатель" in text and "ӘбілқайырҰлжан" in text


def test_kazakh_letters_are_real_text_not_missing_glyphs(pdf):
    # The text layer keeps the characters only when the font has the glyphs embedded.
    text = text_of(pdf)
    for word in ("Қарағанды", "Бұқар", "сайлау", "Ұлжан", "қорытындылары"):
        assert word in text


def test_qr_on_the_page_reads_back_as_the_protocol(pdf):
    assert qr.first_payload(qr.decode_pdf(pdf)) == document().payload


def test_the_full_hash_is_printed_for_people_to_compare(pdf):
    assert document().payload.digest in squash(text_of(pdf))


def test_blank_signature_rows_when_members_are_unknown():
    pdf = printing.render(document(members=()))
    assert "Подписи членов комиссии" in text_of(pdf)


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SAILAU_PDF_FONT", "/nonexistent/font.ttf")
    with pytest.raises(printing.FontMissing, match="SAILAU_PDF_FONT"):
        printing.font_paths()


def test_font_found_without_configuration(monkeypatch):
    monkeypatch.delenv("SAILAU_PDF_FONT", raising=False)
    regular, bold = printing.font_paths()
    assert regular.is_file() and bold.is_file()


def test_every_page_carries_the_code():
    members = tuple(printing.PrintedMember("Мүше", "Член комиссии", f"Мүше {i}") for i in range(9))
    pdf = printing.render(document(members=members))
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 2
    for i in range(len(doc)):  # a scan of any page alone says whose protocol it is
        found = qr.first_payload(qr.decode_image(doc[i].render(scale=150 / 72).to_pil()))
        assert found == document().payload
    doc.close()


@pytest.mark.django_db
def test_a_referendums_paper_is_its_commissions_protocol_of_its_station(tmp_path, monkeypatch):
    """A referendum's printed protocol is the precinct referendum commission's, of a referendum
    station, with its own line 1 (citizens on the lists); an election's keeps its words."""
    from sailau.protocols.models import Protocol
    from sailau.scans.service import printable
    from tests.web import kind_elections

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    kind_elections.referendum(regions=1, yes_regions=1)
    doc = printable(Protocol.objects.get())
    text = squash(text_of(printing.render(doc)))
    n = doc.station_number
    for said in ("Протоколучастковойкомиссииреферендумаобитогахголосования",
                 "учаскелікреферендумкомиссиясыныңхаттамасы",
                 f"№{n}референдумучаскесі/участокреферендума№{n}",
                 "Числограждан,внесённыхвспискиграждан"):
        assert said in text, said
    assert "избирательн" not in text.lower() and "сайлау" not in text.lower()
    assert "избирательный участок" in document().station_ru  # an election's paper


@pytest.mark.django_db
def test_members_titles_in_each_official_language_chair_first(tmp_path, monkeypatch):
    """The signature rows name each member's title in the state's languages the paper is printed
    in, from the catalogues, chair, deputy and secretary first."""
    from sailau.elections.models import Member
    from sailau.protocols.models import Protocol
    from sailau.scans.service import printable
    from tests.web import kind_elections

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    kind_elections.referendum(regions=1, yes_regions=1)
    protocol = Protocol.objects.get()
    for name, role in (("Ерлан", "member"), ("Айгүл", "secretary"), ("Бақыт", "chair"),
                       ("Дәулет", "deputy")):
        Member.objects.create(commission=protocol.station.commission, full_name=name, role=role,
                              nominated_by="—")
    assert printable(protocol).members == (
        printing.PrintedMember("Төраға", "Председатель", "Бақыт"),
        printing.PrintedMember("Төрағаның орынбасары", "Заместитель председателя", "Дәулет"),
        printing.PrintedMember("Хатшы", "Секретарь", "Айгүл"),
        printing.PrintedMember("Мүше", "Член комиссии", "Ерлан"))
