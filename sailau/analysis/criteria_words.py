"""The integrity criteria's names and explanations in the words of a kind of vote other than
the Mazhilis's, whose words `criteria_catalogue.CRITERIA` speaks. A kind names its vocabulary
in its `law.kinds.Wording.criteria`; a criterion not listed here keeps the catalogue's text.

- QUESTION (a referendum): its voters take part ("participation", not "turnout"), its choices
  are answers (the criteria's "leader" is the answer with most votes in the territory), and
  there is no election and no electoral district: the stations are compared within their
  territory.
- ONE_SEAT (the President): a leader and an election, but no electoral districts: a station is
  compared with the stations of its territory (district, аудан/район), as the explanations say.

Pure Python, no Django."""

from __future__ import annotations

from sailau.languages import Text

QUESTION, ONE_SEAT = "question", "one_seat"

_QUESTION = {
    # Those on the lists and those given ballots are citizens entitled to take part, not voters.
    "I02": (None,
            Text("Жәшіктерден азаматтарға берілгеннен көп бюллетень табылды. Бұл — жәшікке "
                 "бюллетень салудың тікелей белгісі; басқа түсіндірме тек санау қатесі.",
                 "В ящиках найдено больше бюллетеней, чем выдано гражданам. Это прямой признак "
                 "вброса; другое объяснение — только ошибка подсчёта.",
                 "More ballots were found in the boxes than were issued to citizens. This is a "
                 "direct sign of ballot stuffing; the only other explanation is a miscount.")),
    "I19": (Text("Берілген бюллетеньдер бақылаушының санағынан көп",
                 "Выдано больше бюллетеней, чем насчитал наблюдатель",
                 "More ballots issued than the observer counted"),
            Text("Учаскедегі бақылаушы дауыс беру аяқталғанда кітаптағы бюллетень алған "
                 "азаматтарды санады; ресми хаттамада берілген бюллетеньдер одан айтарлықтай "
                 "көп (басқа учаскелердегі айырмашылықтан 3,5 тұрақты z-бағасынан артық және "
                 "кемінде 5 бюллетень). Бұл — жәшікке бюллетень салудың ең күшті белгісі; басқа "
                 "түсіндірме тек бақылаушының санау қатесі.",
                 "Наблюдатель на участке к закрытию пересчитал по книге граждан, получивших "
                 "бюллетени; в официальном протоколе выдано заметно больше (разница выше, чем "
                 "на других участках, более чем на 3,5 робастной z-оценки и не меньше 5 "
                 "бюллетеней). Это сильнейший признак вброса; другое объяснение — только ошибка "
                 "подсчёта наблюдателя.",
                 "The observer at the station counted, from the book at the close, the citizens "
                 "who had received ballots; the official protocol says markedly more were issued "
                 "(the difference is more than 3.5 robust z-scores above that of the other "
                 "counted stations, and at least 5 ballots). This is the strongest sign of "
                 "ballot stuffing; the only other explanation is the observer's miscount.")),
    "I23": (None,
            Text("Комиссия күні бойы Орталық референдум комиссиясы сұрайтын сағаттарда бюллетень "
                 "алғандар санын хабарлайды. Бұл учаскеде сағат 18:00-дегі хабардан кейін "
                 "берілген бюллетеньдердің үлесі ұқсас учаскелерге қарағанда әлдеқайда көп (2023 "
                 "жылы ел бойынша күннің бюллетеньдерінің 2 %-ы ғана 18:00-ден кейін берілді). "
                 "Соңғы сағаттарда келмеген азаматтардың атынан қол қойылған немесе санау "
                 "кезінде қосылған бюллетеньдер осылай көрінеді. Кешке көп адам келетін учаске "
                 "(мысалы, жұмыстан кейін) немесе 18:00-де қате хабарланған сан да осылай "
                 "көрінуі мүмкін; жабылғанға дейін бюллетень алғандарды санаған бақылаушының "
                 "санағы мұны шешеді.",
                 "Комиссия в течение дня сообщает, сколько граждан получили бюллетени, в часы, "
                 "которые запрашивает Центральная комиссия референдума. На этом участке доля "
                 "бюллетеней, выданных после сообщения в 18:00, намного выше, чем у похожих "
                 "участков (в 2023 году по стране после 18:00 выдано лишь 2 % бюллетеней за "
                 "день). Так выглядят бюллетени, выданные в последние часы по подписям за не "
                 "пришедших граждан или добавленные при подсчёте. Так же может выглядеть "
                 "участок, куда много людей приходит вечером (например, после работы), или "
                 "число, ошибочно сообщённое в 18:00; это решает счёт наблюдателя, считавшего "
                 "получивших бюллетени до закрытия.",
                 "Through the day the commission reports how many citizens have received "
                 "ballots, at the hours the Central Referendum Commission asks for. At this "
                 "station the share of ballots issued after the 18:00 report is far above "
                 "similar stations' (in 2023 only 2 % of the day's ballots nationwide came after "
                 "18:00). Ballots signed for in the name of absent citizens in the last hours, "
                 "or added at the count, look like this. So may a station where many vote in "
                 "the evening (after work) or a figure misreported at 18:00; an observer who "
                 "counted those given ballots up to the close settles it.")),
    "I04": (Text("Қатысу 100% немесе одан жоғары", "Участие 100% или выше",
                 "Participation of 100% or over"),
            Text("Тізімдегі әрбір азаматқа бюллетень берілген. Шынайы учаскеде іс жүзінде "
                 "болмайды (тек өте шағын арнайы учаскелерде ғана мүмкін).",
                 "Бюллетень выдан каждому гражданину из списка. На настоящем участке такого "
                 "практически не бывает (разве что на очень маленьких специальных участках).",
                 "A ballot was issued to everyone on the list. This practically never happens "
                 "at a genuine station (perhaps at a very small special station).")),
    "I05": (Text("Қатысу аумақ ішінде ерекше жоғары",
                 "Участие аномально высоко для своей территории",
                 "Participation an outlier in its territory"),
            Text("Қатысу сол аумақтағы учаскелердің медианасынан тұрақты z-бағасы бойынша "
                 "3,5-тен артық жоғары. Жәшікке бюллетень салу қатысуды арттырады; бірақ "
                 "ауруханалар, әскери бөлімдер немесе белсенді ауылдар да осылай көрінуі мүмкін.",
                 "Участие выше медианы участков той же территории более чем на 3,5 робастных "
                 "z-оценки. Вброс повышает участие, но так же могут выглядеть больницы, "
                 "воинские части или активные сёла.",
                 "Participation is more than 3.5 robust z-scores above the median of the "
                 "stations in the same territory. Ballot stuffing raises participation, but "
                 "hospitals, military units or very engaged villages can look the same.")),
    "I06": (Text("Жауаптың үлесі аумақ ішінде ерекше",
                 "Доля ответа аномальна для своей территории",
                 "An answer's share an outlier in its territory"),
            Text("Бір жауаптың үлесі сол аумақтағы учаскелердің медианасынан тұрақты z-бағасы "
                 "бойынша 3,5-тен артық ауытқиды. Жергілікті пікірді де, дауыстарды ауыстыруды "
                 "да көрсетуі мүмкін.",
                 "Доля одного из ответов отклоняется от медианы участков той же территории "
                 "более чем на 3,5 робастных z-оценки. Может означать и местное мнение, и "
                 "перекладывание голосов.",
                 "One answer's share differs from the median of the stations in the same "
                 "territory by more than 3.5 robust z-scores. It can mean local opinion as well "
                 "as votes moved from one answer to the other.")),
    "I07": (None,
            Text("Үй-жайдан тыс берілген бюллетеньдердің үлесі аумақ үшін ерекше немесе барлық "
                 "бюллетеньдердің төрттен бірінен асады. Көшпелі жәшік бақылауы ең қиын жәшік; "
                 "бірақ қарттар үйлері мен ауруханалар да осындай үлес береді.",
                 "Доля бюллетеней, выданных вне помещения, аномальна для территории или "
                 "превышает четверть всех бюллетеней. Переносной ящик наблюдать труднее всего, "
                 "но такую же долю дают дома престарелых и больницы.",
                 "The share of ballots issued outside the room is an outlier in the territory "
                 "or above a quarter of all ballots. The mobile box is the hardest to observe, "
                 "but care homes and hospitals give such shares too.")),
    "I08": (None,
            Text("Қатысу да, көпшілік жауабының үлесі де бүтін пайызға (0,05 пункт дәлдікпен) "
                 "тең: нәтиже алдын ала берілген пайызға жеткізілгенінің белгісі (Kobak, "
                 "Shpilkin, Pshenichnikov, 2016). Бір учаскеде кездейсоқ та болуы мүмкін: "
                 "кездейсоқ ықтималдығы дәлелде көрсетілген.",
                 "И участие, и доля ответа большинства равны целому проценту (с точностью 0,05 "
                 "пункта): признак подгонки результата под заданный процент (Kobak, Shpilkin, "
                 "Pshenichnikov, 2016). На одном участке возможно и случайно: вероятность "
                 "случайности указана.",
                 "Both participation and the majority answer's share are whole percentages "
                 "(within 0.05 points): a sign of a result written to a target (Kobak, Shpilkin "
                 "& Pshenichnikov, 2016). At one station it can happen by chance: the chance is "
                 "given with the evidence.")),
    "I09": (None,
            Text("Klimek т.б. (2012) бұрмалау моделі бүкіл референдумға сәйкестендірілгенде, "
                 "учаске бұрмаланған учаскелер басым ұяшықта жатыр және қатысуы мен үлесі таза "
                 "шыңнан әлдеқайда жоғары. Бұл учаскенің өзі туралы емес, оның ұяшығы туралы "
                 "тұжырым.",
                 "При подгонке модели фальсификаций Klimek и др. (2012) ко всему референдуму "
                 "участок лежит в клетке, где преобладают фальсифицированные участки, а его "
                 "участие и доля заметно выше чистого пика. Это вывод о клетке, а не о самом "
                 "участке.",
                 "With the fraud model of Klimek et al. (2012) fitted to the whole referendum, "
                 "the station lies in a cell where falsified stations dominate, well above the "
                 "clean peak in participation and share. This is a statement about its cell, "
                 "not the station.")),
    "I16": (Text("Қатысу да, көпшілік жауабының үлесі де аумақ ішінде жоғары",
                 "И участие, и доля ответа большинства высоки для своей территории",
                 "Participation and the majority answer's share both high in the territory"),
            Text("Көпшілік жауабына бюллетень қосылғанда қатысу да, оның үлесі де бірге өседі. "
                 "Учаскенің екеуі де аумақ медианасынан тұрақты z-бағасы бойынша шектен жоғары, "
                 "ал шек референдумның өз сандарынан алынған: екеуі де сонша төмен учаскелер "
                 "кездейсоқтықты бағалайды, ал жоғарыдағылардың оннан бірінен аспайды (Barber & "
                 "Candès, 2015). Немесе бақылаушы санау кезінде тізімнен бюллетень алғандардан "
                 "көп бюллетень көрді, ал екі бағаның әрқайсысы 1,28-ден жоғары. Белсенді "
                 "ауылдар да осылай көрінуі мүмкін: тексеру үшін себеп.",
                 "При вбросе за ответ большинства участие и его доля растут вместе. Обе выше "
                 "медианы территории по робастной z-оценке сверх порога, взятого из цифр самого "
                 "референдума: участки, где обе настолько же ниже медианы, оценивают случайные "
                 "совпадения, и их не больше десятой доли участков выше порога (Barber & "
                 "Candès, 2015). Или наблюдатель на подсчёте видел бюллетеней больше, чем "
                 "получивших их граждан, а обе оценки выше 1,28. Так же могут выглядеть "
                 "активные сёла: это повод проверить.",
                 "Ballots added for the majority answer raise participation and that answer's "
                 "share together. Both are above the territory's medians by more robust "
                 "z-scores than a bar taken from the referendum's own figures: the stations as "
                 "far below on both estimate the chance ones, and they are at most a tenth of "
                 "the stations above the bar (Barber & Candès, 2015). Or an observer at the "
                 "count saw more ballots than people who received them and both z-scores exceed "
                 "1.28. Very engaged villages can look the same: a reason to check, not a "
                 "proof.")),
    "I20": (Text("Қатысу да, үлес те жоғары (референдум бойынша шекке жетпейді)",
                 "И участие, и доля ответа большинства высоки (ниже порога референдума)",
                 "Participation and the majority answer's share both high (below the "
                 "referendum's bar)"),
            Text("Қатысу да, көпшілік жауабының үлесі де аумақ медианасынан 1,86 тұрақты "
                 "z-бағасынан жоғары: таза учаскелердің мыңнан біреуінде ғана екеуі бірге "
                 "болады, бірақ бұл референдумда екеуі де сонша төмен учаскелер де аз емес, "
                 "сондықтан тек бақылау үшін. Тізімде ең жоғарылары бірінші.",
                 "И участие, и доля ответа большинства выше медианы территории более чем на 1,86 "
                 "робастной z-оценки: у чистых участков оба сразу — примерно один из тысячи, "
                 "но на этом референдуме немало участков, где оба настолько же ниже, поэтому "
                 "только для наблюдения. В списке самые высокие идут первыми.",
                 "Participation and the majority answer's share are both more than 1.86 robust "
                 "z-scores above the territory's medians: both at once happens at about one "
                 "clean station in a thousand, but this referendum has enough stations as far "
                 "below on both that it is only to watch. The highest come first in the list.")),
    "I21": (Text("Қатысу мен көпшілік жауабының үлесі бірге ұқсас учаскелерден жоғары",
                 "Участие и доля ответа большинства вместе выше, чем у похожих участков",
                 "Participation and the majority answer's share together above similar "
                 "stations"),
            Text("Көпшілік жауабына қосылған бюллетеньдер қатысуды да, оның үлесін де бірге "
                 "көтереді. Учаске сол аумақтағы өз түріндегі учаскелермен (қала, ауыл, арнаулы "
                 "учаске) салыстырылады; екі тұрақты z-бағаның (логиттер бойынша) √2-ге "
                 "бөлінген қосындысы референдумның өз сандарынан алынған шектен жоғары: "
                 "қосындысы сонша төмен учаскелер кездейсоқтықты бағалайды, ал жоғарыдағылардың "
                 "оннан бірінен аспайды (Klimek т.б., 2012; Barber & Candès, 2015). Немесе "
                 "бақылаушы санау кезінде тізімнен бюллетень алғандардан көп бюллетень көрді, "
                 "ал қосынды 2,33-тен жоғары. Белсенді ауылдар да осылай көрінуі мүмкін: "
                 "тексеру үшін себеп.",
                 "Бюллетени, добавленные за ответ большинства, поднимают вместе и участие, и "
                 "его долю. Участок сравнивается с участками своего типа в той же территории "
                 "(город, село, специальный участок); сумма двух робастных z-оценок (по "
                 "логитам, делённая на √2) выше порога, взятого из цифр самого референдума: "
                 "участки с такой же суммой ниже медиан оценивают случайные совпадения, и их не "
                 "больше десятой доли участков выше порога (Klimek и др., 2012; Barber & "
                 "Candès, 2015). Или наблюдатель на подсчёте видел бюллетеней больше, чем "
                 "получивших их граждан, а сумма выше 2,33. Так же могут выглядеть активные "
                 "сёла: это повод проверить.",
                 "Ballots added for the majority answer raise participation and that answer's "
                 "share together. The station is compared with the stations of its kind in its "
                 "territory (town, village, special station); the sum of the two robust "
                 "z-scores (of the log-odds, divided by √2) is above a bar taken from the "
                 "referendum's own figures: the stations whose sum is as far below the medians "
                 "estimate the chance ones, and they are at most a tenth of the stations above "
                 "the bar (Klimek et al., 2012; Barber & Candès, 2015). Or an observer at the "
                 "count saw more ballots than people who received them and the sum exceeds "
                 "2.33. Very engaged villages can look the same: a reason to check, not a "
                 "proof.")),
    "I22": (Text("Қатысу мен үлес жоғары, бірақ бақылаушының санағы сәйкес",
                 "Участие и доля ответа большинства высоки, но счёт наблюдателя сходится",
                 "Participation and share high, but the observer's count agrees"),
            Text("Тек сандар бойынша учаске белгіленер еді: қатысу мен көпшілік жауабының "
                 "үлесі бірге ұқсас учаскелерден жоғары. Бірақ учаскедегі бақылаушы бюллетень "
                 "алғандарды дауыс беру жабылғанға дейін санады, ал хаттамадағы берілген "
                 "бюллетеньдер оның санағынан аспайды. Бұл белгі берілген бюллетеньдермен "
                 "жабылған қосылған бюллетеньдерді білдіреді, ал санаған жалғыз адам артық "
                 "қатысушы көрмеді: учаске белгіленбейді, бақылауда қалады. Белсенді учаске де "
                 "осылай көрінеді.",
                 "По одним цифрам участок был бы отмечен: участие и доля ответа большинства "
                 "вместе выше, чем у похожих участков. Но наблюдатель на участке до закрытия "
                 "считал граждан, получивших бюллетени, и выданных по протоколу бюллетеней не "
                 "больше его счёта. Этот признак означает вброс, прикрытый выдачей бюллетеней, "
                 "а единственный, кто считал, лишних участников не видел: участок не "
                 "отмечается, а остаётся под наблюдением. Так выглядит и просто активный "
                 "участок.",
                 "The figures alone would flag this station: participation and the majority "
                 "answer's share together above similar stations. But an observer at the "
                 "station counted the people who received ballots up to the close, and the "
                 "protocol's ballots issued do not exceed that count. The fingerprint stands "
                 "for ballots added and covered by issued ballots, and the one person who "
                 "counted saw no such participants: the station is kept on watch, not flagged. "
                 "A busy station looks the same.")),
}

