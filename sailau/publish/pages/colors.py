"""Each choice's colour on the pages: its party's colour, unless that is too close to a colour
already given in the same contest (AUYL's #3a8f3a and Baytaq's #2e8b57 are both green: their
lines in the results over time could not be told apart); then the colour of a palette made to
be told apart, Okabe and Ito's (Color Universal Design, 2008; without its black, which reads as
no colour at all), that is farthest from every colour kept. One home for the bars, the charts,
the hemicycle and the tile maps, so that a party has one colour on a page.

Closeness is CIE76 ΔE (Euclidean distance in CIE L*a*b*, D65): about 2.3 is the smallest
difference seen side by side; two thin lines on a phone need far more. `MIN_DELTA_E` = 20 parts
the two greens (ΔE ≈ 17) and leaves blue, yellow, red and purple as the parties chose."""

from __future__ import annotations

from collections.abc import Iterable

MIN_DELTA_E = 20.0
NO_PARTY = "#777777"  # a candidate without a party, "against all"
OKABE_ITO = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")


def lab(color: str) -> tuple[float, float, float]:
    """sRGB "#rrggbb" in CIE L*a*b* (D65)."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    la, lb = lab(a), lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


def _valid(color: str | None) -> bool:
    return bool(color) and len(color) == 7 and color[0] == "#" and all(
        ch in "0123456789abcdefABCDEF" for ch in color[1:])


def _next(wanted: str | None, kept: list[str]) -> str:
    """`wanted` unless it is missing or within MIN_DELTA_E of a colour kept; else the palette's
    colour farthest from every colour kept."""
    if _valid(wanted) and all(delta_e(wanted.lower(), k) >= MIN_DELTA_E for k in kept):
        return wanted.lower()
    if not kept:
        return OKABE_ITO[0]
    return max(OKABE_ITO, key=lambda p: min(delta_e(p, k) for k in kept))


def distinct(wanted: Iterable[str | None]) -> list[str]:
    """The colours in order, each kept unless it is within MIN_DELTA_E of one kept before it
    (or missing); then the palette's colour farthest from every colour kept."""
    kept: list[str] = []
    for color in wanted:
        kept.append(_next(color, kept))
    return kept


def choice_colors(choices) -> dict[str, str]:
    """{choice key: colour} for a contest's choices (objects with `key`, `order`, `party_id`,
    `party.color`), decided in the contest's order so that the first party keeps its colour.
    Candidates without a party (a presidential election) get the palette's colours; "against
    all" is grey, and no choice is given a colour close to it."""
    out: dict[str, str] = {}
    kept: list[str] = [NO_PARTY]
    for c in sorted(choices, key=lambda c: (c.order, c.key)):
        if c.key == "against_all":
            out[c.key] = NO_PARTY
            continue
        out[c.key] = _next(c.party.color if c.party_id else None, kept)
        kept.append(out[c.key])
    return out
