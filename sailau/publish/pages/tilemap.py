"""A tile map of the territories: one equal square per territorial commission, placed roughly
where the territory lies (the project owns this small layout, so no boundary data is needed),
coloured by the leading choice, by turnout or by the share of stations reported.

A territory is found by its commission's name (in Kazakh, Russian or English), never by its
number: numbers differ between elections (the CEC numbered 17 territories in June 2022 and 20
since), names do not. The layout knows the 17 territories of 5 June 2022 (14 regions, Nur-Sultan,
Almaty and Shymkent) and the 20 since Abai, Zhetisu and Ulytau regions were formed on 8 June 2022
(Decree of the President of the RK No. 887 of 3 May 2022, "On some questions of the
administrative-territorial structure"); an election is drawn with the tiles of the territories
its structure has, so the 2022 map has no Abai square. A territory the layout does not know, or
whose name could be two places, is listed beside the map with its figures (`beside`), never
drawn under another's label: the map never hides a commission."""

import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sailau.elections.models import Commission, Contest, spellings
from sailau.languages import Text, texts
from sailau.law.figures import FOUND, base, share
from sailau.law.figures import turnout as exact_turnout
from sailau.protocols.models import Tally
from sailau.publish.pages.colors import choice_colors

T = texts("publish.pages.tilemap")


@dataclass(frozen=True)
class Place:
    x: int  # column, west to east
    y: int  # row, north to south
    abbr: Text
    # Lower-case stems of its names (Kazakh, Russian in any case ending, English), any of which
    # names it: "акмолин" is in "Акмолинская область" and "Акмолинской области".
    stems: tuple[str, ...]


# Seven columns, four rows. Almaty is a region and a city: the region words tell them apart
# (`_ALMATY`). Astana was named Nur-Sultan from March 2019 to September 2022.
PLACES: dict[str, Place] = {
    "WKO": Place(0, 0, T("WKO"),
                 ("батыс қазақстан", "западно-казахстан", "west kazakhstan")),
    "KOS": Place(2, 0, T("KOS"), ("қостанай", "костанай", "kostanay", "qostanay")),
    "NKO": Place(3, 0, T("NKO"),
                 ("солтүстік қазақстан", "северо-казахстан", "north kazakhstan")),
    "PAV": Place(4, 0, T("PAV"), ("павлодар", "pavlodar")),
    "ATY": Place(0, 1, T("ATY"), ("атырау", "atyrau")),
    "AKT": Place(1, 1, T("AKT"), ("ақтөбе", "актюбин", "актобе", "aktobe", "aqtobe")),
    "ULY": Place(2, 1, T("ULY"), ("ұлытау", "улытау", "ulytau")),
    "AKM": Place(3, 1, T("AKM"), ("ақмола", "акмол", "akmola", "aqmola")),
    "AST": Place(4, 1, T("AST"), ("астана", "astana", "нұр-сұлтан", "нур-султан", "nur-sultan")),
    "ABA": Place(5, 1, T("ABA"), ("абай", "abai", "abay")),
    "EKO": Place(6, 1, T("EKO"),
                 ("шығыс қазақстан", "восточно-казахстан", "east kazakhstan")),
    "MAN": Place(0, 2, T("MAN"), ("маңғыстау", "мангистау", "мангыстау", "mangystau", "mangistau")),
    "KYZ": Place(1, 2, T("KYZ"), ("қызылорда", "кызылорд", "kyzylorda", "qyzylorda")),
    "TUR": Place(2, 2, T("TUR"), ("түркістан", "туркестан", "turkistan", "turkestan")),
    "KAR": Place(3, 2, T("KAR"), ("қарағанды", "караганд", "karaganda", "qaraghandy")),
    "ALR": Place(4, 2, T("ALR"), ()),  # see _ALMATY
    "JET": Place(5, 2, T("JET"), ("жетісу", "жетысу", "jetisu", "zhetisu")),
    "SHY": Place(2, 3, T("SHY"), ("шымкент", "shymkent")),
    "JAM": Place(3, 3, T("JAM"), ("жамбыл", "jambyl", "zhambyl")),
    "ALM": Place(4, 3, T("ALM"), ()),  # see _ALMATY
}
_ALMATY = ("алмат", "almaty")
# The capital's square under the name of its day: an election of 2019-2022 was Nur-Sultan's.
_NUR_SULTAN = (("нұр-сұлтан", "нур-султан", "nur-sultan"), T("NUR"))
_REGION = re.compile(r"облыс|област|region|oblys")


def place_of(c: Commission) -> str | None:
    """The key in PLACES of a territorial commission, from its names; None when no place or
    more than one is named (it is then listed beside the map)."""
    names = [n.lower() for n in spellings(c, "name").values() if n]
    text = " | ".join(names)
    found = {key for key, p in PLACES.items() if any(stem in text for stem in p.stems)}
    if any(stem in text for stem in _ALMATY):
        found.add("ALR" if any(_REGION.search(n) for n in names if
                               any(stem in n for stem in _ALMATY)) else "ALM")
    return found.pop() if len(found) == 1 else None


COLUMNS, ROWS = 7, 4
TILE, GAP = 60, 4

NO_RESULTS = "#eeeeee"  # a territory with nothing counted: no colour
TIE = "#bdbdbd"
# Sequential scales, light to dark: (lower bound in percent, colour).
TURNOUT_SCALE = ((0, "#deebf7"), (40, "#9ecae1"), (55, "#4292c6"), (70, "#2171b5"),
                 (85, "#08306b"))