# The President: its leader and its election are the catalogue's words; only the electoral
# district ("округ") is not (the stations are compared within their territory).
_ONE_SEAT = {
    "I05": (Text("Келу аумақ ішінде ерекше жоғары", "Явка аномально высока для своей территории",
                 "Turnout an outlier in its territory"), None),
    "I06": (Text("Нұсқаның үлесі аумақ ішінде ерекше",
                 "Доля кандидата аномальна для своей территории",
                 "A candidate's share an outlier in its territory"), None),
    "I07": (None, _QUESTION["I07"][1]),
    "I16": (Text("Келу де, жетекшінің үлесі де аумақ ішінде жоғары",
                 "И явка, и доля лидера высоки для своей территории",
                 "Turnout and the leader's share both high in the territory"), None),
}

# vocabulary -> criterion code -> (name, explanation); None keeps the catalogue's.
VOCABULARIES: dict[str, dict[str, tuple[Text | None, Text | None]]] = {
    QUESTION: _QUESTION, ONE_SEAT: _ONE_SEAT}


# The integrity report's own words where a referendum's differ from an election's: the
# forensic methods' headings and explanations (told of a leader and turnout by their authors,
# here of the majority answer and participation), the ranking's sentence, and the names of the
# evidence fields the criteria write (`integrity.views.EVIDENCE_LABELS`, `SOBYANIN_LABELS`).
# A word not listed keeps the page's own (an election's).
_QUESTION_PAGE = {
    "forensics": Text("Бүкіл референдумның статистикалық сараптамасы",
                      "Статистическая экспертиза референдума в целом",
                      "Statistical forensics of the whole referendum"),
    "fingerprint": Text("Саусақ ізі: қатысу мен көпшілік жауабының үлесі",
                        "«Отпечаток»: участие и доля ответа большинства",
                        "Fingerprint: participation against the majority answer's share"),
    "fingerprint_text": Text(
        "Суреттің әр нүктесі — осындай қатысуы (оңға қарай) және көпшілік жауабының осындай "
        "үлесі (жоғары қарай) бар учаскелердегі тізімдегі азаматтар саны. Таза дауыс беруде бір "
        "дөңгелек дақ көрінеді. Бір жауапқа қосылған бюллетеньдер жоғарғы оң бұрышқа қарай "
        "құйрық салады; алдын ала берілген пайызға жеткізілген нәтижелер бүтін пайыздарда ашық "
        "сызықтар береді. Азаматтары шынымен бірауыз жерлер (кейбір ауылдар, әскери бөлімдер) "
        "де сол бұрышта жатады, сондықтан сурет қай учаске жалған екенін емес, заңдылықты "
        "көрсетеді.",
        "Каждая точка картинки — число граждан в списках на участках с таким участием (вправо) "
        "и такой долей ответа большинства (вверх). Чистое голосование даёт одно круглое пятно. "
        "Вбросы за один из ответов рисуют хвост к правому верхнему углу; результаты, "
        "подогнанные под заданный процент, — яркие линии на целых процентах. Места, где граждане "
        "действительно единодушны (некоторые сёла, воинские части), тоже лежат в углу, поэтому "
        "картинка показывает закономерность, а не то, какой участок фальсифицирован.",
        "Each point of the picture is the number of citizens on the lists at stations with "
        "that participation (to the right) and that share for the majority answer (upwards). "
        "A clean vote shows one round spot. Ballots added for one answer draw a tail towards "
        "the top right corner; results written to a target draw bright lines at whole "
        "percentages. Places where people really are united (some villages, military units) "
        "also lie in the corner, so the picture shows a pattern, not which station is false."),
    "integer_text": Text(
        "Қатысуы немесе көпшілік жауабының үлесі бүтін пайызға тең учаскелерді санап, "
        "кездейсоқтық беретін санмен салыстырады (1000 биномдық қайта іріктеу, Kobak, Shpilkin, "
        "Pshenichnikov 2016). Артықшылық кейбір нәтижелер алдын ала берілген пайызға "
        "жеткізілгенін білдіреді. Қай учаскелер екенін айта алмайды, дөңгелек емес мақсатты "
        "сандарды да анықтай алмайды.",
        "Считает участки, у которых участие или доля ответа большинства — целый процент, и "
        "сравнивает с тем, что даёт случай (1000 биномиальных перевыборок, Kobak, Shpilkin, "
        "Pshenichnikov 2016). Избыток означает, что часть результатов подогнана под заданный "
        "процент. Тест не говорит, какие это участки, и не видит целей, которые не круглые "
        "числа.",
        "Counts how many stations have a participation or a majority answer's share that is a "
        "whole percentage, and compares it with what chance gives (1,000 binomial resamples, "
        "Kobak, Shpilkin & Pshenichnikov 2016). An excess means some results were written to a "
        "target. It cannot say which stations, nor detect targets that are not round numbers."),
    "klimek_text": Text(
        "Саусақ ізіне учаскелердің f_i үлесінде көпшілік жауабына бюллетеньдердің бір бөлігі, "
        "ал f_e үлесінде дерлік барлығы қосылатын модельді сәйкестендіреді. Нөлге жақын мәндер "
        "саусақ ізін түсіндіруге бұрмалау қажет емес екенін білдіреді; саусақ ізінің пішінін "
        "сақтайтын бұрмалауды жоққа шығара алмайды.",
        "Подгоняет к «отпечатку» модель, в которой на доле участков f_i ответу большинства "
        "добавлена часть бюллетеней, а на доле f_e — почти все. Значения около нуля значат, что "
        "«отпечаток» объясняется без фальсификаций; они не исключают фальсификаций, сохраняющих "
        "форму «отпечатка».",
        "Fits to the fingerprint a model in which a share f_i of stations has some ballots "
        "added for the majority answer and a share f_e nearly all of them. Values near zero "
        "mean the fingerprint needs no fraud to explain it; they cannot rule out fraud that "
        "keeps the shape of the fingerprint."),
    "excess_text": Text(
        "Учаскелердің қатысуы бойынша көпшілік жауабының (қызыл) және екінші жауаптың (сұр) "
        "дауыстары. Қатысу тек қосылған бюллетеньдер есебінен өскен жерде екінші жауаптың "
        "дауыстары өспей қалады, ал көпшілік жауабынікі өсе береді. Таза қатысу екінші жауап "
        "дауыстарының шыңында алынады (үзік сызық); одан жоғары көпшілік жауабының таза "
        "арақатынастан асқан дауыстары артық деп саналады. Бағалау осы таңдауға тәуелді және "
        "жоғары қатысудың өзі көпшілік жауабына тиімді емес деп болжайды.",
        "Голоса за ответ большинства (красный) и за другой ответ (серый) по участию на "
        "участках. Там, где участие растёт только за счёт добавленных бюллетеней, голоса за "
        "другой ответ перестают расти, а за ответ большинства продолжают. Чистое участие "
        "берётся в пике голосов за другой ответ (пунктир); голоса за ответ большинства выше "
        "него сверх чистого соотношения считаются лишними. Оценка зависит от этого выбора и "
        "предполагает, что высокое участие само по себе не выгодно ответу большинства.",
        "The votes for the majority answer (red) and for the other answer (grey) by station "
        "participation. Where participation rises only through added ballots, the other "
        "answer's votes stop growing and the majority answer's keep rising. The clean "
        "participation is taken at the peak of the other answer's votes (the dashed line); the "
        "majority answer's votes above it beyond the clean ratio are counted as excess. The "
        "estimate depends on that choice and assumes that higher participation would not by "
        "itself favour the majority answer."),
    "votes_by_turnout": Text("Қатысу бойынша дауыстар", "Голоса по участию",
                             "Votes by participation"),
    "clean_peak": Text("Таза қатысу шыңы", "Пик чистого участия", "Clean participation peak"),
    "leader_share": Text("Көпшілік жауабының үлесі", "Доля ответа большинства",
                         "Majority answer's share"),
    "sobyanin_text": Text(
        "Қатысуы жоғары учаскелердегі әр қосымша қатысушының қаншасы көпшілік жауабын бергені. "
        "Көпшілік жауабының үлесінен жоғары көлбеу қосылған бюллетеньдер соған кеткенін "
        "меңзейді; оны жерлер арасындағы шынайы айырмашылықтардан ажырата алмайды.",
        "Какая часть каждого дополнительного участника на участках с высоким участием "
        "досталась ответу большинства. Наклон выше доли этого ответа говорит о том, что "
        "добавленные бюллетени ушли ему; отделить это от реальных различий между местами он не "
        "может.",
        "How many of each extra participant in higher-participation stations went to the "
        "majority answer. A slope above that answer's share suggests that added ballots went to "
        "it; it cannot separate that from real differences between places."),
    "ranked": Text(
        "Реті: алдымен тікелей дәлелі бар учаскелер (бақылаушының көшірмесі немесе қағаздың "
        "тексерілген оқылуы өзгеше, бақылаушы санаған қатысушылар берілген бюллетеньдерден аз, "
        "жәшікте берілгеннен көп бюллетень), күмәнді дауыстары ең көбі бірінші; содан кейін "
        "қатысуы мен көпшілік жауабының үлесі бірге ұқсас учаскелерден ең жоғары учаскелер.",
        "Порядок: сначала участки с прямыми доказательствами (копия наблюдателя или "
        "проверенное прочтение бумаги отличаются, наблюдатель насчитал меньше участников, чем "
        "выдано бюллетеней, в ящиках больше бюллетеней, чем выдано), первыми те, где больше "
        "всего голосов под вопросом; затем те, у которых участие и доля ответа большинства "
        "вместе сильнее всего превышают похожие участки.",
        "Ranked: first the stations with direct evidence (an observer's copy or a verified "
        "reading of the paper that differs, an observer's count of participants below the "
        "ballots issued, more ballots in the boxes than issued), the most votes in question "
        "first; then those whose participation and majority answer's share are furthest above "
        "similar stations together."),
}

