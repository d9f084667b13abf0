"""The early presidential election of 9 June 2019, as `sailau demo --election president-2019`
builds it: seven candidates on the 17 territorial units of the time.

Two versions of its first round:
- `decided=True` (`--first-round-decides`), as it really happened: the national shares of the
  candidates and of the invalid ballots are the Central Election Commission's final result
  (announced 10 June 2019: Kassym-Jomart Tokayev 6,539,715 votes, 70.96 %; Amirzhan Kosanov
  1,495,401; Daniya Yespayeva 465,714; Toleutai Rakhimbekov 280,451; Amangeldy Taspikhov
  182,898; Zhambyl Akhmetbekuly 167,649; Sadybek Tugel 84,582; 57,700 invalid; the rule set's
  source, `sailau.law.rulesets.sources.CEC_PRESIDENT_2019`), so the first round elects and
  there is no second round;
- `decided=False` (the default): shares drawn so that nobody has more than half of the valid
  votes (INVENTED: 46 % for the leader), so that the first round calls a second round of its
  two leaders, which the demo creates (`sailau.elections.rounds.create_second_round`) and counts
  on its own night two weeks later (`SECOND_ROUND_DATE`).

Both: each region's turnout is the one the CEC announced at the close of the polls (Kazinform,
"Voters turnout in Kazakhstan presidential election reaches 77.4% - CEC", 9 June 2019; 11,947,995
voters on the lists); stations, commissions and every station's figures are synthetic."""

from __future__ import annotations

import datetime as dt

from sailau.demo import national_contest
from sailau.demo.national_contest import Choice, Shape

ELECTION_DATE = dt.date(2019, 6, 9)
ELECTION_ID = "kz.president.2019-06-09"
# The presidential rule set of 2019 (no "against all" on the ballot: it came back in 2021).
RULESET = "kz-president-2019"
# The day a second round is proposed by default: the first Sunday at least 14 days after the
# first round, within the two months of the Constitutional Law "On Elections" (No. 2464,
# 28 September 1995), art. 63 (`sailau.law.rounds`).
SECOND_ROUND_DATE = dt.date(2019, 6, 23)
REGISTERED = 11_947_995
FULL_STATIONS = 9_968  # opened at home and abroad (Kazinform, 9 June 2019)
FULL_ABROAD = 65  # assumed: as in 2022
FULL_SPECIAL = 300
TURNOUT = {"01": 68.9, "02": 52.2, "03": 67.6, "04": 83.4, "05": 84.9, "06": 89.0, "07": 71.2,
           "08": 66.3, "09": 81.3, "10": 77.3, "11": 84.1, "12": 81.6, "13": 68.9, "14": 81.2,
           "15": 79.8, "16": 84.8, "17": 84.9}

# (key, kk, ru, en, official votes, invented share of the ballots found for a first round
#  without a majority); the ballot's order.
CANDIDATES = (
    ("tokayev", "Тоқаев Қасым-Жомарт", "Токаев Касым-Жомарт", "Kassym-Jomart Tokayev",
     6_539_715, 0.455),
    ("kosanov", "Қосанов Әміржан", "Косанов Амиржан", "Amirzhan Kosanov", 1_495_401, 0.305),
    ("yespayeva", "Еспаева Дания", "Еспаева Дания", "Daniya Yespayeva", 465_714, 0.085),
    ("rakhimbekov", "Рахимбеков Төлеутай", "Рахимбеков Толеутай", "Toleutai Rakhimbekov",
     280_451, 0.05),
    ("taspikhov", "Таспихов Амангелді", "Таспихов Амангельды", "Amangeldy Taspikhov",
     182_898, 0.035),
    ("akhmetbekuly", "Ахметбекұлы Жамбыл", "Ахметбеков Жамбыл", "Zhambyl Akhmetbekuly",
     167_649, 0.03),
    ("tugel", "Түгел Садыбек", "Тугел Садыбек", "Sadybek Tugel", 84_582, 0.02),
)
# Invalid ballots, of those found: 57,700 of 9,274,110 in the final result.
INVALID = 57_700 / 9_274_110
AGAINST_ALL = 0.01  # only while the ballot of the rule set in use has the line (assumed share)


def shape(decided: bool, against_all: bool = False) -> Shape:
    total = sum(c[4] for c in CANDIDATES)
    shares = [(1 - INVALID) * c[4] / total if decided else c[5] for c in CANDIDATES]
    choices = [Choice(k, kk, ru, en, full_name=kk) for k, kk, ru, en, *_ in CANDIDATES]
    if against_all:
        choices.append(Choice("against_all", "Барлығына қарсы", "Против всех", "Against all"))
        shares.append(AGAINST_ALL)
    shares.append(INVALID if decided else 1 - sum(shares))
    return Shape(
        election={"id": ELECTION_ID, "kind": "president", "date": ELECTION_DATE.isoformat(),
                  "name_kk": "Қазақстан Республикасы Президентінің кезектен тыс сайлауы "
                             "(синтетикалық)",
                  "name_ru": "Внеочередные выборы Президента Республики Казахстан "
                             "(синтетические)",
                  "name_en": "Early presidential election (synthetic)"},
        contest={"kind": "president", "ruleset": RULESET, "seats": 1,
                 "name_kk": "Қазақстан Республикасының Президенті",
                 "name_ru": "Президент Республики Казахстан",
                 "name_en": "President of the Republic of Kazakhstan"},
        choices=tuple(choices), shares=tuple(shares),
        turnout={code: pct / 100 for code, pct in TURNOUT.items()},
        registered=REGISTERED, full_stations=FULL_STATIONS, full_abroad=FULL_ABROAD,
        full_special=FULL_SPECIAL,
        # many commissions' members then were Nur Otan's nominees
        nominators=("Nur Otan", "Ақ жол", "Ауыл", "ҚКХП", "Қазақстан халқы Ассамблеясы",
                    "Кәсіподақтар федерациясы"))


def build(seed: int, stations: int, decided: bool = False):
    """The first round's synthetic data (`national_contest.build`); its ballot has "against
    all" when the rule set's has."""
    from sailau.law import get_ruleset

    against_all = get_ruleset(RULESET).form("president").against_all
    return national_contest.build(shape(decided, against_all), seed, stations)
