"""Every refusal code (`Code`) and what it means in kk, ru and en (`MESSAGES`): the one
catalogue of the error model (sailau.errors, which re-exports both). Clients match on a code;
its meaning never changes. Every code has its text in each language (tests/test_errors.py walks
the enum), so a refusal whose raiser gave only an English message still reads in the page's
language."""

from __future__ import annotations

from enum import StrEnum

from sailau.errors.register_texts import FILE_TEXTS, ROW_TEXTS
from sailau.languages import Text


class Code(StrEnum):
    """Refusal codes. Clients match on these; their meaning never changes."""

    BAD_INPUT = "bad_input"
    BAD_QUERY = "bad_query"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    NOT_ALLOWED = "not_allowed"
    UNAUTHORIZED = "unauthorized"
    RATE_LIMITED = "rate_limited"
    # a request's body that did not arrive in time, refused before the application sees it
    # (sailau.bodyfirst)
    REQUEST_TIMEOUT = "request.timeout"
    # the protocol chain
    CHAIN_ERROR = "chain_error"
    TRANSITION = "transition"
    ENTRY_REJECTED = "entry_rejected"
    ENTRY_HAS_ERRORS = "entry_has_errors"
    WARNINGS_NOT_ACKNOWLEDGED = "warnings_not_acknowledged"
    ENTRY_TAKEN = "entry_taken"
    SECOND_ENTRY_SAME_USER = "second_entry_same_user"
    ENTRY_ALREADY_FINALISED = "entry_already_finalised"
    FIRST_ENTRY_NOT_FINALISED = "first_entry_not_finalised"
    ENTRIES_DIFFERENT = "entries_different"
    DEFINITIVE = "definitive"
    NOTHING_TO_RESOLVE = "nothing_to_resolve"
    COORDINATOR_TYPED_ENTRY = "coordinator_typed_entry"
    ENTRY_NUMBER = "entry_number"
    NOTHING_TO_DISCARD = "nothing_to_discard"
    # publication
    UNKNOWN_ELECTION = "unknown_election"
    UNKNOWN_COMMISSION = "unknown_commission"
    UNKNOWN_STATION = "unknown_station"
    UNKNOWN_CONTEST = "unknown_contest"
    STATION_NOT_IN_ELECTION = "station_not_in_election"
    STATION_NOT_IN_CONTEST = "station_not_in_contest"
    NOT_PUBLISHED = "not_published"
    # observation
    NOT_DEPLOYED = "not_deployed"
    UUID_CONFLICT = "uuid_conflict"
    # voters
    DEADLINE_PASSED = "deadline_passed"
    TOO_EARLY = "too_early"
    NOT_ON_LIST = "not_on_list"
    ALREADY_LISTED = "already_listed"
    NOT_ADDABLE = "not_addable"  # a same-day addition refused: nothing said of where or why
    ALREADY_REDEEMED = "already_redeemed"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    NOT_ELECTION_DAY = "not_election_day"
    NOT_ELIGIBLE = "not_eligible"
    SAME_STATION = "same_station"
    DUPLICATE = "duplicate"
    REQUIRED = "required"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    # structure and complaints
    STRUCTURE = "structure"
    # files
    STORAGE_UNAVAILABLE = "storage_unavailable"
    # commission-held keys and the commission's own signature
    KEY_INVALID = "key_invalid"
    KEY_WEAK = "key_weak"
    KEY_ACTIVE = "key_active"
    KEY_NOT_CONFIRMED = "key_not_confirmed"
    KEY_CONFIRMED = "key_confirmed"
    KEY_REVOKED = "key_revoked"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_VERSION = "signature_version"
    NOTHING_TO_SIGN = "nothing_to_sign"
    ALREADY_SIGNED = "already_signed"
    AWAITING_SIGNATURE = "awaiting_signature"
    NOT_ABOVE = "not_above"  # a commission neither the station's own nor the one above it

    # the protocol chain, continued
    RESOLUTION = "resolution"
    NOT_DEFINITIVE = "not_definitive"
    CONCURRENT_CHANGE = "concurrent_change"
    SIGNING_KEY_UNAVAILABLE = "signing_key_unavailable"
    UNKNOWN_TALLY = "unknown_tally"
    # observation, continued
    ALREADY_OBSERVER = "already_observer"
    COMMISSION_MEMBER = "commission_member"
    NOT_ACCREDITED = "not_accredited"
    TOO_LONG = "too_long"
    NOT_AN_IMAGE = "not_an_image"
    # an observer's photo, refused by the upload check (sailau.uploads) for its size or shape
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    PIXELS = "pixels"
    PAGES = "pages"
    # every uploaded file (sailau.uploads)
    UPLOAD_EMPTY = "upload.empty"
    UPLOAD_TOO_LARGE = "upload.too_large"
    UPLOAD_TYPE = "upload.type"
    UPLOAD_PIXELS = "upload.pixels"
    UPLOAD_PAGES = "upload.pages"
    UPLOAD_CORRUPT = "upload.corrupt"
    # a resumable video upload (sailau.api.tus) past the account's quota of unfinished bytes
    UPLOAD_QUOTA = "upload.quota"
    # protocol scans (sailau.scans): the upload codes, and what a scan is checked against
    SCAN_EMPTY = "scan.empty"
    SCAN_TOO_LARGE = "scan.too_large"
    SCAN_TYPE = "scan.type"
    SCAN_PIXELS = "scan.pixels"
    SCAN_PAGES = "scan.pages"
    SCAN_CORRUPT = "scan.corrupt"
    SCAN_NOT_IN_ELECTION = "scan.not_in_election"
    SCAN_NO_PROTOCOL = "scan.no_protocol"
    SCAN_OTHER_STATION = "scan.other_station"
    SCAN_OTHER_CONTEST = "scan.other_contest"
    # video recordings (sailau.video)
    NOT_VIDEO = "not_video"
    TRUNCATED = "truncated"
    HASH_MISMATCH = "hash_mismatch"
    OTHER_STATION = "other_station"
    NO_START_TIME = "no_start_time"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    OFFSET_MISMATCH = "offset_mismatch"
    BEYOND_LENGTH = "beyond_length"
    LENGTH_REQUIRED = "length_required"
    CAMERA_REMOVED = "camera_removed"
    NO_FFPROBE = "no_ffprobe"
    TERMINATED = "terminated"
    ABANDONED = "abandoned"  # untouched for hours, its staged bytes removed (a sweep)
    # turnout reported through the day (sailau.turnout)
    TURNOUT_HOUR = "turnout.hour"
    TURNOUT_REPORTED = "turnout.reported"
    TURNOUT_ORDER = "turnout.order"
    TURNOUT_CLOSED = "turnout.closed"
    TURNOUT_EARLY = "turnout.early"  # before its hour (sailau.law.turnout_hours.window)
    TURNOUT_LATE = "turnout.late"  # past its hour's window
    # a presidential second round (sailau.elections.rounds, sailau.law.rounds)
    NO_SECOND_ROUND = "no_second_round"
    SECOND_ROUND_EXISTS = "second_round_exists"
    SECOND_ROUND_DATE = "second_round_date"
    # a register extract's row (sailau.register.extract; texts in errors/register_texts.py)
    ENCODING, CONTROL, FORMAT, CENTURY, DATE = "encoding", "control", "format", "century", "date"
    UNUSABLE, CHECK_DIGIT, FUTURE, TOO_OLD = "unusable", "check_digit", "future", "too_old"
    IIN_MISMATCH, INVALID_CHARS = "iin_mismatch", "invalid_chars"
    NOT_BOOLEAN, DUPLICATE_IIN = "not_boolean", "duplicate_iin"
    # a register extract that cannot be read as a whole (sailau.register.extract.ExtractError)
    EXTRACT_EMPTY = "extract.empty"
    EXTRACT_ENCODING = "extract.encoding"
    EXTRACT_MISSING_COLUMNS = "extract.missing_columns"
    EXTRACT_REPEATED_COLUMNS = "extract.repeated_columns"

