"""Contest kinds: one object per kind of contest, owning what the rest of the project used to
decide by testing the kind's name: the protocol form and the outcome (through the contest's
rule set), the facts the outcome needs besides the votes and how they become the rule set's
input, how its result reads on a page (seats, one seat, a question), its NIST 1500-100 shape,
and the body it elects (`Body`, `ContestKind.elects`).

The server (`protocols.tabulation`, `publish`, pages) and the offline verifier (`sailau verify`)
both go through `get(name)`; a new kind is a new entry in `KINDS` (and its rule sets), not an
edit across the tree. `tests/law/test_kinds.py` fails on a branch on a kind's name elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sailau.languages import Text
from sailau.law.errors import LawInputError
from sailau.law.figures import FOUND, VALID
from sailau.law.outcomes.types import PartyListOutcome, ReferendumOutcome, SingleWinnerOutcome


class ContestFacts(Protocol):
    """What is known of a contest besides its totals, read only when its kind needs it: the
    server answers from its database, `sailau verify` from the published files."""

    def seats(self) -> int | None: ...

    def registration_order(self) -> Sequence[str]: ...

    def regions(self) -> Mapping[str, tuple[Mapping[str, int], Mapping[str, int]]]: ...


# What the outcome of a kind needs besides the votes (the names of `ContestFacts`' methods).
SEATS, REGISTRATION_ORDER, REGIONS = "seats", "registration_order", "regions"


@dataclass(frozen=True, eq=False)  # one object per body: compared (and hashed) by identity
class Body:
    """What a contest elects: a representative body (the Mazhilis, the Senate, a maslikhat), an
    office (the President) or a referendum's answer. An election is of the kind of the body its
    headline contests elect (`elections.models.Election.kind`)."""

    name: str  # as an election's kind and the candidacy rules' offices spell it: "maslikhat"
    label: str  # English, for the admin's list of election kinds
    # One of many, each elected by the voters of one region, city or district (its commission's
    # area); its contests are listed on that commission's page, not the election's.
    local: bool = False


# Constitution of the RK, 30 Aug 1995, art. 50 (the Parliament: the Senate and the Mazhilis),
# art. 41 (the President) and art. 86 (a maslikhat, elected by the population of a region, a
# city of republican significance, the capital, a district or a city); the Constitutional Law
# of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995 (a referendum's question).
MAZHILIS = Body("mazhilis", "Mazhilis")
PRESIDENCY = Body("president", "President")
MASLIKHAT = Body("maslikhat", "Maslikhat", local=True)
QUESTION = Body("referendum", "Referendum")
# An election kind the admin has always offered; no contest kind below elects it.
KURULTAI = Body("kurultai", "Kurultai")
SENATE_SEATS = Body("senate", "Senate")
# In the order of the admin's list of election kinds (`Election.KINDS`).
BODIES: dict[str, Body] = {b.name: b for b in (MAZHILIS, PRESIDENCY, MASLIKHAT, QUESTION,
                                               KURULTAI, SENATE_SEATS)}

# The body elected by the voters of a commission's area, by the commission's level, for a kind
# whose body follows from where its contest is held (a party list, a single-member district):
# the country's, the Mazhilis; a region's or city's, and a district's or city's, its
# maslikhat. A single-member district ("smd") is one of the districts of the body of its
# parent commission's area. (Commission levels as `elections.models.Commission` spells them.)
AREA_BODY: dict[str, Body] = {"cec": MAZHILIS, "territorial": MASLIKHAT, "district": MASLIKHAT}
SMD_LEVEL = "smd"


@dataclass(frozen=True, eq=False)  # one object per kind: compared (and hashed) by identity
class Wording:
    """What the pages call the parts of a kind's election where the words of an election at
    polling stations would mislead a reader (a Senate seat is no "single-member district of the
    maslikhat", its joint session no "polling station", its electors no "registered voters"; a
    referendum has no "election day" and no "leader"). A part left None keeps those words."""

    seats: Text | None = None  # the heading over the list of its contests, one seat each
    seat: Text | None = None  # that list's first column: what each contest is of
    station: Text | None = None  # one of its stations, as its page's heading names it
    stations: Text | None = None  # its stations, counted on the election's page
    voters: Text | None = None  # those on its stations' lists
    # Its stations are sittings of electors, not polling stations under district commissions
    # (the Senate's joint sessions): the election's structure counts territorial commissions
    # and sittings only, and a commission's children are headed as its sittings.
    sittings: bool = False
    voters_all: Text | None = None  # those on the lists of all its stations, before the day
    voters_reported: Text | None = None  # those on the lists of the stations that reported
    voters_note: Text | None = None  # why the two differ (the lists before the day, protocols)
    turnout_base: Text | None = None  # what the percentage of those who came is of
    protocol: Text | None = None  # the title of its stations' printed protocol
    day: Text | None = None  # the day of the vote, beside its date
    turnout: Text | None = None  # those who came, in percent of the voters on the lists
    turnout_day: Text | None = None  # the heading of the turnout reported through the day
    # Its latest hour, with "{hour}", "{share}" (in <strong>), "{n}" and "{total}" (the
    # stations reported and expected); when no station has reported; and where it comes from.
    turnout_day_lead: Text | None = None
    turnout_day_none: Text | None = None
    turnout_day_note: Text | None = None
    choice: Text | None = None  # the column of what was voted for
    leader: Text | None = None  # the choice with most votes in a territory (the map)
    share_note: Text | None = None  # what a share is a percent of, under the results
    # Its commissions' names by level ("cec", "territorial", "district", "precinct"), "{}" for
    # the place or the number, where a structure gives none of its own (the demo's) and where
    # a name must be read back to its place (`elections.models.Commission.place`).
    commissions: Mapping[str, Text] | None = field(default=None, compare=False)
    # The words of the integrity criteria's names and explanations: a vocabulary of
    # `analysis.criteria_words` ("question": participation, the majority answer, the
    # referendum; "one_seat": no electoral districts); None: the Mazhilis's words.
    criteria: str | None = None
    # The staff's and observers' pages (the entry, the turnout report, the observer's phone
    # form, the volunteers' pages): what the vote as a whole and one of its contests are
    # called in a list or a label; the line under the entry form's title, with "{n}" (the
    # station's list before the day); the link to the turnout report, that page's lead with
    # "{n}" and its field; the observer's count of those who came, its note and its field;
    # and the heading of the observers' samples committed before the day.
    vote: Text | None = None
    contest: Text | None = None
    registered_note: Text | None = None
    turnout_report: Text | None = None
    turnout_report_lead: Text | None = None
    turnout_report_field: Text | None = None
    counted: Text | None = None
    counted_note: Text | None = None
    counted_field: Text | None = None
    samples_before: Text | None = None
    # "Where do I vote": the link to the lists' oversight report, the lookup's lead, its answer
    # with "{n}" (the station's number) and its answer when no list holds the number.
    lists_report: Text | None = None
    lookup_lead: Text | None = None
    lookup_found: Text | None = None
    lookup_none: Text | None = None


@dataclass(frozen=True)
class ContestKind:
    name: str  # as contests and rule sets spell it: "party_list"
    label: str  # English, for the admin's list of kinds
    outcome_type: type
    # Ballots are cast for party lists, and the seats go to the lists' candidates: a result
    # shows seats per list (and the hemicycle); a list is nominated, not only persons.
    by_list: bool = False
    # One of the many districts that elect a body: listed under that body's page, its station
    # tables written after the headline contests; never an election's headline itself.
    district: bool = False
    # A question put to the voters: the result reads adopted or not, and valid or not.
    measure: bool = False
    # The body the kind elects wherever it is held (the President, a region's Senate seat, a
    # referendum's question); None: the body of the area of the contest's commission
    # (`AREA_BODY`, through `elects`).
    body: Body | None = None
    # The facts its outcome needs besides the votes, and how it is shaped in NIST 1500-100.
    needs: tuple[str, ...] = ()
    nist_contest: str = "ElectionResults.CandidateContest"
    # Its outcome needs the voters (electors) on the list: a quorum of them must take part.
    quorum: bool = False
    # Its own words on the pages; None: the words of a vote at polling stations.
    wording: Wording | None = None
    # What the pages' shares are of (`figures.FOUND` or `figures.VALID`): the base its rule
    # sets decide on, where that base is a share (the President's majority).
    share_base: str = FOUND

    @property
    def office(self) -> str | None:
        """The office the kind fills whatever its area, as the candidacy rules name it (the
        President's); None where its contest's commission decides (`elects`)."""
        return self.body.name if self.body else None

    def elects(self, level: str, parent_level: str | None = None) -> Body:
        """The body a contest of this kind elects, held by a commission of `level` (whose parent
        is of `parent_level`): the kind's own, else the body of that commission's area, or for
        a single-member district the body of its parent's area (a Mazhilis district is the
        CEC's, a maslikhat's district its territorial or district commission's)."""
        if self.body is not None:
            return self.body
        area = parent_level if level == SMD_LEVEL else level
        try:
            return AREA_BODY[area]
        except KeyError:
            where = f"a single-member district under a {parent_level} commission" \
                if level == SMD_LEVEL else f"a {level} commission"
            raise LawInputError(field="commission", message=(
                f"a contest of kind {self.name!r} on {where} elects no body (it is held by a "
                f"{' or '.join(AREA_BODY)} commission or a single-member district of one)")
            ) from None

    @property
    def nominated(self) -> bool:
        """Its choices are candidates or lists that were nominated and registered, with
        campaign funds: its election has candidates' and finance pages (a question has
        neither)."""
        return not self.measure

    def form(self, ruleset: str):
        """The contest's protocol form: its rule set's form for this kind."""
        from sailau.law import get_ruleset

        return get_ruleset(ruleset).form(self.name)

    def one_seat(self, seats: int) -> bool:
        """Whether the result reads as one seat: leading, then elected, tie or runoff."""
        return not self.by_list and not self.measure and seats == 1

    def context(self, facts: ContestFacts) -> dict:
        """The facts this kind's outcome needs, read from `facts` (and only those)."""
        return {need: getattr(facts, need)() for need in self.needs}

    def input(self, ruleset: str, figures: Mapping[str, int], choices: Mapping[str, int],
              context: Mapping) -> dict:
        """The rule set's input (the format of `sailau outcome`) from the contest's totals
        (`figures`, `choices` summed over its stations) and its `context`."""
        from sailau.law import get_ruleset

        if self.measure:
            return {"regions": {rid: {"registered": fig.get("voters_on_list", 0),
                                      "yes": cho.get("yes", 0), "no": cho.get("no", 0),
                                      "both": fig.get("both_marked", 0),
                                      "invalid": fig.get("invalid", 0)}
                                for rid, (fig, cho) in (context.get(REGIONS) or {}).items()}}
        votes = {k: v for k, v in choices.items() if k != "against_all"}
        data = {"votes": votes, "invalid": figures.get("invalid", 0)}
        if get_ruleset(ruleset).form(self.name).against_all:
            data["against_all"] = choices.get("against_all", 0)
        if REGISTRATION_ORDER in self.needs:
            data["registration_order"] = [k for k in context.get(REGISTRATION_ORDER) or ()
                                          if k in votes]
        if SEATS in self.needs:
            data["seats"] = context.get(SEATS)
        if self.quorum:
            data["registered"] = figures.get("voters_on_list", 0)
        return data

    def nist_selection(self, party_id: str | None) -> dict:
        """A choice's NIST selection: a party's list, or a candidate (endorsed by a party)."""
        if self.by_list and party_id:
            return {"@type": "ElectionResults.PartySelection", "PartyIds": [f"party-{party_id}"]}
        sel = {"@type": "ElectionResults.CandidateSelection"}
        if party_id and not self.by_list:
            sel["EndorsementPartyIds"] = [f"party-{party_id}"]
        return sel

    def nist_fields(self, seats: int) -> dict:
        """The contest's NIST type and what it says of the seats."""
        if self.nist_contest == "ElectionResults.CandidateContest":
            return {"@type": self.nist_contest, "VotesAllowed": 1, "NumberElected": seats}
        return {"@type": self.nist_contest}


PARTY_LIST = ContestKind("party_list", "Party list (proportional)", PartyListOutcome,
                         by_list=True, needs=(REGISTRATION_ORDER, SEATS),
                         nist_contest="ElectionResults.PartyContest")
SINGLE_MEMBER = ContestKind("single_member", "Single-member district", SingleWinnerOutcome,
                            district=True)
# Elected with more than half of the valid ballots (`single_winner.majority_or_runoff`, on
# `figures.valid`): the pages show each candidate's share of them.
PRESIDENT = ContestKind("president", "President", SingleWinnerOutcome, body=PRESIDENCY,
                        share_base=VALID, wording=Wording(criteria="one_seat"))
# A referendum's question: NIST's BallotMeasureContest would fit, but the files published so
# far name it a CandidateContest of one "seat"; kept so that their readers are not broken.
REFERENDUM = ContestKind("referendum", "Referendum question", ReferendumOutcome, measure=True,
                         body=QUESTION,
                         needs=(REGIONS,), wording=Wording(
    criteria="question",
    # The election commissions act as the referendum's commissions and are so named:
    # Constitutional Law of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995,
    # art. 13 ("the system of referendum commissions"). Assumption: the article's text was not
    # at hand here; the words follow the names the CEC used for the 5 June 2022 referendum as
    # far as known ("Центральная комиссия референдума"), each level named alike.
    commissions={
        "cec": Text(kk="Орталық референдум комиссиясы", ru="Центральная комиссия референдума",
                    en="Central Referendum Commission"),
        "territorial": Text(kk="{} аумақтық референдум комиссиясы",
                            ru="Территориальная комиссия референдума: {}",
                            en="{} territorial referendum commission"),
        "district": Text(kk="{} референдум комиссиясы", ru="Комиссия референдума: {}",
                         en="{} referendum commission"),
        "precinct": Text(kk="№{} учаскелік референдум комиссиясы",
                         ru="Участковая комиссия референдума № {}",
                         en="Precinct referendum commission no. {}")},
    # Its stations, and the citizens on their lists: the law names referendum stations and
    # "lists of citizens entitled to take part in the republican referendum" (Constitutional
    # Law of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995). Assumption: the
    # articles' text was not at hand here; the words follow the Central Referendum
    # Commission's published usage for the 5 June 2022 and 15 March 2026 referendums
    # ("участки референдума", "референдум учаскесі", "списки граждан, имеющих право
    # участвовать в республиканском референдуме"). Those on the lists are "citizens", not
    # "participants": the law's participants are those who took part (`share_note`).
    station=Text(kk="Референдум учаскесі", ru="Участок референдума", en="Referendum station"),
    stations=Text(kk="Референдум учаскелері", ru="Участки референдума",
                  en="Referendum stations"),
    voters=Text(kk="Тізімдегі азаматтар", ru="Граждане в списках", en="Citizens on the lists"),
    voters_all=Text(kk="Барлық учаскелердің тізімдеріндегі азаматтар",
                    ru="Граждане в списках всех участков",
                    en="Citizens on the lists of all referendum stations"),
    voters_reported=Text(kk="Есеп берген учаскелердің тізімдеріндегі азаматтар",
                         ru="Граждане в списках отчитавшихся участков",
                         en="Citizens on the lists of the stations that reported"),
    voters_note=Text(
        kk="Тізімдегі азаматтардың екі саны неге әртүрлі: біріншісі — барлық учаскелердің дауыс "
           "беру күніне дейінгі тізімдері; нәтижелердегісі есеп берген учаскелердің "
           "хаттамаларынан алынады, дауыс беру күні тізімге енгізілгендермен бірге.",
        ru="Почему два числа граждан в списках: первое — списки всех участков до дня "
           "голосования; число в итогах взято из протоколов отчитавшихся участков, вместе с "
           "внесёнными в списки в день голосования.",
        en="Why two figures of citizens on the lists: the first is the lists of every station "
           "before the day of the vote; the one in the results comes from the protocols of the "
           "stations that have reported, with those added to the lists on the day of the vote."),
    turnout_base=Text(kk="берілген бюллетеньдер / тізімдегі азаматтар",
                      ru="выданные бюллетени / граждане в списках",
                      en="ballots issued / citizens on the lists"),
    protocol=Text(
        kk="Дауыс беру қорытындылары туралы учаскелік референдум комиссиясының хаттамасы",
        ru="Протокол участковой комиссии референдума об итогах голосования",
        en="Protocol of the precinct referendum commission on the results of the vote"),
    day=Text(kk="Референдум күні", ru="День референдума", en="Referendum day"),
    turnout=Text(kk="Референдумға қатысу", ru="Участие в референдуме",
                 en="Participation in the referendum"),
    turnout_day=Text(kk="Референдум күні бойғы қатысу", ru="Участие в течение дня референдума",
                     en="Participation through referendum day"),
    turnout_day_lead=Text(
        kk="Сағат {hour}-дегі жағдай бойынша тізімдегі азаматтардың <strong>{share}</strong> "
           "бюллетень алды ({total} учаскенің {n} хабарлады).",
        ru="По состоянию на {hour} бюллетени получили <strong>{share}</strong> граждан, "
           "включённых в списки (сообщили {n} из {total} участков).",
        en="As of {hour}, <strong>{share}</strong> of the citizens on the lists had received "
           "ballots ({n} of {total} stations reported)."),
    turnout_day_none=Text(
        kk="Бұл аумақта әлі бірде-бір учаске референдумға қатысу туралы хабарламады.",
        ru="Ни один участок здесь ещё не сообщил об участии в референдуме.",
        en="No station in this area has reported participation yet."),
    turnout_day_note=Text(
        kk="Учаскелік референдум комиссияларының Орталық референдум комиссиясы сұрайтын "
           "сағаттардағы өз хабарларының қосындысы (жергілікті уақыт). Әр үлес сол сағатқа дейін "
           "хабарлаған учаскелердің тізімдеріндегі азаматтардан есептеледі; қорытынды қатысу "
           "хаттамалар бойынша.",
        ru="Сумма собственных сообщений участковых комиссий референдума в часы, которые "
           "запрашивает Центральная комиссия референдума (местное время). Каждая доля — от "
           "числа граждан в списках участков, сообщивших к этому часу; итоговые данные — по "
           "протоколам.",
        en="Summed from the precinct referendum commissions' own reports at the Central "
           "Referendum Commission's hours (local time). Each share is of the citizens on the "
           "lists of the stations that reported by that hour; the final participation is the "
           "protocols'."),
    choice=Text(kk="Жауап", ru="Ответ", en="Answer"),
    leader=Text(kk="Көпшілік жауабы", ru="Ответ большинства", en="Majority answer"),
    vote=Text(kk="Референдум", ru="Референдум", en="Referendum"),
    contest=Text(kk="Сұрақ", ru="Вопрос", en="Question"),
    registered_note=Text(
        kk="Дауыс беру күніне дейін осы учаскенің тізіміндегі азаматтар: {n}. 1-жол оларды "
           "дауыс беру күні тізімге енгізілгендермен бірге есептейді.",
        ru="Граждан в списке этого участка до дня голосования: {n}. Строка 1 считает их "
           "вместе с внесёнными в список в день голосования.",
        en="Citizens on this station's list before the day of the vote: {n}. Line 1 counts "
           "them with those added on the day."),
    turnout_report=Text(kk="Қатысуды хабарлау", ru="Сообщить об участии",
                        en="Report participation"),
    turnout_report_lead=Text(
        kk="Орталық референдум комиссиясының әр сағатында учаске ашылғаннан бері осы учаскеде "
           "бюллетень алған азаматтардың санын хабарлаңыз. Дауыс беру күніне дейін тізімдегі "
           "азаматтар: {n}. Жіберілген хабар ешқашан өзгертілмейді.",
        ru="В каждый час, который запрашивает Центральная комиссия референдума, сообщите, "
           "сколько граждан получили бюллетени на этом участке с его открытия. Граждан в "
           "списке до дня голосования: {n}. Отправленное сообщение не изменяется.",
        en="At each of the Central Referendum Commission's hours, report how many citizens "
           "have received ballots at this station since it opened. Citizens on the list before "
           "the day of the vote: {n}. A report is never changed once sent."),
    turnout_report_field=Text(kk="Учаске ашылғаннан бері бюллетень алған азаматтар",
                              ru="Граждане, получившие бюллетени с открытия участка",
                              en="Citizens who have received ballots since the station opened"),
    counted=Text(kk="Қатысушылар саны", ru="Подсчёт участников",
                 en="Participants counted"),
    counted_note=Text(
        kk="Осы уақытқа дейін бюллетень алған азаматтар, учаске кітабы көрсеткендей: келгенде, "
           "шамамен әр сағат сайын және кетерде.",
        ru="Граждане, получившие бюллетени к этому времени, по книге участка: по прибытии, "
           "примерно каждый час и при уходе.",
        en="Citizens who had received ballots by now, as the station's book shows: at arrival, "
           "every hour or so, and at departure."),
    counted_field=Text(kk="Қатысушылар", ru="Участники", en="Participants"),
    samples_before=Text(kk="Дауыс беру күніне дейін бекітілген іріктемелер",
                        ru="Выборки, зафиксированные до дня голосования",
                        en="Samples committed before the day of the vote"),
    lists_report=Text(kk="Азаматтар тізімдері: бақылауға арналған есеп",
                      ru="Списки граждан: отчёт для наблюдения",
                      en="Lists of citizens: oversight report"),
    lookup_lead=Text(
        kk="ЖСН-іңізді енгізіңіз: референдум учаскеңіздің нөмірі мен мекенжайын ғана көресіз. "
           "Енгізілген нөмір сақталмайды.",
        ru="Введите свой ИИН: вы увидите номер своего участка референдума и его адрес, больше "
           "ничего. Введённый номер не сохраняется.",
        en="Enter your IIN: you will see the number of your referendum station and its "
           "address, nothing else. The number you type is not stored."),
    lookup_found=Text(kk="№{n} референдум учаскесі", ru="Участок референдума №{n}",
                      en="Referendum station no. {n}"),
    lookup_none=Text(
        kk="Бұл ЖСН ешбір учаске тізімінде жоқ. Сырттай дауыс беру куәлігіңіз болса, кез "
           "келген учаскеде дауыс беріңіз; әйтпесе учаскелік референдум комиссиясына "
           "жүгініңіз.",
        ru="Ни один список участка не содержит этот ИИН. Если у вас есть открепительное "
           "удостоверение, голосуйте на любом участке; иначе обратитесь в участковую комиссию "
           "референдума.",
        en="No station list holds this IIN. If you hold an absentee certificate, vote at any "
           "station; otherwise ask your precinct referendum commission."),
    # The law's participants (`law.figures.counted`), the base of validity and adoption.
    share_note=Text(
        kk="Үлестер: референдумға қатысқандардың пайызы (иә, жоқ, екі жауап та белгіленген "
           "және жарамсыз бюллетеньдер), заң оларды осылай санайды.",
        ru="Доли: процент участников референдума (да, нет, отмечены оба ответа и "
           "недействительные бюллетени), как их считает закон.",
        en="Shares: percent of those who took part in the referendum (yes, no, both answers "
           "marked and invalid ballots), as the law counts them.")))

# The Senate: one region's seat, elected by the deputies of its maslikhats at a joint session
# (the contest's one station; its voters on the list are the electors). One of the many
# regional contests of the body, like a single-member district.
SENATE = ContestKind("senate", "Senate (maslikhat deputies at a joint session)",
                     SingleWinnerOutcome, district=True, body=SENATE_SEATS, quorum=True,
                     wording=Wording(sittings=True,
    seats=Text(kk="Сенат депутаттары: облыстар, республикалық маңызы бар қалалар және астана",
               ru="Депутаты Сената: области, города республиканского значения и столица",
               en="Senate seats: regions, cities of republican significance and the capital"),
    seat=Text(kk="Өңір", ru="Регион", en="Region"),
    station=Text(kk="Мәслихаттар депутаттарының бірлескен отырысы",
                 ru="Совместное заседание депутатов маслихатов",
                 en="Joint session of the maslikhats' deputies"),
    stations=Text(kk="Мәслихаттар депутаттарының бірлескен отырыстары",
                  ru="Совместные заседания депутатов маслихатов",
                  en="Joint sessions of the maslikhats' deputies"),
    voters=Text(kk="Таңдаушылар (мәслихаттар депутаттары)",
                ru="Выборщики (депутаты маслихатов)",
                en="Electors (maslikhat deputies)")))

KINDS: dict[str, ContestKind] = {k.name: k for k in (PARTY_LIST, SINGLE_MEMBER, PRESIDENT,
                                                     REFERENDUM, SENATE)}


def get(name: str) -> ContestKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LawInputError(field="kind", message=f"{name!r} is not a contest kind "
                            f"({', '.join(KINDS)})") from None


def named(**attributes) -> list[str]:
    """The names of the kinds with these attributes (`named(district=True)`), for a query."""
    return [k.name for k in KINDS.values()
            if all(getattr(k, a) == v for a, v in attributes.items())]


def wording(names) -> Wording | None:
    """The pages' words for an election (or a list) whose contests are of the kinds `names`:
    their kind's own when they are all of one kind that has them, else None."""
    found = {KINDS[n].wording for n in set(names) if n in KINDS}
    return found.pop() if len(found) == 1 else None


def choices() -> list[tuple[str, str]]:
    """(name, label) of every kind, for a model field's choices."""
    return [(k.name, k.label) for k in KINDS.values()]


def body_choices() -> list[tuple[str, str]]:
    """(name, label) of every body, for the choices of an election's kind."""
    return [(b.name, b.label) for b in BODIES.values()]
