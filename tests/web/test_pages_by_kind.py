"""What a referendum's and a presidential election's pages show, and nothing of the Mazhilis's:
the 5 June 2022 constitutional referendum imported with 2 of its regions (the law counts 17:
no outcome, and the page says why), with all 17 (not adopted: "yes" in 10 of them, 12
required), and a presidential election over the 20 territories of 2023 (`kind_elections`).
In Kazakh and Russian: the outcome or its reason, the rule that decided it, shares of the
law's participants, the kind's own words, no raw key, and the tile map's labels by the
territories' names."""

import json
import re

import pytest

from sailau.elections.models import Commission
from sailau.publish.files.downloads import outcome_file
from sailau.publish.pages import tilemap
from tests.web import kind_elections
from tests.web.visible_text import visible_text

pytestmark = pytest.mark.django_db

RAW = ("against_all", "both_marked", "regions_count", "yes_share", "None")
# Words of an election of candidates, never on a referendum's page.
NOT_ON_A_REFERENDUM = {
    "kk": ("Сайлау күні", "Сайлауға қатысу", "Көш басшысы", "Бір мандатты округтер",
           "Кандидаттар", "Сайлау қорлары", "Мандаттар"),
    "ru": ("День выборов", "Явка", "Лидер", "Одномандатные округа", "Кандидаты",
           "Избирательные фонды", "Мандаты"),
}
TWO_FIGURES = {"kk": "Неліктен қатысудың екі көрсеткіші: жоғарыдағысы берілген бюллетеньдер",
               "ru": "Почему два показателя участия: показатель выше — по выданным бюллетеням",
               "en": "Why two participation figures: the one above is of the ballots issued"}
REFERENDUM_WORDS = {"kk": ("Референдум күні", "Референдумға қатысу", "Көпшілік жауабы"),
                    "ru": ("День референдума", "Участие в референдуме", "Ответ большинства")}


def _page(client, e, lang: str) -> tuple[str, str]:
    r = client.get(f"/{lang}/e/{e.id}/")
    assert r.status_code == 200
    html = r.content.decode()
    # (the text of an element and the colon after it are two parts: joined with a space)
    return html, visible_text(html).replace(" :", ":")


def _labels(html: str) -> list[str]:
    """The tile labels of the map's first drawing (one per territory drawn)."""
    svg = re.search(r'<svg class="chart map".*?</svg>', html, re.DOTALL).group(0)
    return re.findall(r'font-size="15" font-weight="bold"[^>]*>([^<]+)</text>', svg)


@pytest.mark.parametrize("lang,reason", [
    ("kk", "Нәтиже анықталмайды: заң 17 өңірді санайды, дауыс беру құрылымында 2"),
    ("ru", "Итог не определяется: закон считает 17 регионов, в структуре голосования 2")])
def test_a_referendum_over_two_regions_says_why_it_has_no_outcome(client, lang, reason):
    e = kind_elections.referendum(regions=2)
    html, text = _page(client, e, lang)
    assert reason in text
    for word in REFERENDUM_WORDS[lang]:
        assert word in text, word
    for word in NOT_ON_A_REFERENDUM[lang] + RAW:
        assert word not in text, word
    # Akmola and Aktobe, the first two of 2022 by the CEC's order: not Astana and Almaty city.
    assert _labels(html) == (["АҚМ", "АҚТ"] if lang == "kk" else ["АКМ", "АКТ"])
    # one row of squares, with no empty rows of the country's other territories above it
    assert re.search(r'<svg class="chart map" viewBox="0 0 \d+ 60"', html)


def test_the_published_outcome_says_why_it_is_not_computed():
    e = kind_elections.referendum(regions=2)
    doc = json.loads(outcome_file(e.contests.get()))
    assert doc["format"] == "sailau-outcome/2" and doc["computed"] is False
    assert doc["outcome"]["reason"] == {"code": "regions_count", "field": "regions",
                                        "counted": 17, "given": 2}


@pytest.mark.parametrize("lang,said", [
    ("kk", ("Қабылданбады: «Иә» жауабы тым аз өңірде көпшілік алды",
            "тізімдегі азаматтардың 69,00%; жартысынан көбі қажет",
            ("«Иә» жауабын қатысушылардың жартысынан көбі 17 өңірдің 10 өңірінде берді; "
            "12 өңір қажет (үштен екісі)"))),
    ("ru", ("Не принято: ответ «Да» набрал большинство в слишком малом числе регионов",
            "69,00% граждан в списках; требуется больше половины",
            "«Да» — больше половины участников в 10 из 17 регионов; требуется 12 (две трети)"))])
def test_a_failed_constitutional_referendum_says_regions_reached_and_required(client, lang,
                                                                              said):
    e = kind_elections.referendum(regions=17, yes_regions=10)
    html, text = _page(client, e, lang)
    for s in said:
        assert s in text, s
    for word in NOT_ON_A_REFERENDUM[lang] + RAW:
        assert word not in text, word
    # Participation above (ballots issued) and the validity's (ballots found) differ: said why.
    assert TWO_FIGURES[lang] in text
    # One decimal separator on the page: a comma in Kazakh and Russian.
    assert not re.search(r"\d\.\d+ ?%", text), re.search(r".{40}\d\.\d+ ?%", text)
    # The 2022 division: 17 tiles, Nur-Sultan on Astana's square under its own name, no Abai,
    # Zhetisu or Ulytau.
    labels = _labels(html)
    assert len(labels) == 17 and ("НҰР" if lang == "kk" else "НУР") in labels
    assert "АСТ" not in labels
    assert not {"АБА", "ЖЕТ", "ҰЛЫ", "УЛЫ"} & set(labels)


