"""Synthetic campaign fund reports for the demo election (the 2023 parties and some of the
single-member candidates). The figures are INVENTED, at plausible scales (parties tens to
hundreds of millions of tenge, candidates a few million), and imported through the real
service (all-or-nothing, checks, audit record), one report for the parties and one for the
candidates. A few limits are broken on purpose so that the checks have something to flag:
an individual over 7 million in two transfers, an organisation over 35 million, a foreign
donation, an anonymous one, a candidate's own funds over 14 million."""

import csv
import datetime as dt
import io
import random

from sailau.elections.models import Candidate, Election, Party
from sailau.errors import BadInput
from sailau.finance import services
from sailau.law import kinds
from sailau.law.finance_check import COLUMNS
from sailau.register.names import feminine

# First names with whether a woman bears them: the surname takes her form (Жұмабаева).
FIRST = [("Ерлан", False), ("Айгүл", True), ("Нұрлан", False), ("Сәуле", True),
         ("Бауыржан", False), ("Гүлнар", True), ("Асхат", False), ("Динара", True),
         ("Марат", False), ("Жанар", True), ("Ринат", False), ("Алия", True), ("Серік", False),
         ("Мадина", True), ("Тимур", False), ("Анна", True), ("Сергей", False), ("Ольга", True)]
LAST = ["Сейтқали", "Жұмабаев", "Омаров", "Ахметов", "Исаев", "Нұрланов", "Беков", "Ким",
        "Иванов", "Смағұлов", "Тоқтаров", "Әлиев", "Петренко", "Қасымов"]
FIRMS = ["«Дала Құрылыс» ЖШС", "«Алтын Астық» АҚ", "«Шығыс Энерго» ЖШС", "«Сарыарқа Транс» ЖШС",
         "«Каспий Сервис» ЖШС", "«Жетісу Агро» ЖШС", "«Номад Медиа» ЖШС", "«Тұран Логистика» АҚ"]
SUPPLIERS = {"media": ["«Дала ТВ» ЖШС", "«Ел Радио» ЖШС"], "print": ["«Баспа Үйі» ЖШС"],
             "outdoor": ["«Билборд Қазақстан» ЖШС"], "events": ["«Той Ивент» ЖШС"],
             "premises": ["«Орталық Офис» ЖШС"], "transport": ["«Жол Сапар» ЖШС"],
             "staff": ["штат"], "communications": ["«Байланыс Плюс» АҚ"]}
# Own funds of each party in millions, roughly by size (invented); the order of PARTIES in
# sailau.demo.synthetic.
PARTY_OWN = {"amanat": 320, "akzhol": 95, "auyl": 110, "qhp": 80, "jsdp": 45, "baytaq": 25,
             "respublica": 140}
START, END = dt.date(2023, 2, 18), dt.date(2023, 3, 17)
CANDIDATES = 12  # single-member candidates with a fund in the demo


def _day(rnd: random.Random) -> str:
    return (START + dt.timedelta(days=rnd.randrange((END - START).days + 1))).isoformat()


def _person(rnd: random.Random) -> str:
    last = rnd.choice(LAST)
    first, woman = rnd.choice(FIRST)
    return f"{feminine(last) if woman else last} {first}"


def _spend(rnd, out, recipient, kind, budget: int) -> None:
    weights = {"media": 40, "print": 15, "outdoor": 15, "events": 10, "premises": 5,
               "transport": 5, "staff": 7, "communications": 3}
    for cat, w in weights.items():
        amount = budget * w // 100
        parts = rnd.randint(1, 3)
        for i in range(parts):
            piece = amount // parts if i < parts - 1 else amount - amount // parts * (parts - 1)
            if piece > 0:
                out.append([recipient, kind, "spending", cat, rnd.choice(SUPPLIERS[cat]), piece,
                            _day(rnd)])


