"""Small elections of the kinds other than the Mazhilis, shaped as the CEC would import them:
the 5 June 2022 constitutional referendum (with the 14 regions and 3 cities of that day, or only
two of them) and a presidential election (the 9 June 2019 one, over the 17 + 3 territories of
2023, as a structure export of today would hold them). One station per territory, each with a
definitive protocol through the chain."""

import datetime as dt

from sailau.elections.models import Choice, Commission
from sailau.law import kinds
from tests.factories import (
    CecFactory,
    CommissionFactory,
    ContestFactory,
    DefinitiveProtocolFactory,
    ElectionFactory,
    StationFactory,
)

# (kk, ru, en) territorial commissions' places on 5 June 2022: 14 regions and 3 cities (Abai,
# Zhetisu and Ulytau were formed on 8 June 2022), in the CEC's order of that day.
TERRITORIES_2022 = (
    ("Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("Алматы облысы", "Алматинская область", "Almaty Region"),
    ("Атырау облысы", "Атырауская область", "Atyrau Region"),
    ("Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"),
    ("Жамбыл облысы", "Жамбылская область", "Jambyl Region"),
    ("Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"),
    ("Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region"),
    ("Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("Нұр-Сұлтан қаласы", "город Нур-Султан", "Nur-Sultan city"),
    ("Алматы қаласы", "город Алматы", "Almaty city"),
    ("Шымкент қаласы", "город Шымкент", "Shymkent city"),
)
# The three formed on 8 June 2022, for an election after it.
NEW_IN_2022 = (("Абай облысы", "Абайская область", "Abai Region"),
               ("Жетісу облысы", "Жетысуская область", "Jetisu Region"),
               ("Ұлытау облысы", "Улытауская область", "Ulytau Region"))
TERRITORIES_2023 = TERRITORIES_2022[:14] + NEW_IN_2022 + (
    ("Астана қаласы", "город Астана", "Astana city"),) + TERRITORIES_2022[15:]


def _territory(election, cec, n: int, names) -> Commission:
    kk, ru, en = names
    if election.kind == "referendum":  # the election commissions acting as the referendum's
        named = kinds.REFERENDUM.wording.commissions["territorial"]
        return CommissionFactory(
            election=election, parent=cec, level=Commission.TERRITORIAL, number=n,
            names={"kk": named["kk"].format(kk), "ru": named["ru"].format(ru), "en": named["en"].format(en)})
    return CommissionFactory(
        election=election, parent=cec, level=Commission.TERRITORIAL, number=n,
        names={"kk": f"{kk} аумақтық сайлау комиссиясы", "ru": f"Территориальная избирательная комиссия: {ru}", "en": f"{en} territorial election commission"})


def _stations(election, territories) -> list:
    cec = CecFactory(election=election)
    return [StationFactory(election=election, territory=_territory(election, cec, n, names),
                           registered=1000)
            for n, names in enumerate(territories, start=1)]


def referendum(regions: int = 17, yes_regions: int = 10, ruleset="kz-referendum-constitutional-2022",
               votes: tuple[int, int] = (523, 155)):
    """The 2022 constitutional referendum over the first `regions` territories of its day, "yes"
    by a majority of participants in the first `yes_regions` of them. Each station: 1000 on
    the list, 690 took part (yes + no + 9 both marked + 3 invalid); `votes`: (the majority's,
    the other's), (300, 88) for 400 taking part, too few for the referendum to be valid."""
    e = ElectionFactory(kind="referendum", date=dt.date(2022, 6, 5),
                        names={"kk": "Республикалық референдум", "ru": "Республиканский референдум", "en": "Republican referendum"})
    stations = _stations(e, TERRITORIES_2022[:regions])
    contest = ContestFactory(election=e, kind="referendum", ruleset=ruleset, seats=1,
                             choices=["yes", "no"], names={"kk": "Конституцияға өзгерістер", "ru": "Изменения в Конституцию", "en": "Amendments to the Constitution"})
    Choice.objects.filter(contest=contest, key="yes").update(names={"kk": "Иә", "ru": "Да", "en": "Yes"})
    Choice.objects.filter(contest=contest, key="no").update(names={"kk": "Жоқ", "ru": "Нет", "en": "No"})
    for i, s in enumerate(stations):
        yes, no = votes if i < yes_regions else votes[::-1]
        DefinitiveProtocolFactory(station=s, contest=contest,
                                  figures=_referendum_figures(yes + no + 12),
                                  choices={"yes": yes, "no": no})
    return e


def _referendum_figures(found: int) -> dict:
    return {"voters_on_list": 1000, "ballots_received": 1000, "issued_in_room": found,
            "issued_mobile": 0, "issued_absentee": 0, "cancelled": 1000 - found, "lost": 0,
            "found_stationary": found, "found_mobile": 0, "mobile_requests": 0,
            "invalid": 3, "both_marked": 9}


def president():
    """A presidential election over the 20 territories of 2023: three candidates and "against
    all" (the 2022 rule set's form has it), the first elected by a majority."""
    e = ElectionFactory(kind="president", date=dt.date(2019, 6, 9),
                        names={"kk": "Президент сайлауы", "ru": "Выборы Президента", "en": "Presidential election"})
    stations = _stations(e, TERRITORIES_2023)
    contest = ContestFactory(election=e, kind="president", ruleset="kz-president-2022", seats=1,
                             choices=["tokayev", "kosanov", "taszhurekova"],
                             names={"kk": "Қазақстан Республикасының Президенті", "ru": "Президент Республики Казахстан", "en": "President of the Republic of Kazakhstan"})
    for key, kk, ru, en in (("tokayev", "Тоқаев Қ.-Ж. К.", "Токаев К.-Ж. К.", "Tokayev K.-J. K."),
                            ("kosanov", "Қосанов А. А.", "Косанов А. А.", "Kosanov A. A."),
                            ("taszhurekova", "Тасжүрекова Д. О.", "Тасжурекова Д. О.",
                             "Taszhurekova D. O.")):
        Choice.objects.filter(contest=contest, key=key).update(names={"kk": kk, "ru": ru, "en": en})
    Choice.objects.filter(contest=contest, key="against_all").update(
        names={"kk": "Бәріне қарсы", "ru": "Против всех", "en": "Against all"})
    for s in stations:  # 600 ballots of 1000 on the list: these 594, and 6 invalid
        DefinitiveProtocolFactory(station=s, contest=contest, choices={
            "tokayev": 420, "kosanov": 100, "taszhurekova": 60, "against_all": 14})
    return e
