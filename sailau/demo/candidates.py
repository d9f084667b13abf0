"""Synthetic nominations and registration for the demo election, in the proportions ODIHR statement, 2023 Mazhilis
reports for 2023 (note 27 and the section on deregistrations: of 609 initial single-member
applicants 45 withdrew before registration and 125 were refused; 54 registered candidates were
deregistered, 47 of them over their tax declarations and 7 for campaigning early, 22 of those
came back, 33 withdrew; 370 stood on election day). INVENTED people and dates at those rates.

Every candidate on the demo's ballots is nominated and registered (a few after a refusal or a
deregistration a court or the higher commission overturned); beside them stand the applicants
who never reached the ballot: refused, withdrawn, deregistered. Party lists are nominated whole,
with each party's deposit band from its share in 2021 (a few of its nominees recalled before
registration). Planted for the checks to flag, though the commission registered them: two
Mazhilis candidates with too few years of residence, a maslikhat candidate under 20, one short
deposit. Two files, as a commission's work comes in: the nominations and registrations, then
the later deregistrations, withdrawals and appeals; both through the real import."""

import csv
import datetime as dt
import io
import random
from fractions import Fraction

from sailau.candidates import services
from sailau.candidates.resolve import office_of
from sailau.demo.geography import person_name
from sailau.elections.models import Candidate, Contest, Election, Party
from sailau.errors import BadInput
from sailau.law import kinds
from sailau.law import nominations as law

# Share of the vote in the Mazhilis election of 2021 (CEC's published results; parties absent
# in 2021 pay the full deposit). The demo's inputs, not a source of the law.
SHARE_2021 = {"amanat": "71.09", "akzhol": "10.95", "qhp": "9.10", "auyl": "5.29"}
# Per single-member applicant (ODIHR statement, 2023 Mazhilis): 125/609 refused, 45/609 withdrew before
# registration, 32/609 deregistered and not back, 33/609 withdrew after registration.
REFUSED, WITHDREW_EARLY, DEREGISTERED, WITHDREW_LATE = 0.205, 0.074, 0.053, 0.054
REFUSAL_REASONS = (("documents_incomplete", 50), ("no_deposit", 25), ("corruption", 12),
                   ("residence_years", 9), ("min_age", 4))
COLUMNS = law.REQUIRED + law.OPTIONAL
START, REGISTRATION_END, DAY_BEFORE = dt.date(2023, 1, 20), dt.date(2023, 2, 18), dt.date(2023, 3, 17)


def _d(day: dt.date) -> str:
    return day.isoformat()


class _File:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, record: str, key: str, date: dt.date, **cells) -> None:
        self.rows.append({"record": record, "key": key, "date": _d(date),
                          **{k: ("yes" if v is True else "no" if v is False else v)
                             for k, v in cells.items() if v is not None}})

    def text(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows)
        return buf.getvalue()


