"""The results over time drawn on a page: the inline SVG of `web/_progress.html`, from the
series of arrivals the files publish (`files/progress.py`), in each choice's colour."""

from __future__ import annotations

from sailau.publish.files.arrivals import Progress
from sailau.publish.pages.colors import choice_colors

MAX_POINTS = 48  # on a page; the downloads have every arrival

W, H, PAD = 640, 220, 36  # the SVG's user units; it scales with the page
# Under the plot, a band for the times at each end: on a phone the labels are drawn twice as
# large (site.css), 20 units, and at the SVG's very bottom their baseline was cut off.
BAND = 30
# Room at the left for the axis labels ("100%" drawn right-aligned before the axis): at 36 units
# their "%" fell outside the drawing and was cut off; a phone's labels (20 units) need ~62.
LEFT = 72


def chart(p: Progress, names: dict[str, str] | None = None) -> dict | None:
    """What the inline SVG of `web/_progress.html` draws: the reporting curve (percent of
    stations reported) and each choice's share as reporting grew, as polyline points in the
    SVG's coordinates, plus the same figures as rows for the table that stands in for it."""
    points = p.points(MAX_POINTS)
    if not points:
        return None
    choices = sorted(p.contest.choices.select_related("party"), key=lambda c: c.order)
    names = names or {c.key: c.name() for c in choices}
    colors = choice_colors(choices)
    t0, t1 = points[0]["at"], points[-1]["at"]
    span = (t1 - t0).total_seconds()

    def x(at) -> float:
        return round(LEFT + (W - LEFT - PAD) * ((at - t0).total_seconds() / span if span else 1), 1)

    def y(percent: float, top: float) -> float:
        return round(H - PAD / 2 - (H - PAD) * min(percent, top) / top, 1)

    top_share = max([10.0] + [s for pt in points for s in pt["shares"].values()])
    top_share = float(-(-int(top_share) // 10) * 10)
    reporting = [100 * pt["reported"] / pt["expected"] if pt["expected"] else 0 for pt in points]
    return {
        "width": W, "height": H + BAND, "label_y": H + BAND - 6, "left": LEFT, "right": W - PAD,
        "bottom": H - PAD // 2,
        # Whole numbers: a float is written "18,0" on a Russian page, which SVG cannot read.
        "top": PAD // 2, "start": t0, "end": t1, "top_share": top_share,
        "reporting": " ".join(f"{x(pt['at'])},{y(r, 100)}" for pt, r in zip(points, reporting)),
        "lines": [{"key": c.key, "name": names.get(c.key, c.key),
                   "color": colors[c.key],
                   "points": " ".join(f"{x(pt['at'])},{y(pt['shares'][c.key], top_share)}"
                                      for pt in points)}
                  for c in choices],
        "rows": [{"at": pt["at"], "reported": pt["reported"], "expected": pt["expected"],
                  "percent": r, "shares": [{"name": names.get(c.key, c.key),
                                            "share": pt["shares"][c.key]} for c in choices]}
                 for pt, r in zip(points, reporting)],
    }
