"""A tile map of the 20 territories: one equal square per territorial commission, placed roughly
where the territory lies (the project owns this small layout, so no boundary data is needed),
coloured by the leading choice, by turnout or by the share of stations reported.

A territory is found by its commission number (the 2023 numbering of the CEC, which the demo and
the structure imports use). A territory the layout does not know gets a tile in a row of its
own under the map rather than none: the map never hides a commission."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sailau.elections.models import Commission, Contest
from sailau.languages import Text
from sailau.law.figures import FOUND, base
from sailau.law.figures import turnout as exact_turnout
from sailau.protocols.models import Tally
from sailau.publish.colors import choice_colors

# number: (column, row, the territory's short name). Seven columns, four rows, west to east.
LAYOUT: dict[int, tuple[int, int, Text]] = {
    9: (0, 0, Text(kk="БҚО", ru="ЗКО", en="WKO")),
    13: (2, 0, Text(kk="ҚОС", ru="КОС", en="KOS")),
    17: (3, 0, Text(kk="СҚО", ru="СКО", en="NKO")),
    16: (4, 0, Text(kk="ПАВ", ru="ПАВ", en="PAV")),
    8: (0, 1, Text(kk="АТЫ", ru="АТЫ", en="ATY")),
    6: (1, 1, Text(kk="АҚТ", ru="АКТ", en="AKT")),
    19: (2, 1, Text(kk="ҰЛЫ", ru="УЛЫ", en="ULY")),
    5: (3, 1, Text(kk="АҚМ", ru="АКМ", en="AKM")),
    1: (4, 1, Text(kk="АСТ", ru="АСТ", en="AST")),
    4: (5, 1, Text(kk="АБА", ru="АБА", en="ABA")),
    20: (6, 1, Text(kk="ШҚО", ru="ВКО", en="EKO")),
    15: (0, 2, Text(kk="МАҢ", ru="МАН", en="MAN")),
    14: (1, 2, Text(kk="ҚЫЗ", ru="КЫЗ", en="KYZ")),
    18: (2, 2, Text(kk="ТҮР", ru="ТУР", en="TUR")),
    12: (3, 2, Text(kk="ҚАР", ru="КАР", en="KAR")),
    7: (4, 2, Text(kk="АЛО", ru="АЛО", en="ALR")),
    11: (5, 2, Text(kk="ЖЕТ", ru="ЖЕТ", en="JET")),
    3: (2, 3, Text(kk="ШЫМ", ru="ШЫМ", en="SHY")),
    10: (3, 3, Text(kk="ЖАМ", ru="ЖАМ", en="JAM")),
    2: (4, 3, Text(kk="АЛМ", ru="АЛМ", en="ALM")),
}
COLUMNS, ROWS = 7, 4
TILE, GAP = 60, 4

NO_RESULTS = "#eeeeee"  # a territory with nothing counted: no colour
TIE = "#bdbdbd"
# Sequential scales, light to dark: (lower bound in percent, colour).
TURNOUT_SCALE = ((0, "#deebf7"), (40, "#9ecae1"), (55, "#4292c6"), (70, "#2171b5"),
                 (85, "#08306b"))
REPORTING_SCALE = ((0, "#e5f5e0"), (25, "#a1d99b"), (50, "#74c476"), (75, "#31a354"),
                   (100, "#00441b"))

MODES = (("leader", _("Leader")), ("turnout", _("Turnout")), ("reporting", _("Reporting")))


@dataclass
class Tile:
    commission: Commission
    x: int
    y: int
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
    territories = list(Commission.objects.filter(election_id=contest.election_id,
                                                 level=Commission.TERRITORIAL)
                       .order_by("number", "id"))
    if not territories:
        return None
    tallies = {t.commission_id: t for t in Tally.objects.filter(
        contest=contest, commission__in=[c.id for c in territories])}
    choices = list(contest.choices.select_related("party").order_by("order"))
    colors = choice_colors(choices)
    names = {c.key: c.name() for c in choices}
    lang = get_language()
    extra = 0
    rows = 0  # in grid rows; a tile's own x and y are in pixels
    tiles = []
    for c in territories:
        if c.number in LAYOUT:
            x, y, abbr = LAYOUT[c.number]
            label = abbr.in_language(lang)
        else:  # not in the layout: a row of its own under the map
            x, y, label = extra % COLUMNS, ROWS + extra // COLUMNS, str(c.number)
            extra += 1
        rows = max(rows, y + 1)
        tiles.append(_tile(c, x, y, label, tallies.get(c.id), colors, names,
                           contest.contest_kind.share_base))
    legend = sorted({(t.leader, t.colors["leader"]) for t in tiles if t.leader},
                    key=lambda p: p[0])
    return {
        "tiles": tiles, "size": TILE, "width": COLUMNS * (TILE + GAP) - GAP,
        "height": rows * (TILE + GAP) - GAP, "modes": MODES, "contest": contest,
        "leaders": [{"name": n, "color": col} for n, col in legend],
        "any_tie": any(t.tied for t in tiles), "any_empty": any(not t.counted for t in tiles),
        "turnout_scale": _legend(TURNOUT_SCALE), "reporting_scale": _legend(REPORTING_SCALE),
        "no_results": NO_RESULTS, "tie": TIE,
    }


def _legend(scale) -> list[dict]:
    return [{"from": lo, "to": scale[i + 1][0] if i + 1 < len(scale) else None, "color": c}
            for i, (lo, c) in enumerate(scale)]


def _tile(c: Commission, x: int, y: int, abbr: str, tally: Tally | None, colors: dict,
          names: dict, share_base: str = FOUND) -> Tile:
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
    return Tile(c, x * (TILE + GAP), y * (TILE + GAP), abbr, reported, expected, turnout,
                reporting, leader, 100 * top / found if leader and found else None, tied,
                fills, {m: _ink(f) for m, f in fills.items()})