class _Demo:
    def __init__(self, election: Election, seed: int):
        self.e = election
        self.rnd = random.Random(seed)
        self.rules = services.candidacy_rules(election)
        self.first, self.later = _File(), _File()
        self.n = 0
        self.planted = {"residence": 2, "young": 1, "short_deposit": 1}

    def key(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n:04d}"

    def day(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rnd.randrange((b - a).days + 1))

    def person(self, contest: Contest, office: str, key: str, name: str, birth, woman: bool,
               party: Party | None, position=None, disability=False, nominated=None,
               ballot: str = "") -> dict:
        rnd = self.rnd
        nominated = nominated or self.day(START, REGISTRATION_END - dt.timedelta(days=8))
        share = SHARE_2021.get(party.id.rsplit(".", 1)[-1]) if party else None
        years = rnd.randint(12, 50) if office != "maslikhat" else rnd.randint(2, 40)
        if office == "mazhilis" and position is None and self.planted["residence"]:
            self.planted["residence"] -= 1  # planted: the check flags it, the body registers
            years = 9
        if office == "maslikhat" and self.planted["young"] and position is None:
            self.planted["young"] -= 1
            birth = dt.date(2003, 6, 1)  # 19 on election day
        due = self.rules.deposit(office, Fraction(share) / 100 if share else None)
        if due and self.planted["short_deposit"] and position is None:
            self.planted["short_deposit"] -= 1
            due -= 50_000
        paid = due or None
        self.first.add("nomination", key, nominated, contest=contest.id,
                       party=party.id if party else "", party_share=share or "",
                       nominated_by="party" if party else "self", full_name=name,
                       birth_date=_d(birth) if birth else "1975-01-01", residence_years=years,
                       citizen=True, woman=woman, disability=disability,
                       list_position=position or "", candidate=ballot, deposit_kzt=paid or "",
                       deposit_date=_d(nominated + dt.timedelta(days=rnd.randint(0, 4)))
                       if paid else "")
        return {"key": key, "nominated": nominated}

    def registered(self, key: str, nominated: dt.date) -> dt.date:
        on = min(nominated + dt.timedelta(days=self.rnd.randint(3, 8)), REGISTRATION_END)
        self.first.add("decision", key, on, decision="registered")
        return on


def _lists(demo: _Demo, contest: Contest) -> None:
    office = office_of(contest)
    by_party: dict[str, list[Candidate]] = {}
    for c in contest.candidates.select_related("party").order_by("party_id", "list_position"):
        by_party.setdefault(c.party_id, []).append(c)
    for pid, people in by_party.items():
        party = people[0].party
        lkey = demo.key("list")
        nominated = demo.day(START, REGISTRATION_END - dt.timedelta(days=14))
        share = SHARE_2021.get(pid.rsplit(".", 1)[-1], "")
        demo.first.add("list", lkey, nominated, contest=contest.id, party=pid, party_share=share)
        for c in people:
            k = demo.key("p")
            demo.person(contest, office, k, c.full_name, c.birth_date, c.woman, party,
                        position=c.list_position, disability=c.disability, nominated=nominated,
                        ballot=c.id)
            demo.registered(k, nominated)
        # the party recalls one or two nominees before its list is registered
        for i in range(demo.rnd.randint(0, 2)):
            k = demo.key("p")
            woman = demo.rnd.random() < 0.3
            demo.person(contest, office, k, person_name(demo.rnd, woman),
                        dt.date(demo.rnd.randint(1960, 1998), 4, 1), woman, party,
                        position=len(people) + i + 1, nominated=nominated)
            demo.first.add("decision", k, nominated + dt.timedelta(days=3),
                           decision="withdrawn", reason="party_recall")
        demo.registered(lkey, nominated)


def _single(demo: _Demo, contest: Contest) -> None:
    rnd, office = demo.rnd, office_of(contest)
    ballot = list(contest.candidates.select_related("party").order_by("id"))
    for c in ballot:
        k = demo.key("c")
        p = demo.person(contest, office, k, c.full_name, c.birth_date, c.woman, c.party,
                        ballot=c.id)
        roll = rnd.random()
        if roll < 0.03:  # refused, then registered on appeal (ODIHR statement, 2023 Mazhilis notes 29)
            on = p["nominated"] + dt.timedelta(days=4)
            demo.first.add("decision", k, on, decision="refused", reason="residence_years",
                           note="10 жыл тұру талабы тар түсіндірілді")
            demo.first.add("appeal", k, on + dt.timedelta(days=1), appeal_to="court",
                           body="Әкімшілік сот", outcome="overturned",
                           outcome_date=_d(on + dt.timedelta(days=4)))
            continue
        on = demo.registered(k, p["nominated"])
        if roll < 0.09:  # deregistered, back on the ballot (22 of 370 in 2023)
            off = demo.day(on + dt.timedelta(days=5), dt.date(2023, 3, 8))
            demo.later.add("decision", k, off, decision="deregistered",
                           reason="tax_declaration")
            demo.later.add("appeal", k, off + dt.timedelta(days=1), appeal_to="court",
                           body="Әкімшілік сот", outcome="overturned",
                           outcome_date=_d(off + dt.timedelta(days=3)))
    applicants = round(len(ballot) / (1 - REFUSED - WITHDREW_EARLY - DEREGISTERED - WITHDREW_LATE))
    for _ in range(applicants - len(ballot)):
        _off_ballot(demo, contest, office)


