"""The 20 territorial units of 2023 (17 regions and 3 cities of republican significance) with
approximate numbers of registered voters and of districts/cities. Voter numbers are rounded
approximations of the 2023 lists (CEC reported about 12.0 million in total); they only need to
give the synthetic election a realistic shape."""

from dataclasses import dataclass

from sailau.register.names import feminine


@dataclass(frozen=True)
class Region:
    code: str
    kk: str
    ru: str
    en: str
    center_kk: str
    center_ru: str
    voters: int  # approximate registered voters
    districts: int  # district/city commissions
    urban_share: float  # share of voters in towns
    city: bool = False  # city of republican significance


REGIONS: tuple[Region, ...] = (
    Region("01", "Астана қаласы", "город Астана", "Astana city", "Астана", "Астана",
           800_000, 5, 1.0, True),
    Region("02", "Алматы қаласы", "город Алматы", "Almaty city", "Алматы", "Алматы",
           1_250_000, 8, 1.0, True),
    Region("03", "Шымкент қаласы", "город Шымкент", "Shymkent city", "Шымкент", "Шымкент",
           640_000, 5, 1.0, True),
    Region("04", "Абай облысы", "Абайская область", "Abai Region", "Семей", "Семей",
           420_000, 12, 0.55),
    Region("05", "Ақмола облысы", "Акмолинская область", "Akmola Region", "Көкшетау", "Кокшетау",
           520_000, 19, 0.45),
    Region("06", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Ақтөбе", "Актобе",
           580_000, 13, 0.65),
    Region("07", "Алматы облысы", "Алматинская область", "Almaty Region", "Қонаев", "Конаев",
           980_000, 10, 0.30),
    Region("08", "Атырау облысы", "Атырауская область", "Atyrau Region", "Атырау", "Атырау",
           420_000, 8, 0.55),
    Region("09", "Батыс Қазақстан облысы", "Западно-Казахстанская область",
           "West Kazakhstan Region", "Орал", "Уральск", 450_000, 13, 0.50),
    Region("10", "Жамбыл облысы", "Жамбылская область", "Jambyl Region", "Тараз", "Тараз",
           720_000, 11, 0.40),
    Region("11", "Жетісу облысы", "Жетысуская область", "Jetisu Region", "Талдықорған",
           "Талдыкорган", 470_000, 10, 0.40),
    Region("12", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "Қарағанды",
           "Караганда", 800_000, 14, 0.80),
    Region("13", "Қостанай облысы", "Костанайская область", "Kostanay Region", "Қостанай",
           "Костанай", 600_000, 18, 0.55),
    Region("14", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "Қызылорда",
           "Кызылорда", 500_000, 8, 0.45),
    Region("15", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Ақтау",
           "Актау", 460_000, 7, 0.60),
    Region("16", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "Павлодар",
           "Павлодар", 520_000, 13, 0.70),
    Region("17", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область",
           "North Kazakhstan Region", "Петропавл", "Петропавловск", 390_000, 14, 0.45),
    Region("18", "Түркістан облысы", "Туркестанская область", "Turkistan Region", "Түркістан",
           "Туркестан", 1_350_000, 18, 0.20),
    Region("19", "Ұлытау облысы", "Улытауская область", "Ulytau Region", "Жезқазған", "Жезказган",
           150_000, 5, 0.75),
    Region("20", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
           "East Kazakhstan Region", "Өскемен", "Усть-Каменогорск", 520_000, 12, 0.65),
)

# Syllables for village and street names that read as Kazakh place names.
PLACE_ROOTS = [
    "Ақ", "Қара", "Сары", "Көк", "Қызыл", "Жаңа", "Ескі", "Үлкен", "Кіші", "Алтын", "Күміс",
    "Бай", "Құм", "Тас", "Су", "Жел", "Тау", "Шөл", "Ай", "Күн",
]
PLACE_TAILS = [
    "бұлақ", "жол", "су", "тау", "қайың", "төбе", "арық", "көл", "өзек", "жар", "ағаш", "құдық",
    "шоқы", "сай", "дала", "қорған", "бел", "қоныс", "терек", "өткел",
]
# Kazakh → Russian transliteration of the few letters that differ, for the Russian spellings.
KK_TO_RU = str.maketrans({"Ә": "А", "ә": "а", "Ғ": "Г", "ғ": "г", "Қ": "К", "қ": "к", "Ң": "Н",
                          "ң": "н", "Ө": "О", "ө": "о", "Ұ": "У", "ұ": "у", "Ү": "У", "ү": "у",
                          "Һ": "Х", "һ": "х", "І": "И", "і": "и"})
