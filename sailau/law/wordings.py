"""The words a kind of contest uses on the pages where they differ from an election's
(`Wording`): a referendum's question, answers and citizens on the lists; the Senate's joint
sessions and electors. Data only; `law.kinds` gives each kind its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sailau.languages import Text


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
    # The lists' pages (the oversight report and the staff's): the lists, the report's lead,
    # no station in the vote or in a territory, a station's empty list, the operations' title.
    lists: Text | None = None
    lists_lead: Text | None = None
    lists_no_station: Text | None = None
    lists_no_station_here: Text | None = None
    list_empty: Text | None = None
    list_operations: Text | None = None
    # Added on the day of the vote: the report's column, a list's row, the operation's heading.
    lists_added: Text | None = None
    list_added: Text | None = None
    list_add: Text | None = None


# A referendum's words.
REFERENDUM = Wording(
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
    lists=Text(kk="Азаматтар тізімдері", ru="Списки граждан", en="Lists of citizens"),
    lists_lead=Text(
        kk="Тек сандар: дауыс беру күні тізімге қосылған азаматтар себептері бойынша; "
           "үй-жайдан тыс дауыс беруге өтініштер; берілген, өтелген және қайта ұсынылғанда "
           "қабылданбаған сырттай дауыс беру куәліктері; көшірулер. Дербес деректерсіз.",
        ru="Только числа: граждане, внесённые в списки в день голосования, по причинам; заявки "
           "на голосование вне помещения; открепительные удостоверения выданные, погашенные и "
           "отклонённые при повторном предъявлении; переводы. Без персональных данных.",
        en="Counts only: citizens added to the lists on the day of the vote by reason, "
           "mobile-voting requests, absentee certificates issued, redeemed and refused a second "
           "time, transfers. No personal data."),
    lists_no_station=Text(
        kk="Бұл референдумда әзірге бірде-бір референдум учаскесі жоқ: санайтын ештеңе жоқ.",
        ru="В этом референдуме пока нет ни одного участка референдума: считать нечего.",
        en="This referendum has no referendum station yet: there is nothing to count."),
    lists_no_station_here=Text(
        kk="Бұл аумақта осы референдумның бірде-бір учаскесі жоқ.",
        ru="На этой территории нет ни одного участка этого референдума.",
        en="No station of this referendum is in this territory."),
    list_empty=Text(kk="Бұл учаскенің тізімінде әзірге бірде-бір азамат жоқ.",
                    ru="В списке этого участка пока нет ни одного гражданина.",
                    en="No citizen is on this station's list yet."),
    list_operations=Text(kk="Азаматтар тізімдерімен операциялар",
                         ru="Операции со списками граждан",
                         en="Operations on the lists of citizens"),
    lists_added=Text(kk="Дауыс беру күні қосылды", ru="Дописано в день голосования",
                     en="Added on the day of the vote"),
    list_added=Text(kk="дауыс беру күні қосылды", ru="дописан в день голосования",
                    en="added on the day of the vote"),
    list_add=Text(kk="Дауыс беру күні тізімге қосу", ru="Дополнить список в день голосования",
                  en="Add a citizen on the day of the vote"),
    # The law's participants (`law.figures.counted`), the base of validity and adoption.
    share_note=Text(
        kk="Үлестер: референдумға қатысқандардың пайызы (иә, жоқ, екі жауап та белгіленген "
           "және жарамсыз бюллетеньдер), заң оларды осылай санайды.",
        ru="Доли: процент участников референдума (да, нет, отмечены оба ответа и "
           "недействительные бюллетени), как их считает закон.",
        en="Shares: percent of those who took part in the referendum (yes, no, both answers "
           "marked and invalid ballots), as the law counts them."))

# The Senate's: a region's seat elected at a joint session of its maslikhats' deputies.
SENATE = Wording(sittings=True,
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
                en="Electors (maslikhat deputies)"))