def _off_ballot(demo: _Demo, contest: Contest, office: str) -> None:
    """An applicant who never reached (or did not stay on) the ballot."""
    rnd = demo.rnd
    woman = rnd.random() < 0.25
    k = demo.key("c")
    total = REFUSED + WITHDREW_EARLY + DEREGISTERED + WITHDREW_LATE
    roll = rnd.random() * total
    birth = dt.date(rnd.randint(1955, 1995), rnd.randint(1, 12), 1)
    if roll < REFUSED:
        reason = rnd.choices([r for r, _ in REFUSAL_REASONS], [w for _, w in REFUSAL_REASONS])[0]
        if reason == "min_age":
            birth = dt.date(2000, 5, 1) if office == "mazhilis" else dt.date(2004, 5, 1)
        p = demo.person(contest, office, k, person_name(rnd, woman), birth, woman, None)
        on = p["nominated"] + dt.timedelta(days=rnd.randint(3, 7))
        demo.first.add("decision", k, on, decision="refused", reason=reason)
        if rnd.random() < 0.3:
            demo.first.add("appeal", k, on + dt.timedelta(days=2), appeal_to="court",
                           body="Әкімшілік сот", outcome="upheld",
                           outcome_date=_d(on + dt.timedelta(days=5)))
        return
    p = demo.person(contest, office, k, person_name(rnd, woman), birth, woman, None)
    if roll < REFUSED + WITHDREW_EARLY:
        demo.first.add("decision", k, p["nominated"] + dt.timedelta(days=2), decision="withdrawn",
                       reason="own_request")
        return
    on = demo.registered(k, p["nominated"])
    if roll < REFUSED + WITHDREW_EARLY + DEREGISTERED:
        off = demo.day(on + dt.timedelta(days=5), dt.date(2023, 3, 12))
        reason = "tax_declaration" if rnd.random() < 47 / 54 else "early_campaigning"
        demo.later.add("decision", k, off, decision="deregistered", reason=reason)
        appeal = rnd.random()
        if appeal < 0.4:
            demo.later.add("appeal", k, off + dt.timedelta(days=1), appeal_to="higher_commission",
                           outcome="upheld", outcome_date=_d(off + dt.timedelta(days=3)))
        elif appeal < 0.5:  # filed days before election day, not decided yet
            demo.later.add("appeal", k, demo.day(off, DAY_BEFORE), appeal_to="supreme_court")
        return
    demo.later.add("decision", k, demo.day(on + dt.timedelta(days=3), DAY_BEFORE),
                   decision="withdrawn", reason="own_request")


def generate(election: Election, seed: int = 2023) -> dict:
    """Import the two synthetic files; returns the counts. Nothing for an election whose rule
    sets have no candidacy requirements."""
    try:
        demo = _Demo(election, seed)
    except BadInput:
        return {"nominations": 0, "decisions": 0, "appeals": 0, "flagged": 0}
    for contest in Contest.objects.filter(election=election).exclude(kind__in=kinds.named(measure=True)) \
            .select_related("commission__parent").order_by("id"):
        if contest.contest_kind.by_list:
            _lists(demo, contest)
        else:
            _single(demo, contest)
    batches = [services.import_batch(election, f.text(), name, "demo")
               for name, f in (("nominations-2023.csv", demo.first),
                               ("deregistrations-2023.csv", demo.later)) if f.rows]
    return {"nominations": sum(b.nominations.count() for b in batches),
            "decisions": sum(b.decisions.count() for b in batches),
            "appeals": sum(b.appeals.count() for b in batches),
            "flagged": election.nominations.exclude(findings=[]).count()}
