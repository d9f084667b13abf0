"""What the drill-down pages show (a territory's, district's or SMD's totals; a station's
protocols, versions, checks, scans and chronometry), built from the published documents so that
a page never shows a figure the downloads and the API do not."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from sailau.elections import areas
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.i18n import page_lang
from sailau.languages import pick
from sailau.law import kinds
from sailau.law.figures import base, share
from sailau.law.figures import published_turnout as turnout
from sailau.publish.files.commission_documents import (
    commission_document,
    reported_contests,
    station_list,
    station_rows,
)
from sailau.publish.files.election_data import ElectionData
from sailau.publish.files.station_documents import station_document
from sailau.publish.pages import logbanner, signers
from sailau.publish.pages.colors import NO_PARTY, choice_colors
from sailau.publish.pages.results import contest_result
from sailau.publish.pages.tilemap import tilemap


def commission_page(e: Election, c: Commission) -> dict:
    """A territory's, district's or SMD's totals per contest (territories and the CEC with their
    results over time), its children with their reporting, or its stations."""
    data = ElectionData.load(e)
    # Its stations and which contests each reported read once, for its file and its list below.
    stations = station_list(c)
    reported = reported_contests([r[0] for r in stations]) if stations is not None else {}
    doc = commission_document(data, c, reported=reported,
                              stations_by=None if stations is None else {c.id: stations})
    over_time = c.level in (Commission.CEC, Commission.TERRITORIAL)
    results = [contest_result(contest, c.id, over_time=over_time)
               for contest in data.contests_of_commission(c)]
    main = results[0].contest.id if results else None
    children = []
    # A maslikhat's single-member districts are listed with their results, not as children
    # that report (the CEC's list of children keeps the Mazhilis's, as before maslikhats).
    own_districts = c.level in (Commission.TERRITORIAL, Commission.DISTRICT)
    for ch in doc["children"]:
        if own_districts and ch["level"] == Commission.SMD:
            continue
        totals = next((t for t in ch["contests"] if t["contest"] == main), None) \
            or (ch["contests"][0] if ch["contests"] else None)
        children.append({**ch, "obj": data.commissions[ch["id"]], "totals": totals})
    districts = [contest_result(x) for x in data.contests
                 if own_districts and x.contest_kind.district
                 and x.commission.parent_id == c.id]
    rows = station_rows(stations, reported, {x.id: x.name() for x in data.contests})
    return {
        # How many of the protocols counted here only the log has signed (not the witnesses).
        "log": logbanner.banner(e.id, area=areas.station_q(c)),
        "election": e, "commission": c, "ancestors": data.ancestors(c.id), "results": results,
        "children": children, "districts": districts, "stations": rows,
        "wording": kinds.wording(x.kind for x in data.contests),
        # The national page maps its territories for its first contest (the party lists).
        "tilemap": tilemap(results[0].contest) if results and c.level == Commission.CEC
        else None,
    }


STEP_LABELS = {
    "polls_closed": gettext_lazy("Polls closed"),
    "protocol_signed": gettext_lazy("Protocol signed"),
    "copy_to_observers": gettext_lazy("Copy handed to observers"),
    "first_entry": gettext_lazy("First entry"),
    "definitive": gettext_lazy("Protocol definitive"),
    "scan_uploaded": gettext_lazy("Scan uploaded"),
    "published": gettext_lazy("Published"),
    "received_by_territory": gettext_lazy("Received by the territorial commission"),
}


def _aware(iso: str) -> dt.datetime:
    """Step times are stored in UTC; the page shows them in Almaty time."""
    at = dt.datetime.fromisoformat(iso)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _station_section(data: ElectionData, contest: Contest, part: dict, lang: str) -> dict:
    form = data.forms[contest.id]
    protocol = part["protocol"] or {"figures": {}, "choices": {}}
    choice_names = {ch.key: ch for ch in contest.choices.select_related("party")}
    colors = choice_colors(choice_names.values())
    valid = sum(protocol["choices"].values())
    # The share is of the base the contest's law decides on (the President: the valid ballots).
    total = base(protocol["figures"], protocol["choices"], contest.contest_kind.share_base)
    choices = sorted(
        ({"key": k, "name": choice_names[k].name(lang) if k in choice_names else k,
          "color": colors.get(k, NO_PARTY),
          "votes": v, "share": share(v, total)}
         for k, v in protocol["choices"].items()),
        key=lambda r: (r["key"] == "against_all", -r["votes"]))
    lines = [{"number": ln.number, "key": ln.key, "label": pick(ln.label, lang),
              # The valid line is the sum of the choices when the form does not store it.
              "value": protocol["figures"].get(
                  ln.key, valid if ln.key == "valid" and part["protocol"] else None)}
             for ln in form.lines]
    labels = {ln["key"]: f'{ln["number"]}. {ln["label"]}' for ln in lines}
    for scan in part["scans"]:
        scan["url"] = _scan_url(scan["id"])
        scan["reason_text"] = _scan_reason(scan["reason"], lang)
        # "JPEG, 111 KB" reads better than "image/jpeg, 113578 B".
        scan["format"] = scan["content_type"].rpartition("/")[2].upper()
        scan["kb"] = max(1, round(scan["size"] / 1024))
    return {
        "contest": contest, "part": part, "lines": lines, "choices": choices,
        "share_base": contest.contest_kind.share_base,
        "turnout": turnout(protocol["figures"]),
        "checks": [{**f, "text": pick(f["message"], lang)}
                   for f in part["checks"]],
        # Amendments name the lines and choices they changed, not their keys ("figures.lost").
        "versions": [{**v, "created_at": _aware(v["created_at"]),
                      "decision_date": _day(v["amendment"]["decision_date"])
                      if v["amendment"] else None,
                      "changes": [(_changed_name(k, labels, choice_names, lang), a, b)
                                  for k, (a, b) in v["changes"].items()]}
                     for v in part["versions"]],
    }


def _scan_reason(code: str, lang: str) -> str:
    if not code:
        return ""
    from sailau.scans.service import REASONS

    text = REASONS.get(code)
    return pick(text, lang) if text else code


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _changed_name(key: str, labels: dict, choices: dict, lang: str) -> str:
    part, _, k = key.partition(".")
    if part == "choices" and k in choices:
        return choices[k].name(lang)
    return labels.get(k, k)


def station_page(e: Election, s: Station) -> dict:
    """A station: per contest its protocol line by line, versions, checks and scans; its
    chronometry and the observers' copies compared with it."""
    data = ElectionData.for_station(s)
    doc = station_document(data, s)
    above = Commission.objects.in_bulk([s.territory_id, s.district_id, *areas.smd_ids(s)])
    lang = page_lang()
    contests = {c.id: c for c in data.contests}
    sections = [_station_section(data, contests[part["contest"]], part, lang)
                for part in doc["contests"]]
    signers.add_to_sections(s, sections, lang)
    log = logbanner.banner(e.id, count=False)
    for sec in sections:
        # A protocol whose leaf the witnesses have not cosigned (or that is not in the log
        # yet) is said apart from the witnessed ones.
        sec["unwitnessed"] = bool(sec["part"]["protocol"]) and not logbanner.is_witnessed(
            (sec["part"]["log"] or {}).get("index"), log["witnessed"])
    log["unwitnessed"] = sum(sec["unwitnessed"] for sec in sections)
    return {
        "log": log,
        "election": e, "station": s, "doc": doc,
        "sections": sections,
        "ancestors": [above[i] for i in (s.territory_id, s.district_id) if i in above],
        "smds": [above[i] for i in areas.smd_ids(s) if i in above],
        "chronometry": [(STEP_LABELS.get(step, step), _aware(at))
                        for step, at in sorted(doc["chronometry"].items(),
                                               key=lambda kv: kv[1] or "") if at],
        "copies": observer_copies(s),
        "evidence": verified_readings(s, lang),
        # A Senate's joint session is named as one, not as a polling station.
        "wording": kinds.wording(c.kind for c in data.contests),
    }


def verified_readings(station, lang: str) -> dict:
    """The volunteers' verified readings of this station's images against the official figures
    (the evidence app may not be installed in every deployment)."""
    from django.apps import apps

    if not apps.is_installed("sailau.evidence"):
        return {}
    from sailau.evidence.summary import station_summary

    return station_summary(station.id, lang)


def observer_copies(station) -> list[dict]:
    """Observers' certified copies of this station's protocols, each compared with the current
    official protocol (the observation app may not be installed in every deployment)."""
    from django.apps import apps

    if not apps.is_installed("sailau.observation"):
        return []
    from sailau.observation.compare import compared, name_lines
    from sailau.observation.models import ObserverCopy

    rows = compared(ObserverCopy.objects.filter(station=station)
                    .select_related("station", "observer", "contest"))
    lang = page_lang()
    name_lines(rows, lang)
    return rows


def _scan_url(pk: int) -> str | None:
    # The scans app may or may not be mounted: the page shows the hash either way.
    try:
        return reverse("scans:download", args=[pk])
    except NoReverseMatch:
        return None