@pytest.mark.parametrize("lang,said", [
    ("kk", ("Қабылданбады: референдум өтпеді, азаматтар тым аз қатысты",
            ("Өтпеді: тізімдегі азаматтардың жартысы немесе одан азы қатысты "
             "(тізімдегі азаматтардың 40,00%; жартысынан көбі қажет)"))),
    ("ru", ("Не принято: референдум не состоялся: приняло участие слишком мало граждан",
            ("Не состоялся: приняли участие половина граждан в списках или меньше "
             "(40,00% граждан в списках; требуется больше половины)"))),
    ("en", ("Not adopted: the referendum is not valid, too few citizens took part",))])
def test_a_referendum_too_few_took_part_in_says_so_by_its_outcome(client, lang, said):
    """400 of 1000 took part at every station, "yes" ahead in every region: not valid, and the
    outcome's headline says so, not only the rule below it."""
    e = kind_elections.referendum(regions=17, yes_regions=17, votes=(300, 88))
    _html, text = _page(client, e, lang)
    for s in said:
        assert s in text, s
    assert "too few regions" not in text
    assert TWO_FIGURES[lang] in text


def test_referendum_shares_are_of_the_laws_participants(client):
    """690 took part at each station (523 yes, 155 no, 9 both marked, 3 invalid): 523 is
    75.80 % of them, not 76.80 % of the ballots less those marked both ways."""
    e = kind_elections.referendum(regions=2)
    html, text = _page(client, e, "ru")
    row = re.search(r"<th scope=\"row\">Да</th><td class=\"n\">([^<]+)</td>"
                    r"<td class=\"n\">([^<]+)</td>", html)
    assert row.group(2) == "75,80%"
    assert "Доли: процент участников референдума (да, нет, отмечены оба ответа" in text
    station = e.stations.order_by("number").first()
    page = visible_text(client.get(f"/ru/e/{e.id}/s/{station.number}/").content.decode())
    assert "75,80%" in page and "76,80%" not in page
    assert "Участие в референдуме" in page and "Явка" not in page


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_referendums_territory_page_is_in_its_words(client, lang):
    e = kind_elections.referendum(regions=2)
    t = Commission.objects.filter(election=e, level=Commission.TERRITORIAL).first()
    r = client.get(f"/{lang}/e/{e.id}/c/{t.id}/")
    assert r.status_code == 200
    text = visible_text(r.content.decode())
    assert REFERENDUM_WORDS[lang][1] in text
    for word in NOT_ON_A_REFERENDUM[lang] + RAW:
        assert word not in text, word


@pytest.mark.parametrize("lang,not_said", [
    ("kk", ("Мандаттар", "Бір мандатты округтер", "Партиялар")),
    ("ru", ("Мандаты", "Одномандатные округа", "Партии"))])
def test_a_presidential_election_shows_nothing_of_the_mazhilis(client, lang, not_said):
    e = kind_elections.president()
    html, text = _page(client, e, lang)
    for word in not_said + RAW:
        assert word not in text, word
    assert 'class="hemicycle' not in html
    assert ("Кандидаттар" if lang == "kk" else "Кандидаты") in text
    # 420 of the 594 valid ballots: the base of the President's majority (`kinds.PRESIDENT`)
    assert ("Сайланды Тоқаев Қ.-Ж. К. (70,71%)" if lang == "kk"
            else "Избран Токаев К.-Ж. К. (70,71%)") in text
    # The 20 territories of 2023, each on its own square.
    labels = _labels(html)
    assert len(labels) == len(set(labels)) == 20
    assert {"АБА", "ЖЕТ"} <= set(labels)


def test_a_territory_the_map_does_not_know_is_listed_beside_it(client):
    e = kind_elections.president()
    t = Commission.objects.filter(election=e, level=Commission.TERRITORIAL).order_by("number")[0]
    Commission.objects.filter(pk=t.pk).update(names={"kk": "Байқоңыр аумақтық сайлау комиссиясы", "ru": "Территориальная избирательная комиссия: "
                                                      "Байконур", "en": "Baikonur"})
    m = tilemap.tilemap(e.contests.get())
    assert [b.commission.pk for b in m["beside"]] == [t.pk]
    assert len(m["tiles"]) == 19 and "AKM" not in {tilemap.place_of(x.commission)
                                                   for x in m["tiles"]}
    html, text = _page(client, e, "ru")
    assert "Нет на карте (территория, которой карта не знает): Байконур" in text
    assert len(_labels(html)) == 19


def test_almaty_the_region_and_almaty_the_city_are_two_squares():
    e = kind_elections.president()
    places = {c.names["en"]: tilemap.place_of(c)
              for c in Commission.objects.filter(election=e, level=Commission.TERRITORIAL)}
    assert places["Almaty Region territorial election commission"] == "ALR"
    assert places["Almaty city territorial election commission"] == "ALM"
    assert places["Astana city territorial election commission"] == "AST"
    assert places["East Kazakhstan Region territorial election commission"] == "EKO"


@pytest.mark.parametrize("lang,not_offered", [("ru", ("Кандидат", "Партия", "Доверенное лицо",
                                                      "Регистрация")),
                                               ("kk", ("Кандидат", "Партия"))])
def test_a_referendums_complaints_register_offers_no_candidates_filters(client, lang,
                                                                        not_offered):
    e = kind_elections.referendum(regions=2)
    text = visible_text(client.get(f"/{lang}/complaints/?election={e.id}").content.decode())
    assert [w for w in not_offered if w in text] == []
    # ... nor the register of every election on a server of referendums alone ...
    every = visible_text(client.get(f"/{lang}/complaints/").content.decode())
    assert [w for w in not_offered if w in every] == []
    # ... while it does once an election stands beside it.
    kind_elections.president()
    assert all(w in visible_text(client.get(f"/{lang}/complaints/").content.decode())
               for w in not_offered)