def party_rows(parties: list[Party], rnd: random.Random) -> list[list]:
    rows: list[list] = []
    for p in parties:
        key = p.id.rsplit(".", 1)[-1]
        name, own = p.short, PARTY_OWN.get(key, 30) * 1_000_000
        rows.append([name, "party", "income", "own", "", own // 2, START.isoformat()])
        rows.append([name, "party", "income", "own", "", own - own // 2, _day(rnd)])
        income = own
        for _ in range(rnd.randint(4, 9)):
            amount = rnd.randrange(200, 6_500) * 1_000
            rows.append([name, "party", "income", "individual", _person(rnd), amount, _day(rnd)])
            income += amount
        for firm in rnd.sample(FIRMS, rnd.randint(2, 4)):
            amount = rnd.randrange(2_000, 30_000) * 1_000
            rows.append([name, "party", "income", "organisation", firm, amount, _day(rnd)])
            income += amount
        _spend(rnd, rows, name, "party", income * rnd.randint(80, 97) // 100)
    by_key = {p.id.rsplit(".", 1)[-1]: p.short for p in parties}
    # The limits broken on purpose (findings the checks must flag):
    if "akzhol" in by_key:  # one donor over 7 million in two transfers
        rows += [[by_key["akzhol"], "party", "income", "individual", "Серікбаев Ерлан", 4_500_000,
                  "2023-02-22"],
                 [by_key["akzhol"], "party", "income", "individual", "Серікбаев  Ерлан",
                  3_000_000, "2023-03-06"]]
    if "respublica" in by_key:  # one organisation over 35 million
        rows.append([by_key["respublica"], "party", "income", "organisation",
                     "«Мега Инвест Групп» АҚ", 36_000_000, "2023-03-01"])
    if "baytaq" in by_key:  # a foreign donation
        rows.append([by_key["baytaq"], "party", "income", "foreign", "Шетелдік «Жасыл болашақ» қоры",
                     2_000_000, "2023-03-03"])
    if "qhp" in by_key:  # an anonymous one
        rows.append([by_key["qhp"], "party", "income", "anonymous", "", 500_000, "2023-03-10"])
    return rows


def candidate_rows(candidates: list[Candidate], rnd: random.Random) -> list[list]:
    rows: list[list] = []
    for i, c in enumerate(candidates):
        own = 14_500_000 if i == 0 else rnd.randrange(500, 9_000) * 1_000  # the first: over 14 M
        rows.append([c.id, "candidate", "income", "own", "", own, _day(rnd)])
        income = own
        for _ in range(rnd.randint(0, 4)):
            amount = rnd.randrange(100, 2_000) * 1_000
            rows.append([c.id, "candidate", "income", "individual", _person(rnd), amount,
                         _day(rnd)])
            income += amount
        if c.party_id:
            amount = rnd.randrange(1_000, 5_000) * 1_000
            rows.append([c.id, "candidate", "income", "party", c.party.short, amount, _day(rnd)])
            income += amount
        _spend(rnd, rows, c.id, "candidate", income * rnd.randint(70, 99) // 100)
    return rows


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    return buf.getvalue()


def generate(election: Election, seed: int = 2023) -> dict:
    """Import the two synthetic reports; returns the counts. Does nothing for an election whose
    rule sets have no finance limits."""
    try:
        services.finance_rules(election)
    except BadInput:
        return {"reports": 0, "rows": 0, "findings": 0}
    rnd = random.Random(seed)
    parties = list(Party.objects.filter(election=election).order_by("registration_order", "id"))
    candidates = list(Candidate.objects.filter(contest__election=election,
                                               contest__kind__in=kinds.named(district=True))
                      .select_related("party").order_by("id")[:CANDIDATES])
    reports = []
    for name, rows in (("parties-2023.csv", party_rows(parties, rnd)),
                       ("candidates-2023.csv", candidate_rows(candidates, rnd))):
        if rows:
            reports.append(services.import_report(election, _csv(rows), name, "demo"))
    return {"reports": len(reports), "rows": sum(r.rows for r in reports),
            "findings": election.finance_findings.count()}
