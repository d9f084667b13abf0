"""The republican referendum of 5 June 2022 on amendments and additions to the Constitution, as
`sailau demo --election referendum-2022` builds it: one question, yes or no, decided under
`kz-referendum-constitutional-2022` (valid when more than half of the voters on the lists take
part; adopted when more than half of the participants vote yes in at least 12 of the 17
regions, cities of republican significance and the capital).

Shaped on the official figures:
- nationally, the Central Referendum Commission's final result (see
  `sailau.law.outcomes.referendum`): 11,734,642 voters on the lists, 7,985,769 took part,
  6,163,516 yes, 1,490,470 no, 125,859 ballots marked both ways, 205,924 invalid;
- by region, the turnout at the close of the polls the Central Referendum Commission announced
  (Kazinform, "8,030,739 people voted in referendum in Kazakhstan - preliminary data",
  5 June 2022, 22:43).
The regions' shares of yes were not found published in a source we could read: each region's
shares are drawn around the national ones. Everything else (stations, names, commissions, each
station's figures) is synthetic."""

import datetime as dt

from sailau.demo import national_contest
from sailau.demo.national_contest import Choice, Shape

ELECTION_DATE = dt.date(2022, 6, 5)
ELECTION_ID = "kz.referendum.2022-06-05"
RULESET = "kz-referendum-constitutional-2022"
REGISTERED = 11_734_642
TOOK_PART = 7_985_769
YES, NO, BOTH, INVALID = 6_163_516, 1_490_470, 125_859, 205_924
# About 10,000 stations at home (assumed: the count the CEC gave for 2019 and 2022 is near it)
# and 65 abroad (25 had closed by 22:00 Nur-Sultan time, 40 were still voting: the same
# Kazinform report).
FULL_STATIONS = 10_065
FULL_ABROAD = 65
FULL_SPECIAL = 300
# Region code (`regions2019`) -> turnout at the close, as announced (percent).
TURNOUT = {"01": 57.06, "02": 33.30, "03": 72.53, "04": 73.81, "05": 58.06, "06": 72.83,
           "07": 67.68, "08": 69.37, "09": 69.59, "10": 77.39, "11": 72.28, "12": 79.89,
           "13": 61.19, "14": 75.53, "15": 75.49, "16": 80.66, "17": 77.49}

SHAPE = Shape(
    election={"id": ELECTION_ID, "kind": "referendum", "date": ELECTION_DATE.isoformat(),
              "name_kk": "Республикалық референдум (синтетикалық)",
              "name_ru": "Республиканский референдум (синтетический)",
              "name_en": "Republican referendum (synthetic)"},
    contest={"kind": "referendum", "ruleset": RULESET, "seats": 0,
             "name_kk": "Қазақстан Республикасының Конституциясына өзгерістер мен толықтырулар "
                        "енгізу туралы",
             "name_ru": "О внесении изменений и дополнений в Конституцию Республики Казахстан",
             "name_en": "Amendments and additions to the Constitution of the Republic of "
                        "Kazakhstan"},
    choices=(Choice("yes", "Иә", "Да", "Yes"), Choice("no", "Жоқ", "Нет", "No")),
    shares=tuple(x / TOOK_PART for x in (YES, NO, BOTH, INVALID)),
    turnout={code: pct / 100 for code, pct in TURNOUT.items()},
    registered=REGISTERED, full_stations=FULL_STATIONS, full_abroad=FULL_ABROAD,
    full_special=FULL_SPECIAL, both_marked=True,
    nominators=("AMANAT", "Ақ жол", "Ауыл", "ҚХП", "ЖСДП", "Қазақстан халқы Ассамблеясы",
                "Кәсіподақтар федерациясы"))


def build(seed: int, stations: int):
    """The referendum's synthetic data (`national_contest.build`)."""
    return national_contest.build(SHAPE, seed, stations)
