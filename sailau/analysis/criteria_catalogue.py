"""What each integrity criterion is: a stable code, a key, its strength (a strong one flags the
station, a weak one puts it on watch) and its name and explanation in Kazakh, Russian and
English (what it means and what else could cause it); and the rules that give a station its
status. The numbers that light each criterion are computed in `criteria.py`.

Pure Python, no Django: the pages, the report and the published files read the texts here."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sailau.analysis import criteria_words
from sailau.languages import Text

STRONG, WEAK = "strong", "weak"
FLAGGED, WATCH, CLEAR = "flagged", "watch", "clear"
STATUSES = (FLAGGED, WATCH, CLEAR)


@dataclass(frozen=True)
class Criterion:
    code: str  # stable: I01 ... never renumbered
    key: str
    strength: str  # strong | weak
    name: dict
    explanation: dict  # what it means and what else could cause it

    def to_json(self) -> dict:
        return {"code": self.code, "key": self.key, "strength": self.strength,
                "name": dict(self.name), "explanation": dict(self.explanation)}


CRITERIA: tuple[Criterion, ...] = (
    Criterion("I01", "control_error", STRONG,
              Text("Бақылау қатынасы бұзылған (қате)", "Нарушено контрольное соотношение (ошибка)",
                   "Control relation broken (error)"),
              Text("Хаттаманың жолдары арасындағы міндетті теңдік орындалмайды: бұндай хаттама "
                   "енгізу кезінде қабылданбауы тиіс еді. Қате санау, теру қатесі немесе сандарды "
                   "түзету белгісі.",
                   "Не выполняется обязательное равенство между строками протокола: такой протокол "
                   "не должен был пройти ввод. Признак ошибки подсчёта, ввода или подгонки цифр.",
                   "A mandatory equality between the protocol's lines does not hold: such a protocol "
                   "should not have passed entry. A sign of a miscount, a typing error or figures "
                   "adjusted by hand.")),
    Criterion("I02", "more_ballots_than_issued", STRONG,
              Text("Жәшікте берілгеннен көп бюллетень", "В ящиках больше бюллетеней, чем выдано",
                   "More ballots in the boxes than issued"),
              Text("Жәшіктерден сайлаушыларға берілгеннен көп бюллетень табылды. Бұл — жәшікке "
                   "бюллетень салудың тікелей белгісі; басқа түсіндірме тек санау қатесі.",
                   "В ящиках найдено больше бюллетеней, чем выдано избирателям. Это прямой признак "
                   "вброса; другое объяснение — только ошибка подсчёта.",
                   "More ballots were found in the boxes than were issued to voters. This is a "
                   "direct sign of ballot stuffing; the only other explanation is a miscount.")),
    Criterion("I03", "control_warning", WEAK,
              Text("Бақылау қатынасы бойынша ескерту", "Предупреждение контрольного соотношения",
                   "Control relation warning"),
              Text("Хаттама қабылданды, бірақ ескерту берді (мысалы, үй-жайдан тыс берілген "
                   "бюллетеньдер жазбаша өтініштерден көп). Оқиға болғанын көрсетеді, "
                   "бұрмалауды дәлелдемейді.",
                   "Протокол принят, но с предупреждением (например, вне помещения выдано больше "
                   "бюллетеней, чем подано заявлений). Показывает, что что-то произошло, но не "
                   "доказывает фальсификацию.",
                   "The protocol was accepted with a warning (for instance more ballots issued "
                   "outside the room than written requests). It shows that something happened, "
                   "not that the result was falsified.")),
    Criterion("I04", "turnout_100", STRONG,
              Text("Келу 100% немесе одан жоғары", "Явка 100% или выше", "Turnout of 100% or over"),
              Text("Тізімдегі әрбір сайлаушыға бюллетень берілген. Шынайы учаскеде іс жүзінде "
                   "болмайды (тек өте шағын арнайы учаскелерде ғана мүмкін).",
                   "Бюллетень выдан каждому избирателю из списка. На настоящем участке такого "
                   "практически не бывает (разве что на очень маленьких специальных участках).",
                   "A ballot was issued to every voter on the list. This practically never happens "
                   "at a genuine station (perhaps at a very small special station).")),
    Criterion("I05", "turnout_outlier", WEAK,
              Text("Келу округ ішінде ерекше жоғары", "Явка аномально высока для своего округа",
                   "Turnout an outlier in its district"),
              Text("Келу сол аудандағы учаскелердің медианасынан тұрақты z-бағасы бойынша 3,5-тен "
                   "артық жоғары. Жәшікке бюллетень салу келуді арттырады; бірақ ауруханалар, "
                   "әскери бөлімдер немесе белсенді ауылдар да осылай көрінуі мүмкін.",
                   "Явка выше медианы участков того же района более чем на 3,5 робастных z-оценки. "
                   "Вброс повышает явку, но так же могут выглядеть больницы, воинские части или "
                   "активные сёла.",
                   "Turnout is more than 3.5 robust z-scores above the median of the stations in "
                   "the same district. Ballot stuffing raises turnout, but hospitals, military "
                   "units or very engaged villages can look the same.")),
    Criterion("I06", "share_outlier", WEAK,
              Text("Нұсқаның үлесі округ ішінде ерекше", "Доля варианта аномальна для своего округа",
                   "A choice's share an outlier in its district"),
              Text("Бір нұсқаның үлесі сол аудандағы учаскелердің медианасынан тұрақты z-бағасы "
                   "бойынша 3,5-тен артық ауытқиды. Жергілікті қолдауды да, дауыстарды "
                   "ауыстыруды да көрсетуі мүмкін.",
                   "Доля одного из вариантов отклоняется от медианы участков того же района более "
                   "чем на 3,5 робастных z-оценки. Может означать и местную поддержку, и "
                   "перекладывание голосов.",
                   "One choice's share differs from the median of the stations in the same district "
                   "by more than 3.5 robust z-scores. It can mean local support as well as votes "
                   "moved from one choice to another.")),
    Criterion("I07", "mobile_share_extreme", WEAK,
              Text("Көшпелі жәшіктің үлесі тым жоғары", "Слишком большая доля голосования на дому",
                   "Mobile-box share extreme"),
              Text("Үй-жайдан тыс берілген бюллетеньдердің үлесі округ үшін ерекше немесе барлық "
                   "бюллетеньдердің төрттен бірінен асады. Көшпелі жәшік бақылауы ең қиын жәшік; "
                   "бірақ қарттар үйлері мен ауруханалар да осындай үлес береді.",
                   "Доля бюллетеней, выданных вне помещения, аномальна для района или превышает "
                   "четверть всех бюллетеней. Переносной ящик наблюдать труднее всего, но такую же "
                   "долю дают дома престарелых и больницы.",
                   "The share of ballots issued outside the room is an outlier in the district or "
                   "above a quarter of all ballots. The mobile box is the hardest to observe, but "
                   "care homes and hospitals give such shares too.")),
    Criterion("I08", "integer_percentages", WEAK,
              Text("Бүтін пайыздар", "Целые проценты", "Integer percentages"),
              Text("Келу де, жетекшінің үлесі де бүтін пайызға (0,05 пункт дәлдікпен) тең: "
                   "нәтиже алдын ала берілген пайызға жеткізілгенінің белгісі (Kobak, Shpilkin, "
                   "Pshenichnikov, 2016). Бір учаскеде кездейсоқ та болуы мүмкін: кездейсоқ "
                   "ықтималдығы дәлелде көрсетілген.",
                   "И явка, и доля лидера равны целому проценту (с точностью 0,05 пункта): признак "
                   "подгонки результата под заданный процент (Kobak, Shpilkin, Pshenichnikov, "
                   "2016). На одном участке возможно и случайно: вероятность случайности указана.",
                   "Both turnout and the leader's share are whole percentages (within 0.05 points): "
                   "a sign of a result written to a target (Kobak, Shpilkin & Pshenichnikov, 2016). "
                   "At one station it can happen by chance: the chance is given with the evidence.")),
    Criterion("I09", "fingerprint_model", WEAK,
              Text("Саусақ ізі моделі бойынша күдікті", "Подозрителен по модели «отпечатка»",
                   "Suspect under the fingerprint model"),
              Text("Klimek т.б. (2012) бұрмалау моделі бүкіл сайлауға сәйкестендірілгенде, учаске "
                   "бұрмаланған учаскелер басым ұяшықта жатыр және келуі мен үлесі таза шыңнан "
                   "әлдеқайда жоғары. Бұл учаскенің өзі туралы емес, оның ұяшығы туралы тұжырым.",
                   "При подгонке модели фальсификаций Klimek и др. (2012) ко всем выборам участок "
                   "лежит в клетке, где преобладают фальсифицированные участки, а его явка и доля "
                   "заметно выше чистого пика. Это вывод о клетке, а не о самом участке.",
                   "With the fraud model of Klimek et al. (2012) fitted to the whole election, the "
                   "station lies in a cell where falsified stations dominate, well above the clean "
                   "peak in turnout and share. This is a statement about its cell, not the station.")),
    Criterion("I10", "observer_copy_differs", STRONG,
              Text("Ресми хаттама бақылаушының көшірмесінен өзгеше",
                   "Официальный протокол отличается от копии наблюдателя",
                   "The official protocol differs from an observer's copy"),
              Text("Бақылаушыға берілген куәландырылған көшірме мен жарияланған хаттаманың "
                   "сандары сәйкес келмейді: сандар қол қойылғаннан кейін өзгертілген болуы мүмкін.",
                   "Цифры заверенной копии, выданной наблюдателю, не совпадают с опубликованным "
                   "протоколом: цифры могли измениться после подписания.",
                   "The figures of the certified copy handed to an observer do not match the "
                   "published protocol: the figures may have changed after signing.")),
    Criterion("I11", "scan_qr_mismatch", STRONG,
              Text("Сканердегі QR-код сәйкес келмейді", "QR-код скана не совпадает",
                   "The scan's QR code does not match"),
              Text("Қол қойылған қағаз хаттаманың сканеріндегі QR-кодтағы сандар электрондық "
                   "хаттамадан өзгеше.",
                   "Цифры в QR-коде скана подписанного бумажного протокола отличаются от "
                   "электронного протокола.",
                   "The figures in the QR code of the signed paper protocol's scan differ from the "
                   "electronic protocol.")),
    Criterion("I12", "amended_after_publication", WEAK,
              Text("Жарияланғаннан кейін өзгертілген", "Изменён после публикации",
                   "Amended after publication"),
              Text("Түпкілікті хаттама жарияланғаннан кейін комиссия шешімімен өзгертілді. Заңды "
                   "түзету болуы мүмкін; шешім мен себеп дәлелде көрсетілген.",
                   "Окончательный протокол изменён решением комиссии после публикации. Может быть "
                   "законным исправлением; решение и причина указаны.",
                   "The definitive protocol was changed by a commission decision after it was "
                   "published. It may be a lawful correction; the decision and reason are shown.")),
    Criterion("I13", "late_submission", WEAK,
              Text("Кеш берілген", "Поздняя сдача", "Late submission"),
              Text("Хаттама дауыс беру аяқталғаннан кейін 12 сағаттан астам уақыт өткенде "
                   "түпкілікті болды (заң бойынша санау 12 сағаттан аспауы тиіс). Кешігу "
                   "сандарды түзетуге уақыт береді; бірақ байланыс пен жол да себеп болуы мүмкін.",
                   "Протокол стал окончательным более чем через 12 часов после закрытия участка "
                   "(по закону подсчёт длится не более 12 часов). Задержка даёт время подогнать "
                   "цифры, но причиной может быть и связь, и дорога.",
                   "The protocol became definitive more than 12 hours after the polls closed (the "
                   "law allows the count at most 12 hours). Delay gives time to adjust figures, but "
                   "communications or travel can also cause it.")),
    Criterion("I14", "negative_observer_assessment", WEAK,
              Text("Бақылаушылардың теріс бағасы", "Отрицательная оценка наблюдателей",
                   "Negative observer assessments"),
              Text("Бақылаушылар учаскедегі дауыс беруді немесе санауды теріс бағалады.",
                   "Наблюдатели оценили голосование или подсчёт на участке отрицательно.",
                   "Observers assessed the voting or the count at the station negatively.")),
    Criterion("I15", "incidents", WEAK,
              Text("Оқиғалар", "Инциденты", "Incidents"),
              Text("Учаскеде бақылаушылар оқиға тіркеді (бақылауға кедергі, тәртіп бұзу т.б.).",
                   "На участке наблюдатели зарегистрировали инциденты (воспрепятствование "
                   "наблюдению, нарушения порядка и т.п.).",
                   "Observers reported incidents at the station (obstruction of observers, breaches "
                   "of procedure and the like).")),
    Criterion("I16", "stuffing_signature", STRONG,
              Text("Келу де, жетекшінің үлесі де округ ішінде жоғары",
                   "И явка, и доля лидера высоки для своего округа",
                   "Turnout and the leader's share both high in the district"),
              Text("Жетекшіге бюллетень қосылғанда келу де, оның үлесі де бірге өседі. Учаскенің "
                   "екеуі де аудан медианасынан тұрақты z-бағасы бойынша шектен жоғары, ал шек "
                   "сайлаудың өз сандарынан алынған: екеуі де сонша төмен учаскелер кездейсоқтықты "
                   "бағалайды, ал жоғарыдағылардың оннан бірінен аспайды (Barber & Candès, 2015). "
                   "Немесе бақылаушы санау кезінде сайлаушылардан көп бюллетень көрді, ал екі "
                   "бағаның әрқайсысы 1,28-ден жоғары. Белсенді ауылдар да осылай көрінуі мүмкін: "
                   "тексеру үшін себеп.",
                   "При вбросе за лидера явка и его доля растут вместе. Обе выше медианы района по "
                   "робастной z-оценке сверх порога, взятого из цифр самих выборов: участки, где "
                   "обе настолько же ниже медианы, оценивают случайные совпадения, и их не больше "
                   "десятой доли участков выше порога (Barber & Candès, 2015). Или наблюдатель на "
                   "подсчёте видел бюллетеней больше, чем избирателей, а обе оценки выше 1,28. Так "
                   "же могут выглядеть активные сёла: это повод проверить.",
                   "Ballots added for the leader raise the turnout and the leader's share together. "
                   "Both are above the district's medians by more robust z-scores than a bar taken "
                   "from the election's own figures: the stations as far below on both estimate "
                   "the chance ones, and they are at most a tenth of the stations above the bar "
                   "(Barber & Candès, 2015). Or an observer at the count saw more ballots than "
                   "voters and both z-scores exceed 1.28. Very engaged villages can look the same: "
                   "a reason to check, not a proof.")),
    Criterion("I17", "verified_reading_differs", STRONG,
              Text("Ресми хаттама қағаздың тексерілген оқылуынан өзгеше",
                   "Официальный протокол отличается от проверенного прочтения бумаги",
                   "The official protocol differs from the verified reading of the paper"),
              Text("Кемінде екі ерікті бір-бірінен тәуелсіз қағаз хаттаманың суретінен (скан "
                   "немесе бақылаушының фотосы) бірдей сандарды терді, ал жарияланған сандар "
                   "басқа. Сандар қол қойылғаннан кейін өзгертілген болуы мүмкін; сурет пен екі "
                   "сан қатар көрсетілген.",
                   "Не менее двух волонтёров независимо друг от друга набрали одинаковые цифры с "
                   "изображения бумажного протокола (скан или фото наблюдателя), а "
                   "опубликованные цифры другие. Цифры могли измениться после подписания; "
                   "изображение и обе цифры показаны рядом.",
                   "At least two volunteers, each without seeing the other's reading, typed the "
                   "same figures from an image of the paper protocol (a scan or an observer's "
                   "photo), and the published figures differ. The figures may have changed "
                   "after signing; the image and both figures are shown side by side.")),
    Criterion("I18", "count_not_on_video", WEAK,
              Text("Санау бейнежазбамен толық қамтылмаған",
                   "Подсчёт не полностью покрыт видеозаписью",
                   "The count is not fully covered by video"),
              Text("Учаскеде камера тіркелген, бірақ дауыс беру аяқталғаннан хаттамаға қол "
                   "қойылғанға дейінгі уақытта бейнежазбасы жоқ аралық бар немесе соңғы жазба "
                   "қол қойылмай тұрып аяқталған. Санаудың бұл бөлігін ешкім тексере алмайды. "
                   "Себебі камераның ақауы, электр үзілуі немесе жүктелмеген файл болуы мүмкін.",
                   "На участке зарегистрирована камера, но между закрытием голосования и "
                   "подписанием протокола есть промежуток без записи, или последняя запись "
                   "кончается до подписания. Эту часть подсчёта никто не может проверить. "
                   "Причиной может быть сбой камеры, отключение питания или незагруженный файл.",
                   "The station has a registered camera, but between the close of the polls and "
                   "the signing of the protocol there is a stretch with no recording, or the last "
                   "recording ends before the signing. Nobody can check that part of the count. "
                   "A camera fault, a power cut or a file not yet uploaded can also cause it.")),
    Criterion("I19", "observer_count_exceeded", STRONG,
              Text("Берілген бюллетеньдер бақылаушының санағынан көп",
                   "Выдано больше бюллетеней, чем насчитал наблюдатель",
                   "More ballots issued than the observer counted voters"),
              Text("Учаскедегі бақылаушы дауыс беру аяқталғанда кітаптағы бюллетень алған "
                   "сайлаушыларды санады; ресми хаттамада берілген бюллетеньдер одан айтарлықтай "
                   "көп (басқа учаскелердегі айырмашылықтан 3,5 тұрақты z-бағасынан артық және "
                   "кемінде 5 бюллетень). Бұл — жәшікке бюллетень салудың ең күшті белгісі; басқа "
                   "түсіндірме тек бақылаушының санау қатесі.",
                   "Наблюдатель на участке к закрытию пересчитал по книге избирателей, получивших "
                   "бюллетени; в официальном протоколе выдано заметно больше (разница выше, чем "
                   "на других участках, более чем на 3,5 робастной z-оценки и не меньше 5 "
                   "бюллетеней). Это сильнейший признак вброса; другое объяснение — только ошибка "
                   "подсчёта наблюдателя.",
                   "The observer at the station counted, from the book at the close, the voters who "
                   "had received ballots; the official protocol says markedly more were issued "
                   "(the difference is more than 3.5 robust z-scores above that of the other "
                   "counted stations, and at least 5 ballots). This is the strongest sign of "
                   "ballot stuffing; the only other explanation is the observer's miscount.")),
    Criterion("I20", "turnout_share_both_high", WEAK,
              Text("Келу де, үлес те жоғары (сайлау бойынша шекке жетпейді)",
                   "И явка, и доля лидера высоки (ниже порога выборов)",
                   "Turnout and the leader's share both high (below the election's bar)"),
              Text("Келу де, жетекшінің үлесі де аудан медианасынан 1,86 тұрақты z-бағасынан "
                   "жоғары: таза учаскелердің мыңнан біреуінде ғана екеуі бірге болады, бірақ бұл "
                   "сайлауда екеуі де сонша төмен учаскелер де аз емес, сондықтан тек бақылау "
                   "үшін. Тізімде ең жоғарылары бірінші.",
                   "И явка, и доля лидера выше медианы района более чем на 1,86 робастной "
                   "z-оценки: у чистых участков оба сразу — примерно один из тысячи, но на этих "
                   "выборах немало участков, где оба настолько же ниже, поэтому только для "
                   "наблюдения. В списке самые высокие идут первыми.",
                   "Turnout and the leader's share are both more than 1.86 robust z-scores above the "
                   "district's medians: both at once happens at about one clean station in a "
                   "thousand, but this election has enough stations as far below on both that it "
                   "is only to watch. The highest come first in the list.")),
    Criterion("I21", "stuffing_joint", STRONG,
              Text("Келу мен жетекшінің үлесі бірге ұқсас учаскелерден жоғары",
                   "Явка и доля лидера вместе выше, чем у похожих участков",
                   "Turnout and the leader's share together above similar stations"),
              Text("Жетекшіге қосылған бюллетеньдер келуді де, оның үлесін де бірге көтереді. "
                   "Учаске сол аумақтағы өз түріндегі учаскелермен (қала, ауыл, арнаулы учаске) "
                   "салыстырылады; екі тұрақты z-бағаның (логиттер бойынша) √2-ге бөлінген қосындысы сайлаудың "
                   "өз сандарынан алынған шектен жоғары: қосындысы сонша төмен учаскелер "
                   "кездейсоқтықты бағалайды, ал жоғарыдағылардың оннан бірінен аспайды (Klimek "
                   "т.б., 2012; Barber & Candès, 2015). Немесе бақылаушы санау кезінде "
                   "сайлаушылардан көп бюллетень көрді, ал қосынды 2,33-тен жоғары. Белсенді "
                   "ауылдар да осылай көрінуі мүмкін: тексеру үшін себеп.",
                   "Бюллетени, добавленные за лидера, поднимают вместе и явку, и его долю. Участок "
                   "сравнивается с участками своего типа в той же территории (город, село, "
                   "специальный участок); сумма двух робастных z-оценок (по логитам, делённая на √2) выше "
                   "порога, взятого из цифр самих выборов: участки с такой же суммой ниже "
                   "медиан оценивают случайные совпадения, и их не больше десятой доли участков "
                   "выше порога (Klimek и др., 2012; Barber & Candès, 2015). Или наблюдатель на "
                   "подсчёте видел бюллетеней больше, чем избирателей, а сумма выше 2,33. Так же "
                   "могут выглядеть активные сёла: это повод проверить.",
                   "Ballots added for the leader raise the turnout and the leader's share "
                   "together. The station is compared with the stations of its kind in its "
                   "territory (town, village, special station); the sum of the two robust "
                   "z-scores (of the log-odds, divided by √2) is above a bar taken from the election's own "
                   "figures: the stations whose sum is as far below the medians estimate the "
                   "chance ones, and they are at most a tenth of the stations above the bar "
                   "(Klimek et al., 2012; Barber & Candès, 2015). Or an observer at the count saw "
                   "more ballots than voters and the sum exceeds 2.33. Very engaged villages can "
                   "look the same: a reason to check, not a proof.")),
    Criterion("I22", "fingerprint_outweighed_by_count", WEAK,
              Text("Келу мен үлес жоғары, бірақ бақылаушының санағы сәйкес",
                   "Явка и доля лидера высоки, но счёт наблюдателя сходится",
                   "Turnout and share high, but the observer's count agrees"),
              Text("Тек сандар бойынша учаске белгіленер еді: келу мен жетекшінің үлесі бірге "
                   "ұқсас учаскелерден жоғары. Бірақ учаскедегі бақылаушы бюллетень алған "
                   "сайлаушыларды дауыс беру жабылғанға дейін санады, ал хаттамадағы берілген "
                   "бюллетеньдер оның санағынан аспайды. Бұл белгі берілген бюллетеньдермен "
                   "жабылған қосылған бюллетеньдерді білдіреді, ал санаған жалғыз адам артық "
                   "сайлаушы көрмеді: учаске белгіленбейді, бақылауда қалады. Белсенді учаске де "
                   "осылай көрінеді.",
                   "По одним цифрам участок был бы отмечен: явка и доля лидера вместе выше, чем "
                   "у похожих участков. Но наблюдатель на участке до закрытия считал "
                   "избирателей, получивших бюллетени, и выданных по протоколу бюллетеней не "
                   "больше его счёта. Этот признак означает вброс, прикрытый выдачей бюллетеней, "
                   "а единственный, кто считал, лишних избирателей не видел: участок не "
                   "отмечается, а остаётся под наблюдением. Так выглядит и просто активный "
                   "участок.",
                   "The figures alone would flag this station: turnout and the leader's share "
                   "together above similar stations. But an observer at the station counted the "
                   "voters who received ballots up to the close, and the protocol's ballots "
                   "issued do not exceed that count. The fingerprint stands for ballots added and "
                   "covered by issued ballots, and the one person who counted saw no such "
                   "voters: the station is kept on watch, not flagged. A busy station looks the "
                   "same.")),
    Criterion("I23", "issued_after_evening", STRONG,
              Text("Кешкі хабардан кейін бюллетень тым көп берілген",
                   "После вечернего сообщения выдано слишком много бюллетеней",
                   "Too many ballots issued after the evening report"),
              Text("Комиссия күні бойы ОСК сұрайтын сағаттарда бюллетень алғандар санын "
                   "хабарлайды. Бұл учаскеде сағат 18:00-дегі хабардан кейін берілген "
                   "бюллетеньдердің үлесі ұқсас учаскелерге қарағанда әлдеқайда көп (2023 жылы ел "
                   "бойынша күннің бюллетеньдерінің 2 %-ы ғана 18:00-ден кейін берілді). Соңғы "
                   "сағаттарда келмеген сайлаушылардың атынан қол қойылған немесе санау кезінде "
                   "қосылған бюллетеньдер осылай көрінеді. Кешке көп адам келетін учаске (мысалы, "
                   "жұмыстан кейін) немесе 18:00-де қате хабарланған сан да осылай көрінуі мүмкін; "
                   "жабылғанға дейін сайлаушыларды санаған бақылаушының санағы мұны шешеді.",
                   "Комиссия в течение дня сообщает, сколько избирателей получили бюллетени, в "
                   "часы, которые запрашивает ЦИК. На этом участке доля бюллетеней, выданных после "
                   "сообщения в 18:00, намного выше, чем у похожих участков (в 2023 году по стране "
                   "после 18:00 выдано лишь 2 % бюллетеней за день). Так выглядят бюллетени, "
                   "выданные в последние часы по подписям за не пришедших избирателей или "
                   "добавленные при подсчёте. Так же может выглядеть участок, куда много людей "
                   "приходит вечером (например, после работы), или число, ошибочно сообщённое в "
                   "18:00; это решает счёт наблюдателя, считавшего избирателей до закрытия.",
                   "Through the day the commission reports how many voters have received ballots, "
                   "at the hours the CEC asks for. At this station the share of ballots issued "
                   "after the 18:00 report is far above similar stations' (in 2023 only 2 % of the "
                   "day's ballots nationwide came after 18:00). Ballots signed for in the name of "
                   "absent voters in the last hours, or added at the count, look like this. So "
                   "may a station where many vote in the evening (after work) or a figure "
                   "misreported at 18:00; an observer who counted voters up to the close settles "
                   "it.")),
)
BY_KEY = {c.key: c for c in CRITERIA}
BY_CODE = {c.code: c for c in CRITERIA}


def worded(criterion: Criterion, wording) -> Criterion:
    """The criterion in the words of a contest's kind (`law.kinds.Wording.criteria`, a
    vocabulary of `criteria_words`): a referendum's page reads of participation and the
    majority answer, not of turnout and a leader. `wording` None: the catalogue's words."""
    vocabulary = criteria_words.VOCABULARIES.get(getattr(wording, "criteria", None)) or {}
    name, explanation = vocabulary.get(criterion.code, (None, None))
    return replace(criterion, name=name or criterion.name,
                   explanation=explanation or criterion.explanation)


def of_kind(wording) -> tuple[Criterion, ...]:
    """Every criterion, in the words of the kind whose `Wording` is `wording`."""
    return tuple(worded(c, wording) for c in CRITERIA)

RULES: tuple[dict, ...] = (
    {"status": FLAGGED, "rule": "R1",
     "text": Text("кемінде бір күшті критерий", "хотя бы один сильный критерий",
                  "at least one strong criterion")},
    {"status": WATCH, "rule": "R2",
     "text": Text("тек әлсіз критерийлер", "только слабые критерии", "weak criteria only")},
    {"status": CLEAR, "rule": "R3",
     "text": Text("ешбір критерий жоқ", "ни одного критерия", "no criterion")},
)
