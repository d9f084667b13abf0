"""A realistic synthetic set of complaints for the demo election: topics and bodies in the
proportions the ODIHR reports suggest (most complaints go to commissions, about half are
answered; voter lists, counting and the campaign dominate), some appeals up the chain, and a
few decisions cancelling a station's result (recorded as the decision's effect; the protocols
themselves are not changed here). All names are invented."""

import datetime as dt
import random

from django.utils import timezone

from sailau import clock
from sailau.complaints import models as m
from sailau.complaints import services
from sailau.law import kinds
from sailau.register.names import feminine

TOPIC_WEIGHTS = {"voter_lists": 20, "observers_rights": 12, "counting": 18, "tabulation": 9,
                 "campaign": 16, "registration": 10, "media": 5, "other": 10}
FILER_WEIGHTS = {"voter": 35, "observer": 22, "observer_org": 8, "proxy": 12, "candidate": 13,
                 "party": 10}
BODY_WEIGHTS = {"commission": 48, "higher_commission": 18, "admin_court": 14,
                "supreme_court": 4, "constitutional_court": 1, "prosecutor": 15}
OUTCOME_WEIGHTS = {m.REJECTED: 48, m.NOT_CONSIDERED: 24, m.PARTLY: 13, m.UPHELD: 15}

TEXTS = {
    "voter_lists": ["Менің атым №{st} учаскенің сайлаушылар тізімінде жоқ, бірақ мен осы мекенжайда тұрамын.",
                    "В списке избирателей участка №{st} значатся лица, давно выбывшие с адреса.",
                    "На участке №{st} в день голосования в список дописано {n} избирателей без документов."],
    "observers_rights": ["Наблюдателя не допустили в помещение участка №{st} до начала подсчёта.",
                         "Бақылаушыны №{st} учаскеде дауыстарды санау кезінде 10 метрден жақын жібермеді.",
                         "Наблюдателю отказали в заверенной копии протокола участка №{st}."],
    "counting": ["На участке №{st} бюллетени не оглашались по одному при подсчёте.",
                 "На участке №{st} число бюллетеней в урне превышает число выданных на {n}.",
                 "№{st} учаскеде хаттама қарындашпен толтырылды, сандар жарияланбады."],
    "tabulation": ["Данные протокола участка №{st} в сводной таблице ТИК отличаются от копии наблюдателя.",
                   "Протокол участка №{st} изменён без решения комиссии."],
    "campaign": ["Использование административного ресурса в агитации: собрание работников бюджетной организации.",
                 "Агитационные материалы без выходных данных распространены у участка №{st}.",
                 "Үгіт материалдары рұқсат етілмеген орында ілінген."],
    "registration": ["Отказ в регистрации кандидата по требованию о 10-летнем проживании.",
                     "Кандидат снят с регистрации из-за расхождений в налоговой декларации."],
    "media": ["Государственный телеканал не предоставил равное эфирное время.",
              "Публикация результатов опроса в день тишины."],
    "other": ["Участок №{st} не приспособлен для избирателей с инвалидностью.",
              "Голосование на дому на участке №{st} без письменных заявлений."],
}
DECISION_TEXTS = {
    m.UPHELD: "Доводы жалобы подтвердились; комиссия приняла меры.",
    m.PARTLY: "Доводы подтвердились частично; нарушения не повлияли на итоги.",
    m.REJECTED: "Доводы жалобы не подтвердились в ходе проверки.",
    m.NOT_CONSIDERED: "Жалоба оставлена без рассмотрения.",
}
# First names with whether a woman bears them; surnames in the masculine form, which a woman's
# name takes in hers (Асхат Иванов, Айгүл Иванова; Нұрлан Серікұлы, Мадина Серікқызы).
FIRST = [("Айгүл", True), ("Ержан", False), ("Мадина", True), ("Нұрлан", False),
         ("Светлана", True), ("Асхат", False), ("Дина", True), ("Бауыржан", False),
         ("Ольга", True), ("Қайрат", False)]
LAST = ["Ахметов", "Серікбаев", "Иванов", "Жұмабеков", "Ким", "Серікұлы", "Мұқанов", "Петров"]
OBSERVER_ORGS = ["Ашық сайлау (демо)", "Гражданский контроль (демо)", "Сайлау бақылау орталығы (демо)"]


