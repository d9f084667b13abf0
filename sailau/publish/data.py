"""The published documents: one JSON-ready dict per station and per commission, built with a
handful of bulk queries per election so that pages, downloads, snapshots and the API all show
the same figures (and a snapshot can be checked against the database by rebuilding it).

A station document carries, per contest, the current protocol with every line, every earlier
version with what changed and the decision behind it, the control relations re-checked, the
scans with their hashes and status, and the station's chronometry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy

from sailau.elections import areas
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.protocols.models import Amendment, Protocol, StepTime, Tally
from sailau.publish.results import contest_result
from sailau.publish.tilemap import tilemap

LANGS = ("kk", "ru", "en")


def names(obj) -> dict:
    return {lang: obj.name(lang) for lang in LANGS}


def stamp(value) -> str | None:
    return value.isoformat() if value else None


def issued(fig: dict) -> int:
    return fig.get("issued_in_room", 0) + fig.get("issued_mobile", 0) + fig.get("issued_absentee", 0)


def turnout(fig: dict) -> float | None:
    """Ballots issued over voters on the list, in percent (rounded: it is for display)."""
    voters = fig.get("voters_on_list", 0)
    return round(100 * issued(fig) / voters, 2) if voters else None


# Contests of wider areas first on a page: the Mazhilis, then the regional maslikhat, ...
AREA_RANK = {Commission.CEC: 0, Commission.TERRITORIAL: 1, Commission.DISTRICT: 2,
             Commission.SMD: 3}


@dataclass
class ElectionData:
    """What every document of one election needs, loaded once."""

    election: Election
    contests: list[Contest] = field(default_factory=list)

    @classmethod
    def load(cls, election: Election | str) -> ElectionData:
        if isinstance(election, str):
            election = Election.objects.get(id=election)
        contests = list(Contest.objects.filter(election=election)
                        .select_related("commission").prefetch_related("choices__party"))
        return cls(election, contests)

    @classmethod
    def for_station(cls, station: Station) -> ElectionData:
        """Only the contests the station votes in: what a station page needs, fast."""
        contests = list(areas.contests_of(station)
                        .select_related("commission").prefetch_related("choices__party"))
        return cls(station.election, contests)

    @cached_property
    def commissions(self) -> dict[str, Commission]:
        """Every commission above the precincts (a precinct commission is its station)."""
        # In a fixed order: numbers repeat across levels and territories, and PostgreSQL
        # returns rows in no particular order, so a file built from this must not depend on it.
        return {c.id: c for c in Commission.objects.filter(election=self.election)
                .exclude(level=Commission.PRECINCT).order_by("level", "number", "id")}

    @cached_property
    def children(self) -> dict[str, list[Commission]]:
        out: dict[str, list[Commission]] = defaultdict(list)
        for c in sorted(self.commissions.values(), key=lambda c: (c.level, c.number, c.id)):
            if c.parent_id:
                out[c.parent_id].append(c)
        return out

    @cached_property
    def forms(self) -> dict[str, object]:
        return {c.id: c.form for c in self.contests}

    @cached_property
    def choice_keys(self) -> dict[str, list[str]]:
        return {c.id: [ch.key for ch in sorted(c.choices.all(), key=lambda ch: ch.order)]
                for c in self.contests}

    def contests_of_station(self, station: Station) -> list[Contest]:
        return [c for c in self.contests if areas.contains(c.commission, station)]

    def contests_of_commission(self, commission: Commission) -> list[Contest]:
        """The contests the commission has totals of: its own (a maslikhat's), and those of
        the areas above it that it counts a part of (the Mazhilis list at every level of the
        main tree, a regional maslikhat's list at its districts), the widest first."""
        above = {commission.id}
        if commission.level in (Commission.TERRITORIAL, Commission.DISTRICT):
            above |= {a.id for a in self.ancestors(commission.id)}
        return sorted((c for c in self.contests if c.commission_id in above),
                      key=lambda c: AREA_RANK.get(c.commission.level, len(AREA_RANK)))

    def ancestors(self, commission_id: str) -> list[Commission]:
        """From the CEC down to the commission's parent."""
        out = []
        c = self.commissions.get(commission_id)
        # Bounded: a cycle stored before imports checked the tree must not hang the page.
        while c is not None and c.parent_id and len(out) < len(self.commissions):
            c = self.commissions.get(c.parent_id)
            if c is not None:
                out.append(c)
        return out[::-1]

    def tallies(self, commission_ids=None) -> dict[tuple[str, str], Tally]:
        qs = Tally.objects.filter(contest__election=self.election)
        if commission_ids is not None:
            qs = qs.filter(commission_id__in=list(commission_ids))
        return {(t.contest_id, t.commission_id): t for t in qs}


# ------------------------------------------------------------------------------ stations

def _protocol_json(p: Protocol) -> dict:
    return {"version": p.version, "source": p.source, "created_at": stamp(p.created_at),
            "figures": dict(sorted(p.figures.items())), "choices": dict(sorted(p.choices.items())),
            "acknowledged": p.findings,
            # The commission's Ed25519 signature of this version (sailau.verify.signatures) and
            # the key it was made with, one of the commission's keys in keys.json.
            "signature": p.signature, "signed_with": p.signed_with}


def _versions(protocols: list[Protocol], amendments: dict[int, Amendment]) -> list[dict]:
    from sailau.protocols.content import changed_lines

    out, prev = [], None
    for p in sorted(protocols, key=lambda p: p.version):
        a = amendments.get(p.id)
        out.append({
            "version": p.version, "current": p.current, "source": p.source,
            "created_at": stamp(p.created_at),
            "changes": changed_lines(prev, (p.figures, p.choices)) if prev else {},
            "amendment": {"decision_number": a.decision_number,
                          "decision_date": stamp(a.decision_date),
                          "reason": a.reason} if a else None,
        })
        prev = (p.figures, p.choices)
    return out


def _scans(station_ids) -> dict[tuple[str, str], list[dict]]:
    """Scans per (station, contest), newest first, if the scans app is installed."""
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        return {}
    from sailau.scans.models import Scan

    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in (Scan.objects.filter(station_id__in=station_ids)
              .select_related("protocol").order_by("-uploaded_at", "-id")):
        out[(s.station_id, s.contest_id)].append({
            "id": s.id, "sha256": s.sha256, "content_type": s.content_type, "size": s.size,
            "uploaded_at": stamp(s.uploaded_at), "status": s.status, "reason": s.reason,
            "mismatches": s.mismatches, "protocol_version": s.protocol.version,
            "checked_at": stamp(s.checked_at),
        })
    return out


def station_documents(data: ElectionData, stations=None):
    """Yield (station, document) for `stations` (default: all of the election, by number).
    Bulk queries, in chunks, so that a national publication stays linear."""
    if stations is None:
        stations = Station.objects.filter(election=data.election).order_by("number")
    stations = list(stations)
    for i in range(0, len(stations), 2000):
        chunk = stations[i:i + 2000]
        ids = [s.id for s in chunk]
        protocols: dict[tuple[str, str], list[Protocol]] = defaultdict(list)
        for p in Protocol.objects.filter(station_id__in=ids).order_by("version"):
            protocols[(p.station_id, p.contest_id)].append(p)
        amendments = {a.protocol_id: a for a in
                      Amendment.objects.filter(protocol__station_id__in=ids)}
        times: dict[str, dict] = defaultdict(dict)
        for sid, step, at in (StepTime.objects.filter(station_id__in=ids)
                              .values_list("station_id", "step", "at")):
            times[sid][step] = stamp(at)
        scans = _scans(ids)
        for s in chunk:
            yield s, _station_document(data, s, protocols, amendments, times[s.id], scans)


def _station_document(data, s: Station, protocols, amendments, times, scans) -> dict:
    contests = []
    for c in data.contests_of_station(s):
        versions = protocols.get((s.id, c.id), [])
        current = next((p for p in versions if p.current), None)
        checks = []
        if current is not None:
            checks = [f.to_json() for f in data.forms[c.id].check(current.figures,
                                                                   current.choices)]
        contests.append({
            "contest": c.id,
            "protocol": _protocol_json(current) if current else None,
            "checks": checks,
            "versions": _versions(versions, amendments),
            "scans": scans.get((s.id, c.id), []),
        })
    return {
        "id": s.id, "election": s.election_id, "number": s.number, "kind": s.kind,
        "commission": s.commission_id, "territory": s.territory_id, "district": s.district_id, "smd": s.smd_id,
        "territorial_smd": s.territorial_smd_id, "district_smd": s.district_smd_id,
        "address": {"kk": s.address, "ru": s.address_ru or s.address},
        "settlement": {"kk": s.settlement, "ru": s.settlement_ru or s.settlement},
        "urban": s.urban, "registered": s.registered,
        "contests": contests,
        "chronometry": dict(sorted(times.items())),
    }


def station_document(data: ElectionData, station: Station) -> dict:
    return next(station_documents(data, [station]))[1]


# --------------------------------------------------------------------------- commissions

def _contest_totals(contest: Contest, tally: Tally | None) -> dict:
    fig = dict(sorted((tally.figures if tally else {}).items()))
    return {"contest": contest.id,
            "stations_reported": tally.stations_reported if tally else 0,
            "stations_expected": tally.stations_expected if tally else 0,
            "complete": bool(tally and tally.complete),
            "turnout": turnout(fig),
            "figures": fig,
            "choices": dict(sorted((tally.choices if tally else {}).items()))}


def child_commissions(data: ElectionData, commission: Commission) -> list[Commission]:
    return data.children.get(commission.id, [])


def stations_under(commission: Commission):
    """The stations a district or SMD commission counts directly (None above that level)."""
    if commission.level == Commission.DISTRICT:
        return Station.objects.filter(district=commission)
    if commission.level == Commission.SMD:
        return areas.stations(commission)
    return None


def station_rows_by_commission(election: Election, commission_ids=None
                               ) -> dict[str, list[tuple]]:
    """(id, number, registered) of the stations under each district and SMD (or only under
    those of `commission_ids`: a batch of the publisher touches a few), in one query."""
    from django.db.models import Q

    out: dict[str, list[tuple]] = defaultdict(list)
    qs = Station.objects.filter(election=election)
    if commission_ids is not None:
        ids = list(commission_ids)
        q = Q(district_id__in=ids)
        for column in areas.SMD_COLUMNS:
            q |= Q(**{f"{column}__in": ids})
        qs = qs.filter(q)
    for sid, n, reg, district, *smds in (qs.order_by("number").values_list(
            "id", "number", "registered", "district_id", *areas.SMD_COLUMNS)):
        out[district].append((sid, n, reg))
        for smd in smds:
            if smd:
                out[smd].append((sid, n, reg))
    return out


def commission_document(data: ElectionData, commission: Commission,
                        tallies: dict | None = None, reported: dict | None = None,
                        stations_by: dict | None = None) -> dict:
    """Totals of the commission per contest, its ancestors, and its children's totals (or, for
    a district or SMD, its stations with whether each has reported)."""
    contests = data.contests_of_commission(commission)
    children = child_commissions(data, commission)
    if tallies is None:
        tallies = data.tallies([commission.id] + [c.id for c in children])
    doc = {
        "id": commission.id, "election": data.election.id, "level": commission.level,
        "number": commission.number, "name": names(commission), "parent": commission.parent_id,
        "ancestors": [a.id for a in data.ancestors(commission.id)],
        "contests": [_contest_totals(c, tallies.get((c.id, commission.id))) for c in contests],
        "children": [{"id": ch.id, "level": ch.level, "number": ch.number, "name": names(ch),
                      "contests": [_contest_totals(c, tallies.get((c.id, ch.id)))
                                   for c in data.contests_of_commission(ch)]}
                     for ch in children],
    }
    qs = stations_under(commission)
    if qs is not None:
        rows = (stations_by.get(commission.id, []) if stations_by is not None else
                list(qs.order_by("number").values_list("id", "number", "registered")))
        if reported is None:
            reported = reported_contests([r[0] for r in rows])
        doc["stations"] = [{"id": sid, "number": n, "registered": reg,
                            "reported": sorted(reported.get(sid, ()))}
                           for sid, n, reg in rows]
    return doc


def maslikhat_commissions(election: Election) -> list[Commission]:
    """The territorial and district commissions whose maslikhat is elected: those with a
    contest of their own or on one of their single-member districts."""
    ids = set()
    for cid, level, parent in Contest.objects.filter(election=election).values_list(
            "commission_id", "commission__level", "commission__parent_id"):
        if level in (Commission.TERRITORIAL, Commission.DISTRICT):
            ids.add(cid)
        elif level == Commission.SMD:
            ids.add(parent)
    return sorted(Commission.objects.filter(id__in=ids, level__in=(
        Commission.TERRITORIAL, Commission.DISTRICT)),
        key=lambda c: (AREA_RANK[c.level], c.number, c.id))


def reported_contests(station_ids) -> dict[str, set[str]]:
    """Which contests each station has a current protocol for."""
    out: dict[str, set[str]] = defaultdict(set)
    ids = list(station_ids)
    for i in range(0, len(ids), 5000):
        for sid, cid in Protocol.objects.current().filter(station_id__in=ids[i:i + 5000]) \
                .values_list("station_id", "contest_id"):
            out[sid].add(cid)
    return out


def election_document(data: ElectionData) -> dict:
    e = data.election
    return {"id": e.id, "kind": e.kind, "date": stamp(e.date), "name": names(e),
            "synthetic": e.synthetic,
            "contests": [{"id": c.id, "kind": c.kind, "ruleset": c.ruleset, "seats": c.seats,
                          "commission": c.commission_id, "level": c.commission.level,
                          "name": names(c),
                          "choices": [{"key": ch.key, "name": names(ch), "party": ch.party_id}
                                      for ch in sorted(c.choices.all(), key=lambda x: x.order)]}
                         for c in data.contests]}


# ---------------------------------------------------------------------- the pages' view models
# What the drill-down pages show, built from the documents above, so that a page never shows a
# figure the downloads and the API do not.

def commission_page(e: Election, c: Commission) -> dict:
    """A territory's, district's or SMD's totals per contest (territories and the CEC with their
    results over time), its children with their reporting, or its stations."""
    data = ElectionData.load(e)
    doc = commission_document(data, c)
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
                 if own_districts and x.kind == Contest.SINGLE_MEMBER
                 and x.commission.parent_id == c.id]
    return {
        "election": e, "commission": c, "ancestors": data.ancestors(c.id), "results": results,
        "children": children, "districts": districts, "stations": doc.get("stations"),
        "contest_names": {x.id: x.name() for x in data.contests},
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


def _lang() -> str:
    return (get_language() or "kk")[:2]


def _aware(iso: str) -> dt.datetime:
    """Step times are stored in UTC; the page shows them in Almaty time."""
    at = dt.datetime.fromisoformat(iso)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _station_section(data: ElectionData, contest: Contest, part: dict, lang: str) -> dict:
    form = data.forms[contest.id]
    protocol = part["protocol"] or {"figures": {}, "choices": {}}
    choice_names = {ch.key: ch for ch in contest.choices.all()}
    valid = sum(protocol["choices"].values())
    found = valid + protocol["figures"].get("invalid", 0)
    choices = sorted(
        ({"key": k, "name": choice_names[k].name(lang) if k in choice_names else k,
          "color": (choice_names[k].party.color if k in choice_names
                    and choice_names[k].party_id else "#999999"),
          "votes": v, "share": 100 * v / found if found else 0.0}
         for k, v in protocol["choices"].items()),
        key=lambda r: (r["key"] == "against_all", -r["votes"]))
    lines = [{"number": ln.number, "key": ln.key, "label": ln.label.get(lang, ln.label["kk"]),
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
        "turnout": turnout(protocol["figures"]),
        "checks": [{**f, "text": f["message"].get(lang, f["message"]["kk"])}
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
    return text.get(lang, text["kk"]) if text else code


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
    lang = _lang()
    contests = {c.id: c for c in data.contests}
    return {
        "election": e, "station": s, "doc": doc,
        "sections": [_station_section(data, contests[part["contest"]], part, lang)
                     for part in doc["contests"]],
        "ancestors": [above[i] for i in (s.territory_id, s.district_id) if i in above],
        "smds": [above[i] for i in areas.smd_ids(s) if i in above],
        "chronometry": [(STEP_LABELS.get(step, step), _aware(at))
                        for step, at in sorted(doc["chronometry"].items(),
                                               key=lambda kv: kv[1] or "") if at],
        "copies": observer_copies(s),
        "evidence": verified_readings(s, lang),
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
    lang = _lang()
    name_lines(rows, lang)
    return rows


def _scan_url(pk: int) -> str | None:
    # The scans app may or may not be mounted: the page shows the hash either way.
    try:
        return reverse("scans:download", args=[pk])
    except NoReverseMatch:
        return None