REPORTING_SCALE = ((0, "#e5f5e0"), (25, "#a1d99b"), (50, "#74c476"), (75, "#31a354"),
                   (100, "#00441b"))



@dataclass
class Tile:
    commission: Commission
    x: int | None  # pixels; None: listed beside the map
    y: int | None
    abbr: str
    reported: int
    expected: int
    turnout: float | None
    reporting: float  # percent of stations reported
    leader: str | None  # the leading choice's name; None when nothing is counted
    leader_share: float | None
    tied: list[str]
    colors: dict  # mode -> fill
    text: dict  # mode -> text colour readable on the fill

    @property
    def counted(self) -> bool:
        return self.leader is not None or bool(self.tied)


def _scale(scale, value: float | None) -> str:
    if value is None:
        return NO_RESULTS
    color = scale[0][1]
    for bound, c in scale:
        if value >= bound:
            color = c
    return color


def _ink(fill: str) -> str:
    """Black or white, whichever reads on `fill` (relative luminance, WCAG)."""
    def lin(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(fill[i:i + 2], 16)) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def tilemap(contest: Contest) -> dict | None:
    """The tiles of `contest`'s territories (its election's territorial commissions) with their
    figures and fills per mode, and the legends. None for an election with no territory."""
    territories = list(Commission.objects.filter(election_id=contest.election_id, level=Commission.TERRITORIAL)
                       .order_by("number", "id"))
    if not territories:
        return None
    tallies = {t.commission_id: t for t in Tally.objects.filter(
        contest=contest, commission__in=[c.id for c in territories])}
    choices = list(contest.choices.select_related("party").order_by("order"))
    colors = choice_colors(choices)
    names = {c.key: c.name() for c in choices}
    lang = get_language()
    tiles, beside, taken = [], [], set()
    for c in territories:
        key = place_of(c)
        if key is None or key in taken:  # unknown, ambiguous or a second of one place
            beside.append(_tile(c, None, None, c.place(), tallies.get(c.id), colors, names,
                                contest.contest_kind.share_base))
            continue
        taken.add(key)
        p = PLACES[key]
        abbr = p.abbr
        if key == "AST" and any(s in " ".join(spellings(c, "name").values()).lower()
                                for s in _NUR_SULTAN[0]):
            abbr = _NUR_SULTAN[1]
        tiles.append(_tile(c, p.x, p.y, abbr.in_language(lang), tallies.get(c.id), colors,
                           names, contest.contest_kind.share_base))
    # As tall as the rows its tiles use, so an election's map has no empty band above or
    # below it (an election of two territories is one row).
    top = min((t.y for t in tiles), default=0)
    for t in tiles:
        t.y -= top
    rows = max((t.y // (TILE + GAP) + 1 for t in tiles), default=0)
    words = contest.contest_kind.wording
    leader = words.leader.in_language(lang) if words and words.leader else _("Leader")
    turnout = words.turnout.in_language(lang) if words and words.turnout else _("Turnout")
    modes = (("leader", leader), ("turnout", turnout), ("reporting", _("Reporting")))
    every = tiles + beside
    legend = sorted({(t.leader, t.colors["leader"]) for t in every if t.leader},
                    key=lambda p: p[0])
    return {
        "tiles": tiles, "beside": beside, "every": every, "size": TILE,
        "width": COLUMNS * (TILE + GAP) - GAP,
        "height": rows * (TILE + GAP) - GAP, "modes": modes, "contest": contest,
        "leader_label": leader, "turnout_label": turnout,
        "leaders": [{"name": n, "color": col} for n, col in legend],
        "any_tie": any(t.tied for t in every), "any_empty": any(not t.counted for t in every),
        "turnout_scale": _legend(TURNOUT_SCALE), "reporting_scale": _legend(REPORTING_SCALE),
        "no_results": NO_RESULTS, "tie": TIE,
    }


def _legend(scale) -> list[dict]:
    return [{"from": lo, "to": scale[i + 1][0] if i + 1 < len(scale) else None, "color": c}
            for i, (lo, c) in enumerate(scale)]


def _tile(c: Commission, x: int | None, y: int | None, abbr: str, tally: Tally | None,
          colors: dict, names: dict, share_base: str = FOUND) -> Tile:
    """A territory's tile at column `x`, row `y`; None: listed beside the map (x = y = None)."""
    votes = tally.choices if tally else {}
    fig = tally.figures if tally else {}
    reported = tally.stations_reported if tally else 0
    expected = tally.stations_expected if tally else 0
    turnout = exact_turnout(fig) if reported else None
    reporting = 100 * reported / expected if expected else 0.0
    top = max(votes.values(), default=0) if reported else 0
    leaders = [k for k, v in votes.items() if v == top] if top else []
    found = base(fig, votes, share_base)  # the leader's share, as the results table gives it
    leader = names.get(leaders[0], leaders[0]) if len(leaders) == 1 else None
    tied = sorted(names.get(k, k) for k in leaders) if len(leaders) > 1 else []
    fill = (colors.get(leaders[0], TIE) if leader else TIE if tied else NO_RESULTS)
    fills = {"leader": fill, "turnout": _scale(TURNOUT_SCALE, turnout),
             "reporting": _scale(REPORTING_SCALE, reporting) if reported else NO_RESULTS}
    at = (x * (TILE + GAP), y * (TILE + GAP)) if x is not None else (None, None)
    return Tile(c, *at, abbr, reported, expected, turnout,
                reporting, leader, share(top, found) if leader and found else None, tied,
                fills, {m: _ink(f) for m, f in fills.items()})
