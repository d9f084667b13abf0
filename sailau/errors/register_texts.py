"""The texts of the population-register extract's codes (sailau.register.extract): a row's field
(`ROW_TEXTS`) and a file that cannot be read at all (`FILE_TEXTS`). Part of the one catalogue:
sailau.errors.catalogue adds them to `MESSAGES` under their `Code`. Kept apart only so that the
catalogue's module stays readable; keyed by the code's value."""

from sailau.languages import Text

ROW_TEXTS = {
    "encoding": Text("UTF-8 емес (файл Windows-1251 немесе басқа кодтауда болуы мүмкін)",
                     "не в кодировке UTF-8 (файл может быть в Windows-1251 или другой кодировке)",
                     "not valid UTF-8 (the file may be in Windows-1251 or another code page)"),
    "control": Text("басқару таңбасы бар (NUL, өріс ішіндегі табуляция, ...)",
                    "содержит управляющий символ (NUL, табуляция внутри поля, ...)",
                    "contains a control character (NUL, a tab inside a field, ...)"),
    "format": Text("ЖСН дәл 12 цифрдан тұруы тиіс", "ИИН должен состоять ровно из 12 цифр",
                   "IIN must be exactly 12 digits"),
    "century": Text("ЖСН-нің 7-цифры 1-6 ғасыр/жыныс коды емес",
                    "7-я цифра ИИН не является кодом века и пола 1-6",
                    "7th IIN digit is not a century/sex code 1-6"),
    "date": Text("мұндай күн жоқ", "невозможная дата", "impossible date"),
    "unusable": Text("бұл 11 цифрға бақылау цифры жоқ: мұндай ЖСН берілмеген",
                     "для этих 11 цифр нет контрольной цифры: такой ИИН не выдавался",
                     "no check digit exists for these 11 digits: never issued"),
    "check_digit": Text("ЖСН-нің бақылау цифры қате", "неверная контрольная цифра ИИН",
                        "IIN check digit is wrong"),
    "future": Text("туған күні болашақта", "дата рождения в будущем",
                   "birth date is in the future"),
    "too_old": Text("туған күні 1880 жылдан бұрын", "дата рождения раньше 1880 года",
                    "birth date before 1880"),
    "iin_mismatch": Text("ЖСН-ге сәйкес келмейді", "не совпадает с ИИН", "does not match the IIN"),
    "invalid_chars": Text("әріптен, дефистен, апострофтан немесе бос орыннан басқа таңбалар бар",
                          "содержит символы, кроме букв, дефиса, апострофа и пробела",
                          "contains characters that are not letters, hyphen, apostrophe or space"),
    "not_boolean": Text("күтілгені 1/0, true/false, yes/no, да/нет немесе иә/жоқ",
                        "ожидается 1/0, true/false, yes/no, да/нет или иә/жоқ",
                        "expected 1/0, true/false, yes/no, да/нет or иә/жоқ"),
    "duplicate_iin": Text("бұл ЖСН файлдың алдыңғы жолында қолданылған",
                          "этот ИИН уже указан в одной из предыдущих строк файла",
                          "IIN already used by an earlier row of this file"),
}

FILE_TEXTS = {
    "extract.empty": Text("Файл бос: бірінші жолда бағандар атаулары болуы тиіс",
                          "Файл пуст: в первой строке должны быть названия столбцов",
                          "The file is empty: expected a header line"),
    "extract.encoding": Text("Бағандар атаулары жолы UTF-8 емес (файл Windows-1251 кодтауында "
                             "болуы мүмкін)",
                             "Строка названий столбцов не в кодировке UTF-8 (файл может быть в "
                             "Windows-1251)",
                             "The header line is not UTF-8 (the file may be in Windows-1251)"),
    "extract.missing_columns": Text("Файлда мына бағандар жоқ", "В файле нет столбцов",
                                    "Columns missing from the file"),
    "extract.repeated_columns": Text("Бағандар атаулары жолында екі рет аталған бағандар",
                                     "Столбцы, названные дважды в строке названий",
                                     "Columns named twice in the header line"),
}
