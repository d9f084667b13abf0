"""The seats a party-list contest allocates, drawn as a parliament: one dot per seat on
concentric half rings, the parties from left to right in the order of the results table.

Rows are added until they hold every seat; each row gets seats in proportion to its length, so
the dots are evenly spaced everywhere."""

import math

W = 200  # the SVG's width in user units; its height follows the dots
CX, CY, R_OUT = 100, 100, 96  # centre of the half rings and the outer radius
INNER = 0.4  # the inner ring's radius, as a share of the outer one


def _rows(n: int) -> list[int]:
    """How many seats each ring holds, innermost first, for `n` seats."""
    for rows in range(1, 40):
        step = (1 - INNER) / rows  # distance between rings, as a share of the outer radius
        radii = [INNER + step * (i + 0.5) for i in range(rows)]
        capacity = [int(math.pi * r / step) + 1 for r in radii]
        if sum(capacity) >= n:
            break
    # Share the seats out in proportion to the rings' lengths (largest remainders).
    total = sum(radii)
    exact = [n * r / total for r in radii]
    counts = [min(int(e), cap) for e, cap in zip(exact, capacity)]
    order = sorted(range(rows), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(counts) < n:
        k = order[i % rows]
        if counts[k] < capacity[k]:
            counts[k] += 1
        i += 1
    return counts


def chart(parties: list[tuple[str, str, int]]) -> dict | None:
    """`parties`: (name, colour, seats) in the order to draw them. The dots in the SVG's
    coordinates with their party, and the dot radius. None when no seat is allocated."""
    n = sum(s for _, _, s in parties)
    if n <= 0:
        return None
    counts = _rows(n)
    rows = len(counts)
    step = (1 - INNER) / rows
    places = []
    for i, k in enumerate(counts):
        r = INNER + step * (i + 0.5)
        for j in range(k):
            angle = math.pi * (1 - (j / (k - 1) if k > 1 else 0.5))  # left (pi) to right (0)
            places.append((-angle, r, angle))
    places.sort()  # left to right across all rings, so each party is one wedge
    owners = [(name, color) for name, color, s in parties for _ in range(s)]
    # Coordinates as text: a float in a template is written "12,5" on a Russian page.
    seats = [{"x": f"{CX + R_OUT * r * math.cos(a):.2f}", "y": f"{CY - R_OUT * r * math.sin(a):.2f}",
              "name": name, "color": color} for (_, r, a), (name, color) in zip(places, owners)]
    dot = R_OUT * step * 0.42
    return {"width": W, "height": int(CY + dot) + 2, "seats": seats, "total": n, "r": f"{dot:.2f}",
            "parties": [{"name": name, "color": color, "seats": s}
                        for name, color, s in parties if s]}
