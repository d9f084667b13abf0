"""The 17 territorial units of Kazakhstan between 2018 and June 2022 (14 oblasts and the cities
of Nur-Sultan, Almaty and Shymkent), where the early presidential election of 9 June 2019 and
the referendum of 5 June 2022 were held. The Abai, Zhetisu and Ulytau regions were carved out of
East Kazakhstan, Almaty and Karaganda regions by the Decree of the President of the RK No. 887,
"On some questions of the administrative-territorial structure", 3 May 2022, effective 8 June
2022: after the referendum. The capital was named Nur-Sultan from 23 March 2019 to 17 September
2022.

Voters are the 2023 regions' approximate numbers (`geography.REGIONS`) summed over the units
they were carved from: they only give the synthetic elections a realistic shape."""

from sailau.demo.geography import REGIONS as REGIONS_2023
from sailau.demo.geography import Region

_BY_EN = {r.en: r for r in REGIONS_2023}


def _from(code: str, en: str, *parts: str, kk=None, ru=None, en_name=None, center=None) -> Region:
    """A 2019 unit made of the 2023 units `parts` (the first named; its centre unless given)."""
    first = _BY_EN[parts[0]]
    rs = [_BY_EN[p] for p in parts]
    voters = sum(r.voters for r in rs)
    urban = sum(r.voters * r.urban_share for r in rs) / voters
    center_kk, center_ru = center or (first.center_kk, first.center_ru)
    return Region(code, kk or first.kk, ru or first.ru, en_name or en, center_kk, center_ru,
                  voters, sum(r.districts for r in rs), round(urban, 2), first.city)


REGIONS: tuple[Region, ...] = (
    _from("01", "Nur-Sultan city", "Astana city", kk="Нұр-Сұлтан қаласы", ru="город Нур-Султан",
          en_name="Nur-Sultan city", center=("Нұр-Сұлтан", "Нур-Султан")),
    _from("02", "Almaty city", "Almaty city"),
    _from("03", "Shymkent city", "Shymkent city"),
    _from("04", "Akmola Region", "Akmola Region"),
    _from("05", "Aktobe Region", "Aktobe Region"),
    # its centre was Taldykorgan until Zhetisu region was made of its north-east
    _from("06", "Almaty Region", "Almaty Region", "Jetisu Region",
          center=("Талдықорған", "Талдыкорган")),
    _from("07", "Atyrau Region", "Atyrau Region"),
    _from("08", "West Kazakhstan Region", "West Kazakhstan Region"),
    _from("09", "Jambyl Region", "Jambyl Region"),
    _from("10", "Karaganda Region", "Karaganda Region", "Ulytau Region"),
    _from("11", "Kostanay Region", "Kostanay Region"),
    _from("12", "Kyzylorda Region", "Kyzylorda Region"),
    _from("13", "Mangystau Region", "Mangystau Region"),
    _from("14", "Pavlodar Region", "Pavlodar Region"),
    _from("15", "North Kazakhstan Region", "North Kazakhstan Region"),
    _from("16", "Turkistan Region", "Turkistan Region"),
    _from("17", "East Kazakhstan Region", "East Kazakhstan Region", "Abai Region"),
)
CAPITAL = REGIONS[0]
