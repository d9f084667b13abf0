"""What the volunteer pages, the station page and the refusals of this app say, as `Text`s
(kept beside the code that shows them, like the law's own texts). A page reads `PAGE` in its
language with `sailau.languages.page_words`, the refusals are raised with their `Text`."""

from sailau.languages import Text

RATE_LIMITED = Text(
    "Тым жиі жіберілді: {seconds} секундтан кейін қайталаңыз.",
    "Слишком часто: повторите через {seconds} с.",
    "Too many readings in a short time: try again in {seconds} seconds.")
NOT_VOLUNTEER = Text("Алдымен ерікті болып тіркеліңіз.",
                     "Сначала зарегистрируйтесь как волонтёр.",
                     "Become a volunteer first.")
NO_TASK = Text("Бұл тапсырма сізге берілмеген.", "Это задание выдано не вам.",
               "This task was not given to you.")
TASK_DONE = Text("Бұл тапсырма жабылған (терілген немесе мерзімі өткен).",
                 "Это задание закрыто (уже набрано или истекло).",
                 "This task is closed (already typed, or it expired).")
UNKNOWN_STATION = Text("Мұндай учаске жоқ: {station}.", "Нет такого участка: {station}.",
                       "No such station: {station}.")
NOT_MODERATOR = Text("Мұны тек ОСК әкімшісі шеше алады.",
                     "Это решает только администратор ЦИК.",
                     "Only a CEC administrator decides this.")
NOTHING_TO_MODERATE = Text("Бұл сурет модераторды күтпейді.", "Это изображение не ждёт модератора.",
                           "This image is not waiting for a moderator.")
NO_MISMATCH = Text("Бұл суреттің тексерілген оқылуы ресми хаттамадан өзгеше емес: шағым жоқ.",
                   "Проверенное прочтение этого изображения не расходится с официальным "
                   "протоколом: жалобы нет.",
                   "This image's verified reading does not differ from the official protocol: "
                   "there is nothing to complain of.")
NOT_FINDER = Text("Бұл шағымды көшірме өзінікі бақылаушы немесе оқылуы расталған ерікті ғана "
                  "бере алады.",
                  "Эту жалобу может подать только наблюдатель, чья это копия, или волонтёр, "
                  "чьё прочтение подтверждено.",
                  "Only the observer whose copy this is, or a volunteer whose reading was "
                  "confirmed, may file this complaint.")

