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