def _person(rng: random.Random) -> str:
    first, woman = rng.choice(FIRST)
    last = rng.choice(LAST)
    return f"{first} {feminine(last) if woman else last}"


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(election, seed: int = 0, n: int = 300,
             closing: dt.datetime | None = None) -> list[m.Complaint]:
    """About `n` complaints about `election`, filed through `services` (so every deadline is the
    law's), about half decided, some appealed, a few cancelling a station's result.

    Complaints up to election day are on the election's calendar (the law's terms read its
    date). With `closing`, when the polls closed on the demo's replayed night (`sailau.demo.chain
    .Night`), those after the vote are filed between then and now, about the count that night
    carries; without it, in the days after the election's date. None is filed in the future."""
    rng = random.Random(seed)
    stations = list(election.stations.select_related("district", "territory"))
    # A referendum has no candidates, parties or their proxies: nobody registers, files or is
    # complained about as one.
    measure = not election.contests.exclude(kind__in=kinds.named(measure=True)).exists()
    topics = {k: w for k, w in TOPIC_WEIGHTS.items() if not (measure and k == "registration")}
    filers = {k: w for k, w in FILER_WEIGHTS.items()
              if not (measure and k in ("candidate", "party", "proxy"))}
    against_kinds = ["official", "other"] if measure else ["official", "candidate", "party",
                                                           "other"]
    parties = [p.name() for p in election.parties.all()] or ["Демо партиясы"]
    candidates = list(election.contests.filter(kind__in=kinds.named(district=True)).values_list(
        "candidates__full_name", flat=True)[:200]) or ["Демо Кандидат"]
    now = clock.now()
    today = timezone.localdate(now)
    made: list[m.Complaint] = []
    cancelled = 0
    for i in range(n):
        topic = _pick(rng, topics)
        kind = _pick(rng, filers)
        if topic == "observers_rights":
            kind = rng.choice(["observer", "observer", "observer_org"]
                              + ([] if measure else ["proxy"]))
        body = _pick(rng, BODY_WEIGHTS)
        st = rng.choice(stations) if stations else None
        name = {"party": rng.choice(parties), "candidate": rng.choice(candidates),
                "observer_org": rng.choice(OBSERVER_ORGS)}.get(
            kind, _person(rng))
        offset = int(rng.triangular(-45, 12, 0))  # most complaints come near election day
        filed_on = min(election.date + dt.timedelta(days=offset), today)
        filed_at = min(now, timezone.make_aware(dt.datetime.combine(
            filed_on, dt.time(rng.randint(8, 21), rng.randint(0, 59)))))
        if offset > 0 and closing is not None:
            filed_at = closing + (now - closing) * rng.random()
            filed_on = timezone.localtime(filed_at).date()
        against_kind = "commission" if topic in ("voter_lists", "observers_rights", "counting",
                                                 "tabulation", "registration") else \
            rng.choice(against_kinds)
        against = (st.commission.name() if st and against_kind == "commission"
                   else rng.choice(candidates) if against_kind == "candidate"
                   else rng.choice(parties) if against_kind == "party"
                   # an official, by name: a name reads the same on every page
                   else _person(rng))
        text = rng.choice(TEXTS[topic]).format(st=st.number if st else "", n=rng.randint(3, 60))
        data = {"election": election.id, "filer_kind": kind, "filer_name": name,
                "filer_contact": f"+7 70{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "against_kind": against_kind, "against_name": against, "topic": topic,
                "text": text, "body": body, "filed_at": filed_at,
                "station": st.number if st and topic not in ("campaign", "media", "registration")
                else None,
                "body_commission": (st.district_id if body == "higher_commission" else
                                    st.commission_id) if st and body in ("commission",
                                                                         "higher_commission") else None,
                "event_date": filed_on - dt.timedelta(days=rng.choice([0, 0, 1, 2, 4, 8, 12]))
                if rng.random() < 0.6 else None}
        c, _ = services.file_complaint(data)
        made.append(c)
        if rng.random() < 0.55 and c.due_date <= today + dt.timedelta(days=5):
            cancelled += _decide(rng, c, today, allow_cancel=cancelled < 4)
    # Appeals: some decisions are contested with the higher commission or in court.
    for c in [c for c in made if c.decided and c.decision.outcome != m.UPHELD][: n // 12]:
        dec = c.decision
        body = "higher_commission" if c.body == "commission" else "admin_court" \
            if c.body == "higher_commission" else "supreme_court"
        filed_on = min(dec.decided_on + dt.timedelta(days=rng.choice([1, 3, 7, 12])), today)
        at_eleven = timezone.make_aware(dt.datetime.combine(filed_on, dt.time(11, 0)))
        filed_at = min(now, max(at_eleven, c.filed_at + dt.timedelta(hours=1)))
        appeal, _ = services.file_complaint({
            "election": election.id, "filer_kind": c.filer_kind, "filer_name": c.filer_name,
            "against_kind": "commission", "against_name": c.against_name, "topic": c.topic,
            "text": f"Обжалую решение по жалобе {c.receipt}: {dec.get_outcome_display()}.",
            "body": body, "contests": c.receipt,
            "station": c.station.number if c.station_id else None,
            "filed_at": filed_at})
        made.append(appeal)
        if rng.random() < 0.6 and appeal.due_date <= today:
            _decide(rng, appeal, today, allow_cancel=False)
    return made


def _decide(rng: random.Random, c: m.Complaint, today: dt.date, allow_cancel: bool) -> int:
    outcome = _pick(rng, OUTCOME_WEIGHTS)
    effect, protocol = m.NO_EFFECT, None
    cancel = (allow_cancel and c.station_id and c.topic in ("counting", "tabulation")
              and rng.random() < 0.5)
    if cancel:
        outcome, effect = m.UPHELD, m.CANCELLED
        protocol = c.station.protocols.current().first()
    late_decision = rng.random() < 0.12  # decisions after the term happen; they are flagged
    # Dates as the complaint's body sees them, in Almaty: a complaint filed at 00:30 there is
    # filed on that day, though it is still the day before in UTC.
    filed_on = timezone.localtime(c.filed_at).date()
    decided_on = min(c.due_date + dt.timedelta(days=rng.randint(1, 6) if late_decision
                                               else -rng.randint(0, max(0, (c.due_date - filed_on).days))),
                     today)
    decided_on = max(decided_on, filed_on)
    services.decide(c, {
        "number": f"{rng.randint(1, 400)}/{decided_on:%m}", "decided_on": decided_on,
        "outcome": outcome, "effect": effect,
        "not_considered_reason": rng.choice(["late", "jurisdiction", "withdrawn", "form"])
        if outcome == m.NOT_CONSIDERED else "",
        "protocol_version": protocol.pk if protocol else None,
        "text": DECISION_TEXTS[outcome] + (" Итоги голосования на участке признаны "
                                           "недействительными." if cancel else "")})
    return 1 if cancel else 0