# The pages' words, by key; `page(lang)` gives a template {key: text}.
PAGE = {
    "title": Text("Қағазды тексеру: еріктілер", "Проверка по бумаге: волонтёры",
                  "Checking the paper: volunteers"),
    "intro": Text(
        "Еріктілер әр жарияланған суреттен (қол қойылған хаттаманың сканы немесе бақылаушының "
        "көшірмесінің фотосы) сандарды қайта тереді. Әр суретті кемінде екі ерікті бір-бірін "
        "көрмей тереді; екі бірдей оқылу тексерілген оқылу болады және ресми хаттамамен "
        "салыстырылады. Ерікті ресми сандарды да, басқалардың оқылуын да көрмейді.",
        "Волонтёры заново набирают цифры с каждого опубликованного изображения (скан "
        "подписанного протокола или фото копии наблюдателя). Каждое изображение набирают не "
        "менее двух волонтёров, не видя друг друга; два одинаковых прочтения становятся "
        "проверенным прочтением и сравниваются с официальным протоколом. Волонтёр не видит ни "
        "официальных цифр, ни прочтений других.",
        "Volunteers re-type the figures of every published image (a scan of the signed protocol "
        "or an observer's photo of the copy). Each image is typed by at least two volunteers "
        "who do not see each other's work; two equal readings make its verified reading, "
        "which is compared with the official protocol. A volunteer sees neither the official "
        "figures nor anyone else's reading."),
    "handwritten": Text(
        "Бақылаушылардың көшірмелеріндегі қолжазба сандарды машина оқымайды: оларды тек "
        "еріктілер оқиды.",
        "Рукописные цифры копий наблюдателей машина не читает: их читают только волонтёры.",
        "Handwritten figures on observers' copies are not read by machine: only volunteers "
        "read them."),
    "sign_in": Text("Ерікті болу үшін кіріңіз", "Войдите, чтобы стать волонтёром",
                    "Sign in to volunteer"),
    "join": Text("Ерікті болу", "Стать волонтёром", "Become a volunteer"),
    "start": Text("Келесі суретті теру", "Набрать следующее изображение", "Type the next image"),
    "you": Text("Сіз еріктісіз", "Вы волонтёр", "You are a volunteer"),
    "typed": Text("терілген", "набрано", "typed"),
    "confirmed": Text("расталған", "подтверждено", "confirmed"),
    "reputation": Text("бедел", "репутация", "reputation"),
    "claims": Text("Менің учаскелерім («мен осыны бақылаймын»)",
                   "Мои участки («я слежу за этим»)", "My stations (\"I watch this one\")"),
    "claims_help": Text("Бұл учаскелердің суреттері сізге бірінші беріледі.",
                        "Изображения этих участков вы получаете первыми.",
                        "You get these stations' images first."),
    "claim": Text("Қосу", "Добавить", "Add"),
    "unclaim": Text("Алып тастау", "Убрать", "Remove"),
    "station_number": Text("Учаске нөмірі", "Номер участка", "Station number"),
    "election": Text("Сайлау", "Выборы", "Election"),
    "stats": Text("Аумақтар бойынша статистика", "Статистика по территориям",
                  "Statistics by territory"),
    "csv": Text("CSV жүктеу", "Скачать CSV", "Download CSV"),
    "territory": Text("Аумақ", "Территория", "Territory"),
    "total": Text("Барлығы", "Всего", "Total"),
    "images": Text("Суреттер", "Изображения", "Images"),
    "verified": Text("Тексерілген", "Проверено", "Verified"),
    "matches": Text("Сәйкес", "Совпадают", "Match"),
    "mismatches": Text("Сәйкес емес", "Не совпадают", "Differ"),
    "superseded": Text("Ескі нұсқа", "Старая версия", "Earlier version"),
    "moderation": Text("Модераторда", "У модератора", "With a moderator"),
    "duplicates": Text("Қайталанған фото", "Повторные фото", "Duplicate photos"),
    # Statistics by territory: stations and voters (stats.STATION_COLUMNS).
    "with_copy": Text("Бақылаушы көшірмесі бар учаскелер", "Участки с копией наблюдателя",
                      "Stations with an observer's copy"),
    "with_verified_scan": Text("Сканы тексерілген учаскелер", "Участки с проверенным сканом",
                               "Stations with a verified scan"),
    "copy_differs": Text("Көшірмесі ресми хаттамадан өзгеше", "Копия расходится с официальным "
                                                              "протоколом", "Copy differs from the official protocol"),
    "copy_not_posted": Text("Көшірме ілінбеген (бақылаушы бойынша)",
                            "Копия не вывешена (по словам наблюдателя)",
                            "Copy not posted (as an observer answered)"),
    "voters_counted_at": Text("Бақылаушы сайлаушыларды санаған учаскелер",
                              "Участки, где наблюдатель считал избирателей",
                              "Stations where an observer counted voters"),
    "voters_observed": Text("Бақылаушылар санаған сайлаушылар", "Избиратели по подсчёту "
                                                                "наблюдателей", "Voters counted by observers"),
    "voters_official": Text("Сол учаскелердегі ресми қатысу", "Официальная явка на тех же "
                                                              "участках", "Official turnout at the same stations"),
    "stats_help": Text(
        "Әр жол — аумақ, соңғысы — барлығы. Бақылаушылар санаған сайлаушылар ресми қатысудан "
        "аз болса, бұл қосылған бюллетендерге ұқсайды.",
        "Каждая строка — территория, последняя — итог. Если наблюдатели насчитали меньше "
        "избирателей, чем официальная явка, так выглядят вброшенные бюллетени.",
        "Each row is a territory, the last one the total. Fewer voters counted by observers "
        "than the official turnout is what stuffed ballots look like."),
    "json": Text("JSON жүктеу", "Скачать JSON", "Download JSON"),
    "no_images": Text("Әзірге сурет жоқ.", "Изображений пока нет.", "No images yet."),
    "task_title": Text("Суреттегі сандарды теріңіз", "Наберите цифры с изображения",
                       "Type the figures on the image"),
    "task_help": Text(
        "Қағазда жазылғанды теріңіз, тіпті сандар бір-біріне сәйкес келмесе де. Бақылау "
        "қатынастары теру қатесін табуға көмектеседі: «Тексеру» түймесі не бұзылғанын "
        "көрсетеді.",
        "Набирайте то, что написано на бумаге, даже если цифры не сходятся между собой. "
        "Контрольные соотношения помогают найти опечатку: кнопка «Проверить» покажет, что "
        "нарушено.",
        "Type what the paper says, even where its figures do not add up. The control "
        "relations help you find a typing slip: \"Check\" shows what is broken."),
    # Machines read only what the system printed (QR code, printed digits);
    # handwriting is people's work, and the pages say so rather than guess.
    "handwriting": Text(
        "Қолмен жазылған сандарды (бақылаушылардың көшірмелері) машина емес, еріктілер "
        "оқиды. Жүйе өзі басып шығарған хаттаманың QR кодын және басылған сандарын ғана "
        "машинамен оқиды.",
        "Рукописные цифры (копии наблюдателей) читают волонтёры, а не машина. Машина читает "
        "только QR-код и печатные цифры протокола, напечатанного самой системой.",
        "Handwritten figures (observers' copies) are read by volunteers, not by machines. "
        "Machines read only the QR code and the printed digits of a protocol the system "
        "printed itself."),
    "image_alt": Text("Хаттаманың суреті", "Изображение протокола", "Image of the protocol"),
    "full_size": Text("Суретті толық өлшемде ашу", "Открыть изображение в полном размере",
                      "Open the image at full size"),
    "scan": Text("қол қойылған хаттаманың сканы", "скан подписанного протокола",
                 "scan of the signed protocol"),
    "copy": Text("бақылаушының көшірмесінің фотосы", "фото копии наблюдателя",
                 "observer's photo of the copy"),
    "lines": Text("Хаттама жолдары", "Строки протокола", "Protocol lines"),
    "votes": Text("Дауыстар", "Голоса", "Votes"),
    "check": Text("Тексеру", "Проверить", "Check"),
    "send": Text("Жіберу", "Отправить", "Send"),
    "cannot_read": Text("Оқи алмаймын", "Не могу прочитать", "I cannot read it"),
    "relations_ok": Text("Барлық бақылау қатынастары орындалады.",
                         "Все контрольные соотношения выполняются.",
                         "All control relations hold."),
    "relations_broken": Text("Бұзылған бақылау қатынастары (қағазда солай болса, жібере беріңіз):",
                             "Нарушенные контрольные соотношения (если так на бумаге, отправляйте):",
                             "Broken control relations (if the paper says so, send it anyway):"),
    "no_task": Text("Қазір сізге арналған сурет жоқ. Рақмет!",
                    "Сейчас для вас изображений нет. Спасибо!",
                    "There is no image for you right now. Thank you!"),
    "thanks": Text("Рақмет, оқылу сақталды.", "Спасибо, прочтение сохранено.",
                   "Thank you, your reading is saved."),
    "evidence_title": Text("Тексерілген оқылу және ресми хаттама",
                           "Проверенное прочтение и официальный протокол",
                           "Verified reading and the official protocol"),
    "line": Text("Жол", "Строка", "Line"),
    "paper": Text("Қағазда (тексерілген оқылу)", "На бумаге (проверенное прочтение)",
                  "On the paper (verified reading)"),
    "official": Text("Ресми хаттама", "Официальный протокол", "Official protocol"),
    "match_text": Text(
        "Ресми сандар қағаздағымен сәйкес келеді: {n} ерікті тексерді.",
        "Официальные цифры совпадают с тем, что на бумаге: проверено волонтёрами ({n}).",
        "The official figures match what the paper says, checked by {n} volunteers."),
    "mismatch_text": Text(
        "Ресми сандар қағаздағыдан өзгеше ({n} ерікті бірдей оқыды).",
        "Официальные цифры отличаются от того, что на бумаге (одинаково прочли волонтёры: {n}).",
        "The official figures differ from what the paper says ({n} volunteers read it alike)."),
    "superseded_text": Text(
        "Бұл сурет хаттаманың {version}-нұсқасына жатады; қазіргі нұсқа — {current}.",
        "Это изображение версии {version} протокола; текущая версия — {current}.",
        "This image is of version {version} of the protocol; the current version is {current}."),
    "no_official_text": Text("Ресми хаттама әлі жоқ.", "Официального протокола ещё нет.",
                             "There is no official protocol yet."),
    "open_text": Text("Еріктілер әлі теріп жатыр.", "Волонтёры ещё набирают.",
                      "Volunteers are still typing it."),
    "checking_text": Text(
        "Қайта тексерілуде: ресми сандардан айырмашылық туралы хабарланбас бұрын, қағазды "
        "үшінші ерікті теріп жатыр.",
        "Проверяется ещё раз: прежде чем сообщить о расхождении с официальными цифрами, "
        "бумагу набирает третий волонтёр.",
        "Being checked again: a third volunteer types the paper before any difference from "
        "the official figures is reported."),
    "moderation_text": Text("Оқылулар әртүрлі немесе сурет оқылмайды: модератор шешеді.",
                            "Прочтения расходятся или изображение нечитаемо: решает модератор.",
                            "The readings differ or the image cannot be read: a moderator decides."),
    "duplicate_text": Text("Бұл фото басқа учаскенің суретімен бірдей: № {number} учаске.",
                           "Это фото совпадает с изображением другого участка: № {number}.",
                           "This photo is the same as another station's image: station {number}."),
    "details": Text("Сурет пен сандар", "Изображение и цифры", "Image and figures"),
    "moderate": Text("Модератордың оқылуы", "Прочтение модератора", "Moderator's reading"),
    "station": Text("Учаске", "Участок", "Station"),
    "complaint_title": Text("Сәйкессіздік туралы шағым", "Жалоба о расхождении",
                            "Complaint about the mismatch"),
    "complaint_offer": Text("Сіз бұл сәйкессіздікті таптыңыз: шағым дайын, тексеріп жіберіңіз.",
                            "Вы нашли это расхождение: жалоба готова, проверьте и отправьте.",
                            "You found this mismatch: a complaint is ready for you to check "
                            "and file."),
    "complaint_to": Text("Қайда: {body} (жоғары тұрған комиссия)",
                         "Куда: {body} (вышестоящая комиссия)",
                         "To: {body} (the higher commission)"),
    "complaint_against": Text("Кімге қарсы: {name}", "На кого: {name}", "Against: {name}"),
    "complaint_deadline": Text(
        "Шағым беру мерзімі: {date} дейін (ресми сандар {event} бекітілді; заң бойынша "
        "{days} күн).",
        "Подать жалобу можно до {date} (официальные цифры утверждены {event}; по закону "
        "{days} дней).",
        "File by {date} (the official figures were made definitive on {event}; the law "
        "gives {days} days)."),
    "complaint_late": Text("Мерзім өтті: шағым қабылданады, бірақ кешіккен деп белгіленеді.",
                           "Срок прошёл: жалобу примут, но отметят как поданную с опозданием.",
                           "The term has passed: the complaint is accepted but marked late."),
    "complaint_due": Text("Шешім мерзімі: {date} ({days} күн).",
                          "Решение должно быть принято до {date} ({days} дн.).",
                          "A decision is due by {date} ({days} days)."),
    "complaint_evidence": Text("Қоса беріледі: сурет және екі сан да (төменде).",
                               "Прилагается: изображение и обе цифры (ниже).",
                               "Attached: the image, and both figures (below)."),
    "complaint_name": Text("Атыңыз", "Ваше имя", "Your name"),
    "complaint_contact": Text("Байланыс", "Контакт", "Contact"),
    "complaint_text_label": Text("Шағым мәтіні", "Текст жалобы", "Text of the complaint"),
    "complaint_file": Text("Шағым беру", "Подать жалобу", "File the complaint"),
    "complaint_line": Text("«{line}» жолы: қағазда {paper}, ресми хаттамада {official}.",
                           "Строка «{line}»: на бумаге {paper}, в официальном протоколе "
                           "{official}.",
                           "Line \"{line}\": {paper} on the paper, {official} in the official "
                           "protocol."),
    "complaint_text": Text(
        "№ {number} учаскенің ресми хаттамасы учаскелік комиссия қол қойған қағаздан өзгеше. "
        "Дәлел: {source}, оны {n} ерікті бір-бірін көрмей бірдей оқыды.\n{lines}\n"
        "Сандарды қағаз бойынша тексеріп, ресми хаттаманы түзетуді сұраймын.",
        "Официальный протокол участка № {number} отличается от бумаги, подписанной участковой "
        "комиссией. Доказательство: {source}, одинаково прочитанное волонтёрами ({n}), не "
        "видевшими друг друга.\n{lines}\nПрошу проверить цифры по бумаге и исправить "
        "официальный протокол.",
        "The official protocol of station {number} differs from the paper its precinct "
        "commission signed. Evidence: the {source}, read alike by {n} volunteers who did not "
        "see each other's work.\n{lines}\nI ask that the figures be checked against the "
        "paper and the official protocol corrected."),
    "volunteer_section": Text("Қағаз бойынша тексеру", "Проверка по бумаге",
                              "Checked against the paper"),
}


