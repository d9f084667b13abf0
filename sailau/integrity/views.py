"""The integrity report of an election: its forensics with plots and plain explanations, the
stations the criteria flag (also as CSV), and the fingerprint images."""

import csv
import json

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from sailau import tabledownload
from sailau.analysis import criteria, criteria_catalogue, criteria_words
from sailau.elections.models import Choice, Commission, Election
from sailau.errors import Code, NotFound
from sailau.i18n import local_time, page_lang
from sailau.integrity import service, table
from sailau.languages import WRITTEN, decimals, page_words, pick
from sailau.law import kinds
from sailau.law.forms import LINES

# Stations listed per page. The page shows one status at a time (flagged by default): the ~1,000
# "watch" stations of a national election made it tens of thousands of pixels tall. A flagged
# station with its evidence was ~480 px tall on a phone: 50 made the page 31,000 px at 390 px,
# 20 kept it under half that. Its evidence is now cut to two lines a criterion there, and a
# scan beside the figures folded (site.css, `table.flagged`): 130-380 px a row. The CSV has all.
PAGE_ROWS = 20


def _contest(request, election_id):
    election = get_object_or_404(Election, id=election_id)
    contest = table.principal_contest(election_id, request.GET.get("contest"))
    if contest is None:
        raise NotFound(code=Code.UNKNOWN_CONTEST, field="contest", message="no contest")
    return election, contest


def report(request, election_id: str):
    election, contest = _contest(request, election_id)
    data = service.latest(contest)
    lang = page_lang()
    # The criteria in the words of the contest's kind (a referendum's participation and
    # majority answer), on the list of criteria and beside each flagged station.
    catalogue = criteria_catalogue.of_kind(contest.contest_kind.wording)
    names = {c.code: c.name[lang] for c in catalogue}
    status = criteria.WATCH if request.GET.get("status") == criteria.WATCH else criteria.FLAGGED
    # The ranked list (`service.compute`); a report written before ranks existed by number.
    rows = sorted(((sid, v) for sid, v in data["stations"].items() if v["status"] == status),
                  key=lambda kv: (kv[1].get("rank") or 0, kv[1]["number"] or 0, kv[0]))
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    words = Words(contest, lang, [f for _, v in page for f in v["flags"]])
    listed = [{"id": sid, **v, "labels": [(f["code"], names[f["code"]], f["strength"],
                                           evidence_items(f["evidence"], lang, words))
                                          for f in v["flags"]],
               # A verified reading that differs: its image beside both figures.
               "images": service.evidence_images([i for f in v["flags"]
                                                    if f["key"] == "verified_reading_differs"
                                                    for i in f["evidence"].get("images", [])],
                                                   contest, lang)}
              for sid, v in page]
    counts = data["summary"]["criteria"]
    crit = [{"code": c.code, "name": c.name[lang], "explanation": c.explanation[lang],
             "strength": c.strength, "count": counts.get(c.code, 0)} for c in catalogue]
    f = data["forensics"]
    late = data.get("late_keys") or []  # a report written before late keys were listed: none
    names = {cid: c.name(lang) for cid, c in Commission.objects.in_bulk(
        {k["commission"] for k in late} | {k["confirmed_by"] for k in late}).items()}
    late = [{**k, "name": names.get(k["commission"]),
             "confirmed_by_name": names.get(k["confirmed_by"])} for k in late]
    return render(request, "integrity/report.html", {
        "late_keys": late,
        "election": election, "contest": contest, "data": data, "f": f,
        "listed": listed, "page": page, "status": status, "query": _query(request, status),
        "criteria": crit,
        "rules": [{"rule": r["rule"], "status": r["status"], "text": pick(r["text"], lang)}
                  for r in criteria_catalogue.RULES],
        # The forensic methods told in the kind's words (a referendum's majority answer and
        # participation, not an election's leader and turnout); empty: the template's own.
        "say": page_words(criteria_words.PAGE.get(words.vocabulary, {}), lang),
        "sobyanin": [(words.slope.get(k) or SOBYANIN_LABELS[k], v)
                     for k, v in (f.get("sobyanin_sukhovolsky") or {}).items()
                     if k in SOBYANIN_LABELS],
        "contests": election.contests.exclude(kind__in=kinds.named(district=True)),
        "excess_svg": excess_svg(f.get("excess_votes")),
    })


def _query(request, status: str) -> str:
    """The query string of the page without `page`, for the pager's links."""
    q = request.GET.copy()
    q.pop("page", None)
    q["status"] = status
    return q.urlencode()


SOBYANIN_LABELS = {
    "n": _("Stations"), "leader_slope": _("Slope of the leader's votes"),
    "others_slope": _("Slope of the others' votes"), "leader_share": _("Leader's share"),
    "leader_slope_minus_share": _("Slope minus share"),
}

