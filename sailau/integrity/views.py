"""The integrity report of an election: its forensics with plots and plain explanations, the
stations the criteria flag (also as CSV), and the fingerprint images."""

import csv
import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from sailau.analysis import criteria
from sailau.elections.models import Election
from sailau.integrity import service, table

PAGE_ROWS = 500  # stations listed on the page; the CSV has them all


def _contest(request, election_id):
    election = get_object_or_404(Election, id=election_id)
    contest = table.principal_contest(election_id, request.GET.get("contest"))
    if contest is None:
        raise Http404("no contest")
    return election, contest


def _lang() -> str:
    lang = (get_language() or "kk")[:2]
    return lang if lang in ("kk", "ru", "en") else "kk"


def report(request, election_id: str):
    election, contest = _contest(request, election_id)
    data = service.get(contest)
    lang = _lang()
    names = {c.code: c.name[lang] for c in criteria.CRITERIA}
    rows = sorted(data["stations"].items(),
                  key=lambda kv: (kv[1]["status"] != criteria.FLAGGED, kv[1]["number"] or 0))
    listed = [{"id": sid, **v, "labels": [(f["code"], names[f["code"]], f["strength"],
                                           json.dumps(f["evidence"], ensure_ascii=False))
                                          for f in v["flags"]]}
              for sid, v in rows[:PAGE_ROWS]]
    counts = data["summary"]["criteria"]
    crit = [{"code": c.code, "name": c.name[lang], "explanation": c.explanation[lang],
             "strength": c.strength, "count": counts.get(c.code, 0)} for c in criteria.CRITERIA]
    f = data["forensics"]
    return render(request, "integrity/report.html", {
        "election": election, "contest": contest, "data": data, "f": f,
        "listed": listed, "more": max(len(rows) - PAGE_ROWS, 0), "criteria": crit,
        "rules": [{"rule": r["rule"], "status": r["status"], "text": r["text"][lang]}
                  for r in criteria.RULES],
        "contests": election.contests.exclude(kind="smd"),
        "excess_svg": excess_svg(f.get("excess_votes")),
    })


def flagged_csv(request, election_id: str):
    _, contest = _contest(request, election_id)
    data = service.get(contest)
    lang = _lang()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election_id}-flagged.csv"'
    w = csv.writer(response)
    w.writerow(["station_id", "number", "status", "rule", "codes", "criteria", "evidence"])
    rows = sorted(data["stations"].items(),
                  key=lambda kv: (kv[1]["status"] != criteria.FLAGGED, kv[1]["number"] or 0))
    for sid, v in rows:
        w.writerow([sid, v["number"], v["status"], v["rule"], " ".join(f["code"] for f in v["flags"]),
                    "; ".join(criteria.BY_CODE[f["code"]].name[lang] for f in v["flags"]),
                    json.dumps({f["code"]: f["evidence"] for f in v["flags"]}, ensure_ascii=False)])
    return response


def plot(request, election_id: str, name: str):
    _, contest = _contest(request, election_id)
    data = service.get(contest)
    if name not in data["forensics"].get("plots", []):  # only files the report wrote
        raise Http404("no such plot")
    path = service.directory(contest) / name
    if not path.exists():
        raise Http404("no such plot")
    return FileResponse(path.open("rb"), content_type="image/png")


def excess_svg(excess: dict | None, width: int = 600, height: int = 160) -> dict | None:
    """Polylines of the leader's and the others' votes by turnout (Shpilkin's histograms) and the
    x of the chosen clean turnout peak, for an inline SVG."""
    if not excess or "histogram" not in excess:
        return None
    h = excess["histogram"]
    lead, other = h["leader"], h["others"]
    top = max(max(lead), max(other), 1)
    step = width / len(lead)
    pts = lambda ys: " ".join(f"{(i + 0.5) * step:.1f},{height - y / top * height:.1f}"
                              for i, y in enumerate(ys))
    return {"width": width, "height": height, "leader": pts(lead), "others": pts(other),
            "peak_x": round(excess["clean_turnout_peak"] * width, 1),
            "ticks": [{"x": round(p / 100 * width, 1), "label": p} for p in range(0, 101, 20)]}