# What a code means, in each language: shown when the raiser gave only an English message.
MESSAGES: dict[str, dict[str, str]] = {
    Code.BAD_INPUT: Text("Енгізілген деректер қате", "Неверные входные данные", "Invalid input"),
    Code.BAD_QUERY: Text("Іздеу сұрауы қате", "Неверный поисковый запрос", "Invalid search query"),
    Code.NOT_FOUND: Text("Сұралған нысан табылмады", "Запрошенный объект не найден",
                         "Not found"),
    Code.CONFLICT: Text("Сұрау ағымдағы күймен қайшы келеді",
                        "Запрос противоречит текущему состоянию",
                        "The request conflicts with the current state"),
    Code.NOT_ALLOWED: Text("Бұл әрекетке құқығыңыз жоқ", "У вас нет права на это действие",
                           "You are not allowed to do this"),
    Code.UNAUTHORIZED: Text("Жүйеге кіру қажет", "Требуется вход в систему",
                            "Authentication required"),
    Code.RATE_LIMITED: Text("Сұраулар тым көп; кейінірек қайталаңыз",
                            "Слишком много запросов; повторите позже",
                            "Too many requests; try again later"),
    Code.REQUEST_TIMEOUT: Text("Сұрау тым баяу келді; қайта жіберіңіз",
                               "Запрос пришёл слишком медленно; отправьте его снова",
                               "The request arrived too slowly; send it again"),
    Code.ENTRY_HAS_ERRORS: Text("Енгізуде қателер бар", "Во вводе есть ошибки",
                                "The entry has errors"),
    Code.WARNINGS_NOT_ACKNOWLEDGED: Text("Ескертулерді растау қажет",
                                         "Предупреждения нужно подтвердить",
                                         "Warnings must be acknowledged"),
    Code.ENTRY_TAKEN: Text("Бұл енгізуді басқа пайдаланушы теріп жатыр",
                           "Этот ввод набирает другой пользователь",
                           "This entry is being typed by another user"),
    Code.SECOND_ENTRY_SAME_USER: Text("Екінші енгізуді басқа пайдаланушы теруі керек",
                                      "Второй ввод должен сделать другой пользователь",
                                      "The second entry needs a different user"),
    Code.ENTRY_ALREADY_FINALISED: Text("Бұл енгізу аяқталған", "Этот ввод уже завершён",
                                       "This entry is already finalised"),
    Code.FIRST_ENTRY_NOT_FINALISED: Text("Алдымен бірінші енгізу аяқталуы керек",
                                         "Сначала нужно завершить первый ввод",
                                         "The first entry must be finalised first"),
    Code.ENTRIES_DIFFERENT: Text("Екі енгізу әртүрлі: үйлестіруші шешуі керек",
                                 "Два ввода различаются: решает координатор",
                                 "The two entries differ: a coordinator must resolve them"),
    Code.DEFINITIVE: Text("Хаттама түпкілікті: тек түзету арқылы өзгереді",
                          "Протокол окончательный: изменяется только поправкой",
                          "The protocol is definitive: it changes only by an amendment"),
    # What a page shows for a raiser's English message that names ids (a station, a contest).
    Code.UNKNOWN_ELECTION: Text("Мұндай сайлау жоқ", "Таких выборов нет", "No such election"),
    Code.UNKNOWN_COMMISSION: Text("Бұл сайлауда мұндай комиссия жоқ",
                                  "В этих выборах нет такой комиссии",
                                  "No such commission in this election"),
    Code.UNKNOWN_STATION: Text("Мұндай сайлау учаскесі жоқ", "Такого избирательного участка нет",
                               "No such polling station"),
    Code.UNKNOWN_CONTEST: Text("Мұндай сайлау түрі жоқ", "Таких выборов (бюллетеня) нет",
                               "No such contest"),
    Code.STATION_NOT_IN_ELECTION: Text("Бұл учаске осы сайлауға жатпайды",
                                       "Этот участок не относится к этим выборам",
                                       "This station is not in the election of this contest"),
    Code.STATION_NOT_IN_CONTEST: Text("Бұл учаскеде осы сайлау түрі бойынша дауыс берілмейді",
                                      "На этом участке не голосуют по этим выборам",
                                      "This station does not vote in this contest"),
    Code.DEADLINE_PASSED: Text("Заңда белгіленген мерзім өтіп кетті",
                               "Установленный законом срок истёк",
                               "The legal deadline has passed"),
    Code.NOT_DEPLOYED: Text("Сіз бұл учаскеге жіберілмегенсіз",
                            "Вы не направлены на этот участок",
                            "You are not deployed to this station"),
    Code.STORAGE_UNAVAILABLE: Text(
        "Файлдар қоймасы қазір қолжетімсіз: файл сақталмады. Біраздан кейін қайталаңыз.",
        "Хранилище файлов сейчас недоступно: файл не сохранён. Повторите немного позже.",
        "File storage is unavailable right now: the file was not stored. Try again shortly."),
    Code.KEY_INVALID: Text("Бұл Ed25519 ашық кілті емес (32 байт, base64)",
                           "Это не открытый ключ Ed25519 (32 байта, base64)",
                           "This is not an Ed25519 public key (32 bytes, base64)"),
    Code.KEY_WEAK: Text("Бұл кілт жарамсыз: кіші ретті немесе канондық емес жазылған Ed25519 "
                        "нүктесі, онымен бір қолтаңба кез келген құжатқа жарай береді. Жаңа "
                        "кілт жасаңыз",
                        "Этот ключ непригоден: точка Ed25519 малого порядка или в "
                        "неканонической записи, с ней одна подпись подошла бы к любому "
                        "документу. Создайте новый ключ",
                        "This key cannot be used: an Ed25519 point of small order or in a "
                        "non-canonical encoding, with which one signature would verify for "
                        "anything. Make a new key"),
    Code.KEY_ACTIVE: Text("Комиссияның өз кілті бар: алдымен оны кері қайтарып алыңыз",
                          "У комиссии уже есть свой ключ: сначала отзовите его",
                          "The commission already has a key of its own: revoke it first"),
    Code.KEY_NOT_CONFIRMED: Text("Комиссияның кілтін жоғары тұрған комиссия әлі растамаған",
                                 "Ключ комиссии ещё не подтверждён вышестоящей комиссией",
                                 "The commission's key is not yet confirmed by the commission "
                                 "above"),
    Code.KEY_CONFIRMED: Text("Бұл кілт расталған", "Этот ключ уже подтверждён",
                             "This key is already confirmed"),
    Code.KEY_REVOKED: Text("Бұл кілт кері қайтарылған", "Этот ключ отозван",
                           "This key has been revoked"),
    Code.SIGNATURE_INVALID: Text("Қолтаңба осы хаттамаға сәйкес келмейді: цифрлар, нұсқа немесе "
                                 "кілт басқа",
                                 "Подпись не соответствует этому протоколу: другие цифры, версия "
                                 "или ключ",
                                 "The signature does not verify over this protocol: other "
                                 "figures, another version or another key"),
    Code.SIGNATURE_VERSION: Text("Қолтаңба хаттаманың басқа нұсқасына арналған",
                                 "Подпись относится к другой версии протокола",
                                 "The signature is for another version of the protocol"),
    Code.NOTHING_TO_SIGN: Text("Қол қоюды күтетін хаттама жоқ",
                               "Нет протокола, ожидающего подписи",
                               "No protocol is awaiting the commission's signature"),
    Code.ALREADY_SIGNED: Text("Хаттамаға комиссияның басқа мүшесі немесе оған қол қоя алатын "
                              "басқа комиссия қол қойып қойған",
                              "Протокол уже подписан другим членом комиссии или другой "
                              "комиссией, которая может его подписать",
                              "The protocol has already been signed by another member or by the "
                              "other commission that may sign it"),
    Code.NOT_ABOVE: Text("Бұл комиссия учаскенің хаттамасына қол қоя алмайды: оған учаскелік "
                         "комиссияның өзі немесе оны қағаздан енгізген жоғары тұрған комиссия "
                         "ғана қол қояды",
                         "Эта комиссия не может подписать протокол участка: его подписывает "
                         "только сама участковая комиссия или вышестоящая комиссия, которая "
                         "ввела его с бумаги",
                         "This commission may not sign the station's protocol: only the "
                         "station's own commission, or the commission above that typed it from "
                         "the paper, signs it"),
    Code.AWAITING_SIGNATURE: Text("Хаттама комиссияның қолтаңбасын күтуде",
                                  "Протокол ожидает подписи комиссии",
                                  "The protocol is awaiting the commission's signature"),
    Code.METHOD_NOT_ALLOWED: Text("Бұл мекенжай бұл HTTP әдісін қабылдамайды",
                                  "Этот адрес не принимает этот HTTP-метод",
                                  "This address does not accept this HTTP method"),
    Code.CHAIN_ERROR: Text("Хаттаманы өңдеу мүмкін болмады", "Протокол не удалось обработать",
                           "The protocol could not be processed"),
    Code.TRANSITION: Text("Хаттаманың қазіргі күйінде бұл қадам мүмкін емес",
                          "В текущем состоянии протокола этот шаг невозможен",
                          "This step is not possible in the protocol's current state"),
    Code.ENTRY_REJECTED: Text("Енгізу қабылданбады", "Ввод не принят", "The entry was refused"),
    Code.NOTHING_TO_RESOLVE: Text("Шешетін айырмашылық жоқ", "Нет расхождения, которое нужно решить",
                                  "There is no difference to resolve"),
    Code.COORDINATOR_TYPED_ENTRY: Text("Үйлестіруші өзі терген енгізу бойынша шешім қабылдамайды",
                                       "Координатор не решает спор о вводе, который набрал сам",
                                       "A coordinator does not resolve entries they typed"),
    Code.ENTRY_NUMBER: Text("Енгізу нөмірі 1 немесе 2 болуы керек",
                            "Номер ввода должен быть 1 или 2",
                            "The entry number must be 1 or 2"),
    Code.NOTHING_TO_DISCARD: Text("Жоятын енгізу жоқ", "Нет ввода, который можно отменить",
                                  "There is no entry to discard"),
    Code.RESOLUTION: Text("Шешім енгізулердің біреуін таңдауы немесе сандарды беруі керек",
                          "Решение должно выбрать один из вводов или дать цифры",
                          "A resolution must choose one of the entries or give the figures"),
    Code.NOT_DEFINITIVE: Text("Учаскенің бұл сайлау бойынша түпкілікті хаттамасы әлі жоқ",
                              "У участка ещё нет окончательного протокола по этим выборам",
                              "The station has no definitive protocol for this contest yet"),
    Code.CONCURRENT_CHANGE: Text("Хаттаманы осы уақытта басқа біреу өзгертті: қайталап көріңіз",
                                 "Протокол в это же время изменил кто-то другой: повторите",
                                 "Someone else changed the protocol at the same time: try again"),
    Code.SIGNING_KEY_UNAVAILABLE: Text("Комиссияның қол қою кілті қолжетімсіз",
                                       "Ключ подписи комиссии недоступен",
                                       "The commission's signing key is unavailable"),
    Code.UNKNOWN_TALLY: Text("Бұл комиссияда осы сайлаудың қорытындысы жоқ",
                             "У этой комиссии нет итогов этих выборов",
                             "This commission has no totals of this contest"),
    Code.NOT_PUBLISHED: Text("Сайлау нәтижелері әлі жарияланбаған",
                             "Результаты выборов ещё не опубликованы",
                             "The results have not been published yet"),
    Code.UUID_CONFLICT: Text("Бұл идентификатор басқа мазмұнмен жіберілген",
                             "Этот идентификатор уже отправлен с другим содержимым",
                             "This identifier was already sent with different content"),
    Code.ALREADY_OBSERVER: Text("Бұл пайдаланушы бақылаушы ретінде тіркелген",
                                "Этот пользователь уже зарегистрирован наблюдателем",
                                "This user is already registered as an observer"),
    Code.COMMISSION_MEMBER: Text("Комиссия мүшесі бақылаушы бола алмайды",
                                 "Член комиссии не может быть наблюдателем",
                                 "A member of a commission cannot be an observer"),
    Code.NOT_ACCREDITED: Text("Ұйым аккредиттелмеген", "Организация не аккредитована",
                              "The organisation is not accredited"),
    Code.TOO_LONG: Text("Мәтін тым ұзын", "Текст слишком длинный", "The text is too long"),
    Code.NOT_AN_IMAGE: Text("Файл сурет емес немесе бүлінген",
                            "Файл не является изображением или повреждён",
                            "The file is not an image or is damaged"),
    Code.TOO_EARLY: Text("Бұл әрекеттің мерзімі әлі басталған жоқ",
                         "Срок для этого действия ещё не начался",
                         "It is too early for this"),
    Code.NOT_ON_LIST: Text("Сайлаушы тізімде жоқ", "Избирателя нет в списке",
                           "The voter is not on the list"),
    Code.ALREADY_LISTED: Text("Сайлаушы тізімде бар", "Избиратель уже в списке",
                              "The voter is already listed"),
    Code.NOT_ADDABLE: Text("Бұл адамды осы учаскенің тізіміне қосу мүмкін емес: ол аумақтық "
                           "сайлау комиссиясына жүгінсін",
                           "Этого человека нельзя включить в список этого участка: пусть "
                           "обратится в территориальную избирательную комиссию",
                           "This person cannot be added to this station's list: they should "
                           "see the territorial election commission"),
    Code.ALREADY_REDEEMED: Text("Бұл куәлік бойынша дауыс берілген",
                                "По этому удостоверению уже проголосовали",
                                "This certificate has already been used"),
    Code.UNKNOWN_CERTIFICATE: Text("Мұндай сырттай дауыс беру куәлігі жоқ",
                                   "Такого открепительного удостоверения нет",
                                   "No such absentee certificate"),
    Code.NOT_ELECTION_DAY: Text("Бұл тек дауыс беру күні жасалады",
                                "Это делается только в день голосования",
                                "This is done on election day only"),
    Code.NOT_ELIGIBLE: Text("Сайлаушының дауыс беру құқығы жоқ",
                            "У избирателя нет права голоса",
                            "The voter is not eligible"),
    Code.SAME_STATION: Text("Сайлаушы осы учаскенің тізімінде тұр",
                            "Избиратель уже в списке этого участка",
                            "The voter is already on this station's list"),
    Code.DUPLICATE: Text("Бұл бұрын тіркелген", "Это уже зарегистрировано",
                         "This is already recorded"),
    Code.REQUIRED: Text("Міндетті өріс толтырылмаған", "Не заполнено обязательное поле",
                        "A required field is empty"),
    Code.INVALID: Text("Мәні қате", "Неверное значение", "The value is not valid"),
    Code.UNKNOWN: Text("Белгісіз мән", "Неизвестное значение", "The value is not known"),
    Code.STRUCTURE: Text("Сайлау құрылымын импорттау мүмкін емес: файлдарда қателер бар",
                         "Структуру выборов нельзя импортировать: в файлах есть ошибки",
                         "The election structure cannot be imported: the files have errors"),
    Code.EMPTY: Text("Файл бос", "Файл пуст", "The file is empty"),
    Code.TOO_LARGE: Text("Файл тым үлкен", "Файл слишком большой", "The file is too large"),
    Code.PIXELS: Text("Суреттің пиксельдері тым көп", "В изображении слишком много пикселей",
                      "The image has too many pixels"),
    Code.PAGES: Text("PDF-те беттер тым көп", "В PDF слишком много страниц",
                     "The PDF has too many pages"),
    Code.UPLOAD_EMPTY: Text("Файл бос", "Файл пуст", "The file is empty"),
    Code.UPLOAD_TOO_LARGE: Text("Файл тым үлкен", "Файл слишком большой", "The file is too large"),
    Code.UPLOAD_TYPE: Text("Файлдың түрі қабылданбайды (мазмұны бойынша)",
                           "Тип файла не принимается (по содержимому)",
                           "The file's type is not accepted (judged by its content)"),
    Code.UPLOAD_QUOTA: Text("Аяқталмаған жүктеулер тым көп орын алады: алдымен бастағандарыңызды "
                            "аяқтаңыз немесе тоқтатыңыз",
                            "Незавершённые загрузки занимают слишком много места: сначала "
                            "завершите или прервите начатые",
                            "Unfinished uploads take too much space: finish or end the ones "
                            "already started first"),
    Code.UPLOAD_PIXELS: Text("Суреттің пиксельдері тым көп", "В изображении слишком много пикселей",
                             "The image has too many pixels"),
    Code.UPLOAD_PAGES: Text("PDF-те беттер тым көп", "В PDF слишком много страниц",
                            "The PDF has too many pages"),
    Code.UPLOAD_CORRUPT: Text("Файл бүлінген немесе оқылмайды", "Файл повреждён или не читается",
                              "The file is damaged or cannot be read"),
    Code.SCAN_EMPTY: Text("Скан файлы бос", "Файл скана пуст", "The scan file is empty"),
    Code.SCAN_TOO_LARGE: Text("Скан файлы тым үлкен", "Файл скана слишком большой",
                              "The scan file is too large"),
    Code.SCAN_TYPE: Text("Скан PDF, JPEG немесе PNG емес", "Скан не является PDF, JPEG или PNG",
                         "The scan is not a PDF, JPEG or PNG"),
    Code.SCAN_PIXELS: Text("Сканның пиксельдері тым көп", "В скане слишком много пикселей",
                           "The scan has too many pixels"),
    Code.SCAN_PAGES: Text("Скан PDF-інде беттер тым көп", "В PDF скана слишком много страниц",
                          "The scan's PDF has too many pages"),
    Code.SCAN_CORRUPT: Text("Скан бүлінген немесе оқылмайды", "Скан повреждён или не читается",
                            "The scan is damaged or cannot be read"),
    Code.SCAN_NOT_IN_ELECTION: Text("Учаске бұл сайлауға кірмейді",
                                    "Участок не относится к этим выборам",
                                    "The station is not in this election"),
    Code.SCAN_NO_PROTOCOL: Text("Учаскенің түпкілікті хаттамасы әлі жоқ",
                                "У участка ещё нет окончательного протокола",
                                "The station has no definitive protocol yet"),
    Code.SCAN_OTHER_STATION: Text("Бұл басқа учаскенің хаттамасы",
                                  "Это протокол другого участка",
                                  "This is the protocol of another station"),
    Code.SCAN_OTHER_CONTEST: Text("Бұл басқа сайлаудың хаттамасы",
                                  "Это протокол других выборов",
                                  "This is the protocol of another contest"),
    # video recordings
    Code.TERMINATED: Text("Бұл жүктеу тоқтатылған", "Эта загрузка прекращена",
                          "This upload was ended"),
    Code.ABANDONED: Text("Бұл жүктеу ұзақ уақыт жалғаспады, жіберілген бөлігі өшірілді: файлды "
                         "қайта жіберіңіз",
                         "Эта загрузка долго не продолжалась, присланная часть удалена: "
                         "отправьте файл заново",
                         "This upload was left untouched too long and what was sent is removed: "
                         "send the file again"),
    Code.NOT_VIDEO: Text("Файл бейнежазба емес (ffprobe онда бейне ағынын таппады)",
                         "Файл не является видеозаписью (ffprobe не нашёл в нём видеопотока)",
                         "The file is not a video (ffprobe found no video stream in it)"),
    Code.TRUNCATED: Text("Бейнежазба толық емес немесе бүлінген: соңы жоқ",
                         "Видеозапись неполная или повреждена: у неё нет конца",
                         "The recording is truncated or corrupt: its end is missing"),
    Code.HASH_MISMATCH: Text("Файлдың SHA-256 хэші жарияланған хэшке сәйкес емес",
                             "SHA-256 файла не совпадает с заявленным",
                             "The file's SHA-256 does not match the declared one"),
    Code.OTHER_STATION: Text("Бейнежазба басқа учаскеге тиесілі",
                             "Видеозапись относится к другому участку",
                             "The recording belongs to another station"),
    Code.NO_START_TIME: Text("Бейнежазбаның басталу уақыты белгісіз (creation_time жоқ, "
                             "started_at берілмеген)",
                             "Неизвестно время начала записи (нет creation_time, не передан "
                             "started_at)",
                             "The recording's start time is unknown (no creation_time tag, no "
                             "started_at given)"),
    Code.CHECKSUM_MISMATCH: Text("Бөліктің бақылау сомасы сәйкес емес: бөлікті қайта жіберіңіз",
                                 "Контрольная сумма части не совпадает: отправьте часть заново",
                                 "The chunk's checksum does not match: send the chunk again"),
    Code.OFFSET_MISMATCH: Text("Upload-Offset серверде сақталған ығысуға сәйкес емес",
                               "Upload-Offset не совпадает со смещением на сервере",
                               "Upload-Offset does not match the offset kept by the server"),
    Code.LENGTH_REQUIRED: Text("Бөліктің ұзындығы (Content-Length) көрсетілмеген: оны көрсетіп, "
                               "бөлікті қайта жіберіңіз",
                               "Не указана длина части (Content-Length): отправьте часть снова с ней",
                               "The chunk's length (Content-Length) is missing: send the chunk again "
                               "with it"),
    Code.BEYOND_LENGTH: Text("Бөлік жарияланған файл ұзындығынан асады",
                             "Часть выходит за объявленную длину файла",
                             "The chunk goes beyond the declared length of the file"),
    Code.CAMERA_REMOVED: Text("Бұл камера тіркеуден шығарылған",
                              "Эта камера снята с учёта",
                              "This camera has been removed from the registry"),
    Code.NO_FFPROBE: Text("Серверде ffprobe жоқ (Debian-ның ffmpeg пакеті): бейнежазбаны тексеру "
                          "мүмкін емес",
                          "На сервере нет ffprobe (пакет ffmpeg из Debian): запись нельзя проверить",
                          "ffprobe (Debian's ffmpeg package) is missing on the server: the recording "
                          "cannot be checked"),
    # turnout reported through the day
    Code.TURNOUT_HOUR: Text("Бұл сағат үшін келу туралы мәлімет берілмейді: тек 12:00, 14:00, "
                            "16:00, 18:00 және 20:00",
                            "За этот час явка не сообщается: только 12:00, 14:00, 16:00, 18:00 "
                            "и 20:00",
                            "Turnout is not reported for this hour: only 12:00, 14:00, 16:00, "
                            "18:00 and 20:00"),
    Code.TURNOUT_EARLY: Text("Бұл сағаттың келуі әлі хабарланбайды: мәлімет сол сағаттан бастап "
                             "беріледі",
                             "Явку за этот час ещё нельзя сообщить: она сообщается начиная с "
                             "этого часа",
                             "Turnout for this hour cannot be reported yet: it is reported from "
                             "that hour on"),
    Code.TURNOUT_LATE: Text("Бұл сағаттың келуін хабарлау уақыты өтті: аумақтық сайлау "
                            "комиссиясына хабарлаңыз",
                            "Время сообщить явку за этот час прошло: сообщите в территориальную "
                            "избирательную комиссию",
                            "The time to report turnout for this hour is over: tell the "
                            "territorial election commission"),
    Code.TURNOUT_REPORTED: Text("Бұл сағаттың келуі хабарланып қойған; берілген мәлімет "
                                "өзгертілмейді",
                                "Явка за этот час уже сообщена; сообщённая цифра не меняется",
                                "Turnout for this hour has already been reported; a reported "
                                "figure is not changed"),
    Code.TURNOUT_ORDER: Text("Бюллетень алғандар саны ертерек сағаттағыдан аз немесе кейінгі "
                             "сағаттағыдан көп болмауы тиіс",
                             "Число получивших бюллетени не может быть меньше, чем в более ранний "
                             "час, или больше, чем в более поздний",
                             "The ballots issued cannot be fewer than at an earlier hour or more "
                             "than at a later one"),
    Code.TURNOUT_CLOSED: Text("Учаскенің хаттамасы енгізілген: күндізгі келу туралы мәлімет енді "
                              "қабылданбайды",
                              "Протокол участка уже введён: сведения о явке в течение дня больше "
                              "не принимаются",
                              "The station's protocol has been entered: turnout through the day "
                              "is no longer accepted"),
    Code.NO_SECOND_ROUND: Text("Бірінші турдың қорытындысы қайта дауыс беруді тағайындамайды",
                               "Итоги первого тура не назначают повторного голосования",
                               "The first round's outcome does not call a second round"),
    Code.SECOND_ROUND_EXISTS: Text("Бұл сайлаудың қайта дауыс беруі құрылып қойған",
                                   "Повторное голосование по этим выборам уже создано",
                                   "A second round of this election exists already"),
    Code.SECOND_ROUND_DATE: Text("Қайта дауыс беру күні заң белгілеген мерзімнен тыс",
                                 "День повторного голосования вне срока, установленного законом",
                                 "The second round's day is outside the term the law sets"),
}
MESSAGES.update({Code(code): text for code, text in (ROW_TEXTS | FILE_TEXTS).items()})
