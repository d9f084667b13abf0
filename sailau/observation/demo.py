"""Observation of the demo election: organisations (one refused, with reasons; one still
pending), observers deployed to a stratified PVT sample of about a tenth of the stations, their
checklists, incidents, counts of voters and certified copies of the list protocol.

The copy an observer carries home is the paper the precinct commission signed: the official
protocol, except where the demo's ground truth says the figures were rewritten upstream; there
the copy has the signed figures, and the comparison shows the discrepancy. The frequencies of
problems follow the ODIHR statement on the 2023 Mazhilis election (count assessed negatively in
58 of 128 stations; voters on the list not announced in 65, signatures not counted in 67,
...). All names are invented. Rows are bulk-inserted: a few seconds at full scale."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid as uuidlib

from django.db import transaction
from django.utils import timezone

from sailau import audit
from sailau.accounts.models import Role
from sailau.accounts.services import forget_roles
from sailau.elections.models import Commission, Election, Party, spelled
from sailau.law import figures
from sailau.law import kinds as contest_kinds
from sailau.observation import checklists, pvt
from sailau.observation import models as m
from sailau.paths import demo_ground_truth
from sailau.protocols.models import Protocol
from sailau.register.names import feminine

BATCH = 2000
# Share of observed stations where the answer is the problem, out of 128 (ODIHR 2023).
COUNT_PROBLEMS = {"voters_on_list_announced": 65, "signatures_counted": 67,
                  "choice_announced": 91, "counted_before_sorting": 99,
                  "more_ballots_than_voters": 12, "protocol_presigned": 8, "protocol_in_ink": 24,
                  "figures_announced": 55, "copy_posted": 42, "unused_cancelled": 30,
                  "copy_to_observers": 20, "observers_see_ballots": 38,
                  "unauthorised_persons": 15}
COUNT_NEGATIVE = 58 / 128
OPENING_NEGATIVE, VOTING_NEGATIVE = 0.05, 0.07
INCIDENT_SHARE = 0.08
# Observers who report their count of voters at the close (the others left or were removed
# before it), and the share of voters a counting observer misses: demo assumptions.
VOTER_COUNT_SHARE = 0.8
COUNT_MISSED = 0.005
INCIDENT_WEIGHTS = {"obstruction": 14, "removed": 3, "documents_refused": 10, "copy_refused": 6,
                    "view_restricted": 12, "unauthorised_persons": 9, "ballot_stuffing": 4,
                    "multiple_voting": 8, "pressure": 6, "other": 8}
INCIDENT_TEXTS = {
    "obstruction": "Наблюдателя не подпустили ближе 10 метров к столу подсчёта.",
    "removed": "Бақылаушыны полиция учаскеден шығарып жіберді.",
    "documents_refused": "Отказано в ознакомлении со списком избирателей.",
    "copy_refused": "Председатель отказался выдать заверенную копию протокола.",
    "view_restricted": "Бюллетени при подсчёте не показывались наблюдателям.",
    "unauthorised_persons": "В помещении находились сотрудники акимата, дававшие указания членам комиссии.",
    "ballot_stuffing": "Видели, как в урну опустили пачку сложенных бюллетеней.",
    "multiple_voting": "Бір адам бірнеше бюллетень алды.",
    "pressure": "Работникам бюджетной организации велели сфотографировать бюллетень.",
    "other": "Учаске 20 минут кеш ашылды.",
}
ORGS = [
    # (kind, kk, ru, en, territory index or None, decision)
    ("citizen", "«Ашық сайлау» қоғамдық қоры", "Общественный фонд «Открытые выборы»",
     "Open Elections public foundation", None, "granted"),
    ("citizen", "«Адал санақ» бақылаушылар желісі", "Сеть наблюдателей «Честный подсчёт»",
     "Honest Count observers' network", None, "granted"),
    ("international", "Халықаралық байқау миссиясы", "Международная миссия наблюдения",
     "International observation mission", None, "granted"),
    ("media", "«Дала ақпарат» басылымы", "Издание «Дала информ»", "Dala Inform outlet", None,
     "granted"),
    ("citizen", "«Азамат бақылауы» өңірлік бірлестігі",
     "Региональное объединение «Гражданский контроль»", "Civic Watch regional association", 0,
     "granted"),
    ("citizen", "«Жаңа дауыс» жастар қозғалысы", "Молодёжное движение «Новый голос»",
     "New Voice youth movement", None, "refused"),
    ("citizen", "«Сенім» қауымдастығы", "Ассоциация «Сенім»", "Senim association", 1, "pending"),
]
REFUSAL = ("Өтініш сайлауға 5 күн қалғанда берілді; Заңның 20-1-бабы бойынша мерзім өтіп кетті. / "
           "Заявление подано за 5 дней до выборов, после срока, установленного статьёй 20-1 "
           "Закона.")
# First names with whether a woman bears them: the surname takes her form (Сейітова).
NAMES = [("Айгүл", True), ("Ержан", False), ("Динара", True), ("Асхат", False), ("Мадина", True),
         ("Нұрлан", False), ("Жанар", True), ("Бауыржан", False), ("Әсем", True),
         ("Серік", False), ("Гүлнар", True), ("Тимур", False), ("Светлана", True),
         ("Алексей", False), ("Ольга", True), ("Дамир", False)]
SURNAMES = ["Ахметов", "Сейітов", "Омаров", "Жақсыбеков", "Исаев", "Касымов", "Нұрланов",
            "Петров", "Ким", "Тулегенов", "Смагулов", "Абенов"]
# A referendum's refusal and the incidents that name voters, in its words (its lists are of
# citizens; the application came days before the referendum, not the election).
REFERENDUM_REFUSAL = (
    "Өтініш референдумға 5 күн қалғанда берілді; Заңның 20-1-бабы бойынша мерзім өтіп кетті. / "
    "Заявление подано за 5 дней до референдума, после срока, установленного статьёй 20-1 "
    "Закона.")
REFERENDUM_INCIDENT_TEXTS = {"documents_refused": "Отказано в ознакомлении со списком граждан."}


def _person(rnd: random.Random) -> str:
    first, woman = rnd.choice(NAMES)
    last = rnd.choice(SURNAMES)
    return f"{first} {feminine(last) if woman else last}"


def _demo_badge(taken: set[str]) -> str:
    """A demo observer's badge number: D and 12 random digits. Not from the seed or a counter:
    a badge is what a commission checks on the public check page and what an observer's
    account is named after, so a sequence let anyone walk every observer's badge."""
    while (badge := f"D{secrets.randbelow(10**12):012d}") in taken:
        pass
    taken.add(badge)
    return badge