# Russian → Latin for the English spellings of places, as English maps write them (BGN/PCGN:
# "Жезказган" → "Zhezkazgan", "Усть-Каменогорск" → "Ust-Kamenogorsk").
RU_TO_EN = str.maketrans({**{c: lat for c, lat in zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye")},
                          "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
                          "ё": "yo", "ю": "yu", "я": "ya", "ъ": "", "ь": ""})


def latin(ru: str) -> str:
    """The English spelling of a place from its Russian one."""
    return "".join(c.lower().translate(RU_TO_EN).capitalize() if c.isupper()
                   else c.translate(RU_TO_EN) for c in ru.translate(KK_TO_RU))


# Streets: the Kazakh name, then the Russian one as Russian street signs and addresses write it
# (a street named after a person takes the genitive, "ул. Абая"; a word stays as it is spelt in
# Russian letters, "ул. Достык").
STREETS = [
    ("Абай", "Абая"), ("Әуезов", "Ауэзова"), ("Сәтбаев", "Сатпаева"), ("Қонаев", "Кунаева"),
    ("Төле би", "Толе би"), ("Қабанбай батыр", "Кабанбай батыра"),
    ("Бөгенбай батыр", "Богенбай батыра"), ("Жамбыл", "Жамбыла"), ("Достық", "Достык"),
    ("Тәуелсіздік", "Тауелсиздик"), ("Бейбітшілік", "Бейбитшилик"), ("Мектеп", "Мектеп"),
    ("Орталық", "Орталык"), ("Жастар", "Жастар"), ("Желтоқсан", "Желтоксан"),
    ("Абылай хан", "Абылай хана"), ("Байтұрсынұлы", "Байтурсынова"),
    ("Шоқан Уәлиханов", "Шокана Валиханова"), ("Құнанбаев", "Кунанбаева"), ("Наурыз", "Наурыз"),
]
SPECIAL_PLACES = [
    ("аурухана", "больница"), ("перзентхана", "роддом"), ("әскери бөлім", "воинская часть"),
    ("тергеу изоляторы", "следственный изолятор"), ("санаторий", "санаторий"),
    ("вахталық кент", "вахтовый посёлок"),
]
ABROAD_CITIES = [
    ("Мәскеу", "Москва", "Moscow"), ("Санкт-Петербург", "Санкт-Петербург", "Saint Petersburg"),
    ("Бішкек", "Бишкек", "Bishkek"), ("Ташкент", "Ташкент", "Tashkent"),
    ("Анкара", "Анкара", "Ankara"), ("Стамбұл", "Стамбул", "Istanbul"),
    ("Берлин", "Берлин", "Berlin"), ("Лондон", "Лондон", "London"),
    ("Вашингтон", "Вашингтон", "Washington"), ("Нью-Йорк", "Нью-Йорк", "New York"),
    ("Бейжің", "Пекин", "Beijing"), ("Сеул", "Сеул", "Seoul"), ("Дубай", "Дубай", "Dubai"),
    ("Париж", "Париж", "Paris"), ("Рим", "Рим", "Rome"), ("Минск", "Минск", "Minsk"),
]
FIRST_NAMES_M = ["Ерлан", "Нұрлан", "Асқар", "Бауыржан", "Дәурен", "Серік", "Қайрат", "Арман",
                 "Мұрат", "Ержан", "Айдос", "Тимур", "Сергей", "Александр", "Виктор"]
FIRST_NAMES_F = ["Айгүл", "Гүлнар", "Жанар", "Динара", "Ләззат", "Сәуле", "Әсел", "Меруерт",
                 "Айжан", "Салтанат", "Елена", "Ольга", "Наталья", "Мадина", "Аружан"]
SURNAMES = ["Ахметов", "Омаров", "Сейітов", "Жұмабаев", "Тоқаев", "Бекмұханбетов", "Нұрланов",
            "Қасымов", "Әлиев", "Сұлтанов", "Иванов", "Петров", "Ким", "Абдуллаев", "Есенов",
            "Мұхаметжанов", "Серікбаев", "Исабеков", "Оспанов", "Байжанов"]


def person_name(rnd, woman: bool) -> str:
    """`rnd` is a random.Random: picking from short lists is much faster there than in numpy."""
    first = rnd.choice(FIRST_NAMES_F if woman else FIRST_NAMES_M)
    last = rnd.choice(SURNAMES)
    return f"{feminine(last) if woman else last} {first}"