# The statistics' words where the kind counts participants, not voters (a referendum's, whose
# `law.kinds.Wording` names its count of those who came): participation, not turnout.
PARTICIPANTS = {
    "voters_counted_at": Text("Бақылаушы қатысушыларды санаған учаскелер",
                              "Участки, где наблюдатель считал участников",
                              "Stations where an observer counted participants"),
    "voters_observed": Text("Бақылаушылар санаған қатысушылар",
                            "Участники по подсчёту наблюдателей",
                            "Participants counted by observers"),
    "voters_official": Text("Сол учаскелердегі ресми қатысу", "Официальное участие на тех же "
                            "участках", "Official participation at the same stations"),
    "stats_help": Text(
        "Әр жол — аумақ, соңғысы — барлығы. Бақылаушылар санаған қатысушылар ресми қатысудан "
        "аз болса, бұл қосылған бюллетендерге ұқсайды.",
        "Каждая строка — территория, последняя — итог. Если наблюдатели насчитали меньше "
        "участников, чем официальное участие, так выглядят вброшенные бюллетени.",
        "Each row is a territory, the last one the total. Fewer participants counted by "
        "observers than the official participation is what stuffed ballots look like."),
}


def catalogue(election=None) -> dict:
    """The pages' texts, in the words of the chosen `election`'s kind where it has its own (a
    referendum's: the label over the list of votes, participants counted); read in a language
    by `languages.page_words`."""
    words = election.wording() if election else None
    own = {**({"election": words.vote} if words.vote else {}),
           **(PARTICIPANTS if words.counted else {})} if words else {}
    return {**PAGE, **own}