def _wipe(election: Election) -> None:
    # A rebuilt demo replaces its observation data; the audit log keeps the record.
    m.PvtSample.objects.filter(election=election).delete()
    # their observers' and managers' roles go with them: revoked first, each with its leaf
    forget_roles(Role.objects.filter(organisation__election=election), "demo")
    m.Organisation.objects.filter(election=election).delete()


@transaction.atomic
def generate(election: Election, seed: int = 2023, share: float = 0.10,
             truth: dict | None = None, closing: dt.datetime | None = None) -> dict:
    """Observation data for `election` (its protocols must be loaded). `truth` is the demo's
    ground truth by station (read from SAILAU_DATA_DIR/demo/ground_truth.json when not given).
    `closing`: when the polls closed, the demo's replayed night (`sailau.demo.chain.Night`);
    the observers' day is placed around it (default: 20:00 on the election's date).
    Returns counts."""
    rnd = random.Random(seed)
    _wipe(election)
    truth = demo_ground_truth() if truth is None else truth
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    territories = list(Commission.objects.filter(election=election, level=Commission.TERRITORIAL)
                       .order_by("number"))
    # The national contest: observers' copies and the PVT follow the CEC's party list, not the
    # first list by id (a maslikhat's list is a party list too).
    national = election.contests.filter(commission=cec)
    contest = national.filter(kind__in=contest_kinds.named(by_list=True)).first() or national.first()
    day = election.date
    tz = timezone.get_current_timezone()
    # A referendum's observers write of its lists of citizens and of the referendum.
    words = election.wording()
    referendum = words is not None and words.referendum
    texts = {**INCIDENT_TEXTS, **(REFERENDUM_INCIDENT_TEXTS if referendum else {})}

    closing = closing or dt.datetime.combine(day, dt.time(20, 0), tzinfo=tz)

    def at(hour: int, minute: int = 0) -> dt.datetime:
        """`hour:minute` of the polling day whose polls closed at 20:00, at `closing`."""
        return closing + dt.timedelta(hours=hour - 20, minutes=minute)

    # Organisations and decisions: the CEC for national ones, the territorial commission else.
    orgs, decisions = [], []
    for i, (kind, kk, ru, en, terr, decision) in enumerate(ORGS):
        org = m.Organisation.objects.create(
            election=election, kind=kind, names=spelled(kk=kk, ru=ru, en=en),
            territory=territories[terr] if terr is not None and territories else None)
        orgs.append((org, decision))
    for p in Party.objects.filter(election=election):
        org = m.Organisation.objects.create(
            election=election, kind=m.Organisation.PARTY,
            names=dict(p.names))
        orgs.append((org, "granted"))
    for n, (org, decision) in enumerate(orgs, start=1):
        applied = day - dt.timedelta(days=rnd.randint(20, 45) if decision != "refused" else 5)
        acc = m.Accreditation(organisation=org, commission=org.territory or cec, applied_on=applied)
        if decision != "pending":
            acc.status = decision
            acc.decision_number = f"{n}/{day.year}"
            acc.decision_date = applied + dt.timedelta(days=rnd.randint(1, 4))
            acc.decided_by = "demo"
            acc.reasons = "" if decision != "refused" else (
                REFERENDUM_REFUSAL if referendum else REFUSAL)
        decisions.append(acc)
    m.Accreditation.objects.bulk_create(decisions)
    working = [o for o, d in orgs if d == "granted"]
    national = [o for o in working if o.territory_id is None]

    # The PVT sample is where observers go (stratified by territory × urban/rural).
    frame = list(election.stations.values_list("id", "territory_id", "urban", "number"))
    size = max(2 * 2, round(share * len(frame)))
    sample = pvt.draw_sample(None, contest.id, size, m.PvtSample.STRATIFIED, seed)
    sample.drawn_by = "demo"
    sample.save(update_fields=["drawn_by"])
    chosen = list(sample.stations.values_list("station_id", flat=True))
    info = {sid: (terr, urban, num) for sid, terr, urban, num in frame}

    observers, badges = [], set()
    for k, sid in enumerate(chosen):
        terr = info[sid][0]
        regional = [o for o in working if o.territory_id == terr]
        org = rnd.choice(regional + national[:2] if regional else national[:3])
        kind = {"international": m.Observer.INTERNATIONAL, "media": m.Observer.MEDIA,
                "party": m.Observer.PARTY_PROXY}.get(org.kind, m.Observer.CITIZEN)
        observers.append(m.Observer(organisation=org, kind=kind, badge=_demo_badge(badges),
                                    full_name=_person(rnd)))
    m.Observer.objects.bulk_create(observers, batch_size=BATCH)
    by_badge = dict(m.Observer.objects.filter(organisation__election=election)
                    .values_list("badge", "id"))
    obs_of = {sid: by_badge[o.badge] for sid, o in zip(chosen, observers)}
    m.Deployment.objects.bulk_create([m.Deployment(observer_id=obs_of[s], station_id=s)
                                      for s in chosen], batch_size=BATCH)

    official = {sid: (fig, ch) for sid, fig, ch in Protocol.objects.current().filter(
        contest=contest, station_id__in=chosen)
        .values_list("station_id", "figures", "choices")}
    subs, incidents, counts, copies = [], [], [], []
    version = checklists.current_version()
    count_items = [i["key"] for i in checklists.items("counting", version) if i["type"] == "yes_no"]
    problem = {i["key"]: i["negative"] for i in checklists.items("counting", version)
               if i["type"] == "yes_no"}

    def uid() -> uuidlib.UUID:
        return uuidlib.UUID(int=rnd.getrandbits(128), version=4)

    for sid in chosen:
        oid = obs_of[sid]
        kinds = set((truth.get(sid) or {}).get("kinds", []))
        falsified = bool(kinds)
        # opening and voting: mostly fine
        for stage, p_neg, hour in (("opening", OPENING_NEGATIVE, 7), ("voting", VOTING_NEGATIVE, 13)):
            neg = rnd.random() < (p_neg * (4 if falsified else 1))
            answers = {i["key"]: (i["negative"] if neg and rnd.random() < 0.4 else
                                  ("yes" if i["negative"] == "no" else "no"))
                       for i in checklists.items(stage, version) if i["type"] == "yes_no"}
            answers["overall"] = rnd.choice(["bad", "very_bad"]) if neg else rnd.choice(
                ["good", "very_good", "good"])
            subs.append(m.ChecklistSubmission(
                uuid=uid(), observer_id=oid, station_id=sid, stage=stage, form_version=version,
                answers=answers, negative=checklists.is_negative(answers),
                observed_at=at(hour, rnd.randint(0, 59))))
        # counting: problems more often where the results were falsified
        neg = rnd.random() < (0.85 if "ballot_stuffing" in kinds or "turnout_100" in kinds
                              else COUNT_NEGATIVE)
        answers = {}
        for key in count_items:
            base = COUNT_PROBLEMS.get(key, 10) / 128
            p = min(0.97, base * (1.5 if neg else 0.45))
            if key == "more_ballots_than_voters" and "ballot_stuffing" in kinds:
                p = 0.6
            good = "yes" if problem[key] == "no" else "no"
            answers[key] = problem[key] if rnd.random() < p else good
        answers["overall"] = rnd.choice(["bad", "very_bad"]) if neg else rnd.choice(
            ["good", "very_good"])
        subs.append(m.ChecklistSubmission(
            uuid=uid(), observer_id=oid, station_id=sid, stage="counting", form_version=version,
            answers=answers, negative=bool(neg), observed_at=at(22, rnd.randint(0, 59))))
        # incidents
        if rnd.random() < (0.5 if falsified else INCIDENT_SHARE):
            kind = ("ballot_stuffing" if "ballot_stuffing" in kinds and rnd.random() < 0.5 else
                    rnd.choices(list(INCIDENT_WEIGHTS), weights=list(INCIDENT_WEIGHTS.values()))[0])
            incidents.append(m.Incident(uuid=uid(), observer_id=oid, station_id=sid, kind=kind,
                                        occurred_at=at(rnd.randint(8, 23), rnd.randint(0, 59)),
                                        description=texts[kind]))
        if sid not in official:
            continue
        fig, ch = official[sid]
        issued = figures.issued(fig)
        # Counts of voters through the day: the voters the observer saw receive a ballot, at
        # 8:00, 14:00 and the close. Ballots added to the box went past no voter, so at a
        # stuffed station the count falls short of the official ballots issued by the ballots
        # added (the ground truth's `ballots_added`); everywhere the observer also misses a
        # few voters (about 0.5 %). Some observers leave or are removed before the close and
        # report no count (`VOTER_COUNT_SHARE`).
        if rnd.random() < VOTER_COUNT_SHARE:
            seen = issued - int((truth.get(sid) or {}).get("ballots_added", 0))
            seen -= rnd.binomialvariate(max(seen, 0), COUNT_MISSED)
            seen = max(seen, 0)
            for moment, hour, part in (("arrival", 8, 0.0), ("during", 14, 0.55),
                                       ("departure", 20, 1.0)):
                counts.append(m.VoterCount(uuid=uid(), observer_id=oid, station_id=sid,
                                           moment=moment, at=at(hour, 0),
                                           voters=int(seen * part)))
        # The certified copy: the paper the commission signed.
        paper = (truth.get(sid) or {}).get("paper") or {}
        copies.append(m.ObserverCopy(uuid=uid(), observer_id=oid, station_id=sid,
                                     contest=contest, figures=paper.get("figures", fig),
                                     choices=paper.get("choices", ch)))
    m.ChecklistSubmission.objects.bulk_create(subs, batch_size=BATCH)
    m.Incident.objects.bulk_create(incidents, batch_size=BATCH)
    m.VoterCount.objects.bulk_create(counts, batch_size=BATCH)
    m.ObserverCopy.objects.bulk_create(copies, batch_size=BATCH)
    audit.append("demo", "observation.demo_generated", election.id,
                 {"seed": seed, "sample": sample.pk, "stations": len(chosen),
                  "checklists": len(subs), "incidents": len(incidents), "copies": len(copies)})
    different = sum(1 for c in copies
                    if c.figures != official[c.station_id][0] or c.choices != official[c.station_id][1])
    return {"organisations": len(orgs), "observers": len(observers), "deployed": len(chosen),
            "sample": sample.pk, "checklists": len(subs), "incidents": len(incidents),
            "counts": len(counts), "copies": len(copies), "copies_different": different}