# Names of the evidence fields the criteria write (sailau.analysis.criteria), for "name: value"
# text. A field not named here is shown under its key rather than hidden.
EVIDENCE_LABELS = {
    "voters_on_list": _("voters on the list"), "issued": _("ballots issued"),
    "issued_mobile": _("issued for mobile voting"), "turnout": _("turnout"),
    "turnout_pct": _("turnout, %"), "leader_share_pct": _("leader's share, %"),
    "group_median": _("median of the group"), "turnout_median": _("median turnout of the group"),
    "leader_share_median": _("leader's median share in the group"), "z": _("deviation (z)"),
    "turnout_z": _("turnout deviation (z)"), "leader_share_z": _("leader's share deviation (z)"),
    "group": _("compared with"), "leader": _("leader"), "leader_share": _("leader's share"),
    "share": _("share"), "choice": _("choice"), "chance": _("probability by chance"),
    "observer": _("observer"), "official": _("official"), "copy": _("copy"), "line": _("line"),
    "printed": _("printed on the scan"), "definitive": _("definitive protocol"),
    "version": _("version"), "decision_number": _("decision"), "decision_date": _("decision date"),
    "reason": _("reason"), "hours_after_close": _("hours after the polls closed"),
    "limit_hours": _("limit, hours"), "negative": _("negative assessments"),
    "assessments": _("assessments"), "stages": _("stages"), "count": _("number"),
    "number": _("line number"),
    "summary": _("summary"), "status": _("status"), "copies": _("observers' copies"),
    "differences": _("differences"), "scans": _("scans"), "mismatches": _("differences"),
    "amendments": _("amendments"), "incidents": _("incidents"),
    "images": _("verified images"), "image": _("image"), "source": _("source"),
    "verified_by": _("volunteers who read it alike"),
    "window": _("count window"), "gaps": _("stretches without video"),
    "ends_before_signing": _("last recording ends before signing"),
    "covered_seconds": _("seconds covered"),
    "observer_count": _("observer's count of voters"),
    "excess": _("ballots issued beyond the count"),
    "excess_share": _("excess, share of the count"),
    "median_excess_share": _("median excess of the counted stations"),
    "both_z": _("both deviations at least (z)"), "bar": _("the election's bar (z)"),
    "observers": _("what observers reported"),
    "joint_z": _("sum of both deviations / √2 (z)"), "peers": _("among stations of the kind"),
    "votes_in_question": _("votes in question"),
    "ballots_added_estimate": _("ballots beyond the median turnout"),
    "evening_hour": _("evening report at"),
    "issued_by_evening": _("ballots issued by the evening report"),
    "issued_after": _("ballots issued after the evening report"),
    "share_after": _("share of the ballots issued after the evening report"),
    "share_after_median": _("median share after the evening report in the group"),
    "evening_z": _("deviation after the evening report (z)"),
    "after_evening_beyond_median": _("ballots after the evening report beyond the group's median "
                                     "share"),
    "evening_received_at": _("evening report received at"),
    "evening_window_until": _("time to give the evening report ended at"),
}
# Words the criteria write as values (scan statuses, observation stages, kinds of line).
VALUE_LABELS = {
    "scan": _("scan of the signed protocol"), "copy": _("observer's photo of the copy"),
    "mismatch": _("does not match"), "unreadable": _("unreadable"), "match": _("matches"),
    "figures": _("figures"), "opening": _("opening"), "voting": _("voting"),
    "counting": _("counting"), "tabulation": _("tabulation"),
    "checklist:more_ballots_than_voters": _("checklist at the count: more ballots than voters"),
    "incident:ballot_stuffing": _("incident: ballot stuffing"),
    "city": _("town stations"), "village": _("village stations"),
    "special": _("special stations"), "abroad": _("stations abroad"),
}
# Fields whose values a person wrote (an amendment's reasons, as the commission wrote them; an
# incident's summary, as the observer wrote it; a scan's reason is a word of VALUE_LABELS,
# translated before this is asked): shown as written, marked so (translate="no"), in whatever
# language they were written.
AS_WRITTEN = {"reason", "summary"}
# Fields whose values are ISO times (UTC): shown as local times, as everywhere on the site.
TIMES = {"window", "gaps"}
# Fields that are fractions of one: shown as percentages.
FRACTIONS = {"turnout", "group_median", "turnout_median", "leader_share", "leader_share_median",
             "share", "chance", "excess_share", "median_excess_share", "share_after",
             "share_after_median"}
# Fields that are an hour of election day (a turnout report's): shown as a time, "18:00".
HOURS = {"evening_hour"}
# Fields that only repeat what the criterion's name or the other fields already say, or are
# internal.
SKIPPED = {"lines", "severity", "part", "kind", "by"}  # "by": official minus copy, both shown


class Words:
    """Names for the ids evidence mentions (choices, commissions, protocol lines), read in two
    queries for a whole page of stations rather than one per flag; and the names of the
    evidence fields in the words of the contest's kind (`analysis.criteria_words`: a
    referendum's participation and majority answer)."""

    def __init__(self, contest, lang: str, flags: list[dict]):
        self.lang = lang
        wording = contest.contest_kind.wording
        self.vocabulary = wording.criteria if wording else None
        self.labels = page_words(criteria_words.EVIDENCE.get(self.vocabulary, {}), lang)
        self.slope = page_words(criteria_words.SLOPE.get(self.vocabulary, {}), lang)
        groups = set()

        def walk(x):
            if isinstance(x, dict):
                for k, v in x.items():
                    if k == "group" and isinstance(v, str):
                        groups.add(v)
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)

        walk([f["evidence"] for f in flags])
        self.commissions = {c.id: c.name(lang) for c in Commission.objects.filter(id__in=groups)}
        self.choices = {c.key: c.name(lang) for c in Choice.objects.filter(contest=contest)}

    def value(self, key: str, value) -> str:
        if key == "group":  # "*" is the whole election, the group when a station stands alone
            return _("all stations") if value == "*" else self.commissions.get(value, value)
        if key in ("leader", "choice", "line") and value in self.choices:
            return self.choices[value]
        return value


