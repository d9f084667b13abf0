"""Regions and localities an extract may name. The built-in list is the 20 first-level units
(17 oblasts and the three cities of republican significance, as since June 2022) with their
main towns; a real deployment loads the full KATO classifier with `Gazetteer.from_csv`.

Names are matched on their script-independent key (`translit.name_key`), so the Russian,
Kazakh and Latin spellings of a name all resolve; region words ("область", "облысы",
"region", "г.") are ignored."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from sailau.register.translit import name_key

# (Russian name, Kazakh name, English name, approximate population in thousands (2023, rounded;
# used only to weight the synthetic register), main localities in Russian).
REGIONS: list[tuple[str, str, str, int, tuple[str, ...]]] = [
    ("Астана", "Астана", "Astana", 1350, ("Астана",)),
    ("Алматы", "Алматы", "Almaty", 2200, ("Алматы",)),
    ("Шымкент", "Шымкент", "Shymkent", 1200, ("Шымкент",)),
    ("Абайская область", "Абай облысы", "Abai Region", 600, ("Семей", "Курчатов", "Аягоз", "Шар", "Урджар")),
    ("Акмолинская область", "Ақмола облысы", "Akmola Region", 790, ("Кокшетау", "Степногорск", "Щучинск", "Макинск", "Атбасар", "Есиль")),
    ("Актюбинская область", "Ақтөбе облысы", "Aktobe Region", 920, ("Актобе", "Хромтау", "Кандыагаш", "Шалкар", "Эмба")),
    ("Алматинская область", "Алматы облысы", "Almaty Region", 1500, ("Конаев", "Талгар", "Каскелен", "Есик", "Узынагаш")),
    ("Атырауская область", "Атырау облысы", "Atyrau Region", 690, ("Атырау", "Кульсары", "Макат")),
    ("Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "East Kazakhstan Region", 730, ("Усть-Каменогорск", "Риддер", "Алтай", "Шемонаиха", "Зайсан")),
    ("Жамбылская область", "Жамбыл облысы", "Jambyl Region", 1200, ("Тараз", "Шу", "Каратау", "Жанатас")),
    ("Жетысуская область", "Жетісу облысы", "Jetisu Region", 700, ("Талдыкорган", "Текели", "Жаркент", "Ушарал", "Сарканд")),
    ("Карагандинская область", "Қарағанды облысы", "Karaganda Region", 1130, ("Караганда", "Темиртау", "Балхаш", "Шахтинск", "Сарань", "Приозёрск")),
    ("Костанайская область", "Қостанай облысы", "Kostanay Region", 830, ("Костанай", "Рудный", "Лисаковск", "Аркалык", "Житикара")),
    ("Кызылординская область", "Қызылорда облысы", "Kyzylorda Region", 830, ("Кызылорда", "Аральск", "Казалинск")),
    ("Мангистауская область", "Маңғыстау облысы", "Mangystau Region", 760, ("Актау", "Жанаозен", "Форт-Шевченко")),
    ("Павлодарская область", "Павлодар облысы", "Pavlodar Region", 750, ("Павлодар", "Экибастуз", "Аксу")),
    ("Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "North Kazakhstan Region", 540, ("Петропавловск", "Булаево", "Сергеевка", "Мамлютка")),
    ("Туркестанская область", "Түркістан облысы", "Turkistan Region", 2100, ("Туркестан", "Кентау", "Арыс", "Сарыагаш", "Ленгер")),
    ("Улытауская область", "Ұлытау облысы", "Ulytau Region", 220, ("Жезказган", "Сатпаев", "Каражал")),
    ("Западно-Казахстанская область", "Батыс Қазақстан облысы", "West Kazakhstan Region", 690, ("Уральск", "Аксай")),
]

# Region words in any language become one token (so "Алматы облысы", the region, stays apart
# from "г. Алматы", the city); city words are dropped.
_REGION_WORDS = re.compile(r"(?<!\w)(область|облысы|обл|region|oblast|oblysy)(?!\w)\.?", re.IGNORECASE)
_CITY_WORDS = re.compile(r"(?<!\w)(город|қаласы|г|city|qalasy)(?!\w)\.?", re.IGNORECASE)


def place_key(name: str | None) -> str:
    """Key of a place name: qualifiers normalised, then the script-independent name key."""
    if not name:
        return ""
    name = _CITY_WORDS.sub(" ", _REGION_WORDS.sub(" obl ", name))
    return name_key(name)


@dataclass
class Gazetteer:
    """Canonical region names, their localities, and keys for every accepted spelling."""

    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical -> localities
    _region_by_key: dict[str, str] = field(default_factory=dict)
    _locality_keys: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, region: str, aliases: tuple[str, ...], localities: tuple[str, ...]) -> None:
        self.regions[region] = tuple(dict.fromkeys(self.regions.get(region, ()) + localities))
        for alias in (region, *aliases):
            self._region_by_key[place_key(alias)] = region
        keys = self._locality_keys.setdefault(region, {})
        for loc in localities:
            keys[place_key(loc)] = loc

    def region(self, name: str | None) -> str | None:
        """The canonical region for a spelling, or None if unknown."""
        return self._region_by_key.get(place_key(name))

    def locality(self, region: str, name: str | None) -> str | None:
        """The canonical locality of `region` for a spelling, or None if not in that region."""
        return self._locality_keys.get(region, {}).get(place_key(name))

    def region_keys(self) -> dict[str, str]:
        return dict(self._region_by_key)

    def locality_pairs(self) -> list[tuple[str, str]]:
        """(region, locality key) for every known locality: used by the vectorised validation."""
        return [(r, k) for r, keys in self._locality_keys.items() for k in keys]

    @classmethod
    def builtin(cls) -> Gazetteer:
        g = cls()
        for ru, kk, en, _pop, localities in REGIONS:
            g.add(ru, (kk, en), localities)
        return g

    @classmethod
    def from_csv(cls, path: str | Path) -> Gazetteer:
        """Columns `region, locality` (one row per locality; extra spellings in `aliases`,
        separated by '|', are accepted for the region)."""
        g = cls()
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                aliases = tuple(a for a in (row.get("aliases") or "").split("|") if a)
                g.add(row["region"], aliases, (row["locality"],))
        return g