# The names of the evidence fields the criteria write, by their keys.
_QUESTION_EVIDENCE = {
    "voters_on_list": Text("тізімдегі азаматтар", "граждан в списке", "citizens on the list"),
    "turnout": Text("қатысу", "участие", "participation"),
    "turnout_pct": Text("қатысу, %", "участие, %", "participation, %"),
    "leader_share_pct": Text("көпшілік жауабының үлесі, %", "доля ответа большинства, %",
                             "majority answer's share, %"),
    "turnout_median": Text("топтағы қатысудың медианасы", "медиана участия в группе",
                           "median participation of the group"),
    "leader_share_median": Text("топтағы көпшілік жауабы үлесінің медианасы",
                                "медиана доли ответа большинства в группе",
                                "majority answer's median share in the group"),
    "turnout_z": Text("қатысудың ауытқуы (z)", "отклонение участия (z)",
                      "participation deviation (z)"),
    "leader_share_z": Text("көпшілік жауабы үлесінің ауытқуы (z)",
                           "отклонение доли ответа большинства (z)",
                           "majority answer's share deviation (z)"),
    "leader": Text("көпшілік жауабы", "ответ большинства", "majority answer"),
    "leader_share": Text("көпшілік жауабының үлесі", "доля ответа большинства",
                         "majority answer's share"),
    "choice": Text("жауап", "ответ", "answer"),
    "bar": Text("референдумның өз шегі (z)", "порог по данным самого референдума (z)",
                "the referendum's bar (z)"),
    "observer_count": Text("бақылаушы санаған қатысушылар",
                           "число участников по подсчёту наблюдателя",
                           "observer's count of participants"),
    "ballots_added_estimate": Text("медиана қатысудан артық бюллетеньдер",
                                   "бюллетеней сверх медианного участия",
                                   "ballots beyond the median participation"),
}

# The lines of the Sobyanin–Sukhovolsky slope, by their keys.
_QUESTION_SLOPE = {
    "leader_slope": Text("Көпшілік жауабы дауыстарының еңісі",
                         "Наклон голосов за ответ большинства",
                         "Slope of the majority answer's votes"),
    "others_slope": Text("Екінші жауап дауыстарының еңісі", "Наклон голосов за другой ответ",
                         "Slope of the other answer's votes"),
    "leader_share": _QUESTION_PAGE["leader_share"],
}

# vocabulary -> word or key -> text: the integrity report's words, its evidence fields' names
# and its slope's lines in that vocabulary.
PAGE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_PAGE}
EVIDENCE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_EVIDENCE}
SLOPE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_SLOPE}