def _fmt(key: str, value, lang: str, words) -> str:
    if isinstance(value, dict):
        if set(value) >= set(WRITTEN):  # a message in the three languages
            return pick(value, lang)
        if "line" in value:  # one line of a protocol compared with another source: name first
            rest = {k: v for k, v in value.items() if k != "line"}
            return format_html("{} — {}", _fmt("line", value["line"], lang, words),
                               _join(", ", evidence_items(rest, lang, words)))
        return _join(", ", evidence_items(value, lang, words))
    if isinstance(value, list):
        return _join("; ", (_fmt(key, v, lang, words) for v in value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int) and key in HOURS:
        return f"{value}:00"
    if isinstance(value, float) and key in FRACTIONS:  # decimal comma in kk and ru
        return decimals(f"{value * 100:.1f}%", lang)
    if isinstance(value, float):
        return decimals(f"{value:g}", lang)
    if isinstance(value, str) and key in TIMES:
        return local_time(value)
    if isinstance(value, str) and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    if isinstance(value, str) and words is not None:
        value = str(words.value(key, value))
    if key == "line" and value in LINES:
        return LINES[value].label[lang]
    if key in AS_WRITTEN and isinstance(value, str):
        return format_html('<span translate="no">{}</span>', value)
    return str(value)


def _join(sep: str, texts) -> str:
    """Evidence texts joined, each escaped unless it is already HTML (a text marked as written)."""
    return mark_safe(sep.join(map(conditional_escape, texts)))


def evidence_items(evidence: dict, lang: str, words=None) -> list[str]:
    """A criterion's evidence as readable "name: value" texts in `lang`. Control findings are
    shown by their own sentence, which already names the figures."""
    with override(lang):
        return _evidence_items(evidence, lang, words)


def _evidence_items(evidence: dict, lang: str, words) -> list[str]:
    items = []
    for key, value in evidence.items():
        if key in SKIPPED or value is None or value == []:  # nothing to say (no bar, no report)
            continue
        if key == "findings":
            items += [f"{x['code']}: {pick(x['message'], lang)}" if isinstance(x.get("message"), dict)
                      else _fmt(key, x, lang, words) for x in value]
            continue
        if key == "choices" and isinstance(value, list) and value and isinstance(value[0], dict):
            items += [_fmt(key, x, lang, words) for x in value]
            continue
        label = ((words.labels.get(key) if words is not None else None)
                 or EVIDENCE_LABELS.get(key, key.replace("_", " ")))
        items.append(format_html("{}: {}", label, _fmt(key, value, lang, words)))
    return items


def flagged_csv(request, election_id: str):
    _, contest = _contest(request, election_id)
    data = service.get(contest)
    lang = page_lang()
    response = tabledownload.csv_attachment(f"{election_id}-flagged.csv")
    w = csv.writer(response)
    w.writerow(["station_id", "number", "status", "rule", "codes", "criteria", "evidence"])
    rows = sorted(data["stations"].items(),
                  key=lambda kv: (kv[1]["status"] != criteria.FLAGGED, kv[1].get("rank") or 0,
                                  kv[1]["number"] or 0))
    names = {c.code: c.name[lang] for c in criteria_catalogue.of_kind(contest.contest_kind.wording)}
    for sid, v in rows:
        w.writerow(tabledownload.row([sid, v["number"], v["status"], v["rule"], " ".join(f["code"] for f in v["flags"]),
                    "; ".join(names[f["code"]] for f in v["flags"]),
                    json.dumps({f["code"]: f["evidence"] for f in v["flags"]}, ensure_ascii=False)]))
    return response


def plot(request, election_id: str, name: str):
    _, contest = _contest(request, election_id)
    data = service.get(contest)
    if name not in data["forensics"].get("plots", []):  # only files the report wrote
        raise NotFound(code=Code.NOT_FOUND, field="plot", message="no such plot")
    path = service.directory(contest) / name
    if not path.exists():
        raise NotFound(code=Code.NOT_FOUND, field="plot", message="no such plot")
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
    # Coordinates as text: a float goes through the page's number format in a template, and
    # Russian's decimal comma ("460,5") is no SVG length (the line fell to x = 0 and a tick's
    # "120,0" read as two x positions, one per letter).
    return {"width": width, "height": height, "leader": pts(lead), "others": pts(other),
            "peak_x": f"{excess['clean_turnout_peak'] * width:.1f}",
            "ticks": [{"x": f"{p / 100 * width:.1f}", "label": p} for p in range(0, 101, 20)]}
