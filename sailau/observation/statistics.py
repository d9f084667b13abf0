"""Statistics as the observation reports give them: "counting assessed negatively in X of Y
observed stations", for each stage, each checklist item, each territory and each organisation;
violations of observers' rights; observers' copies against the official protocols.

A station counts once per stage: it is "negative" when any observer there assessed that stage
negatively (the ODIHR statements count observations, but several organisations may watch one
station, and a station assessed badly by one of them is what a reader wants to find)."""

from __future__ import annotations

from collections import defaultdict

from sailau.elections.models import Election
from sailau.observation import checklists
from sailau.observation import models as m
from sailau.observation.compare import compared


def _pct(x: int, y: int) -> float | None:
    return round(100 * x / y, 1) if y else None


def _xy(neg: set, seen: set) -> dict:
    return {"negative": len(neg), "observed": len(seen), "percent": _pct(len(neg), len(seen))}


def compute(election_id: str, lang: str = "en", territory: str | None = None,
            organisation: int | None = None) -> dict:
    subs = m.ChecklistSubmission.objects.filter(station__election_id=election_id)
    incidents = m.Incident.objects.filter(station__election_id=election_id)
    if territory:
        subs = subs.filter(station__territory_id=territory)
        incidents = incidents.filter(station__territory_id=territory)
    if organisation:
        subs = subs.filter(observer__organisation_id=organisation)
        incidents = incidents.filter(observer__organisation_id=organisation)

    seen: dict[str, set] = defaultdict(set)
    neg: dict[str, set] = defaultdict(set)
    item_seen: dict[tuple, set] = defaultdict(set)
    item_neg: dict[tuple, set] = defaultdict(set)
    by_terr: dict[tuple, list[set]] = defaultdict(lambda: [set(), set()])
    by_org: dict[tuple, list[set]] = defaultdict(lambda: [set(), set()])
    terr_names: dict[str, str] = {}
    org_names: dict[int, str] = {}
    for sid, stage, version, answers, negative, terr, org in subs.values_list(
            "station_id", "stage", "form_version", "answers", "negative", "station__territory_id",
            "observer__organisation_id"):
        seen[stage].add(sid)
        by_terr[(stage, terr)][0].add(sid)
        by_org[(stage, org)][0].add(sid)
        if negative:
            neg[stage].add(sid)
            by_terr[(stage, terr)][1].add(sid)
            by_org[(stage, org)][1].add(sid)
        bad = set(checklists.negative_items(stage, answers, version))
        for key, value in answers.items():
            if key == "overall" or value == "na":
                continue
            item_seen[(stage, key)].add(sid)
            if key in bad:
                item_neg[(stage, key)].add(sid)
    if by_terr:
        from sailau.elections.models import Commission

        terr_names = {c.id: c.name(lang) for c in Commission.objects.filter(
            id__in={t for _, t in by_terr})}
    if by_org:
        org_names = {o.id: o.name(lang) for o in m.Organisation.objects.filter(
            id__in={o for _, o in by_org})}

    form = checklists.form()
    election = Election.objects.filter(id=election_id).first()
    words = election.wording() if election else None  # a referendum's items in its words
    stages = []
    for stage in checklists.STAGES:
        spec = form["stages"][stage]
        items = []
        for item in spec["items"]:
            if item["type"] != "yes_no":
                continue
            key = (stage, item["key"])
            items.append({"key": item["key"], "label": checklists.item_label(item, lang, words),
                          "problem_answer": item["negative"], "rights": bool(item.get("rights")),
                          **_xy(item_neg[key], item_seen[key])})
        stages.append({
            "stage": stage, "label": checklists.label(spec["label"], lang),
            **_xy(neg[stage], seen[stage]), "items": items,
            "territories": sorted(({"id": t, "name": terr_names.get(t, t), **_xy(v[1], v[0])}
                                   for (s, t), v in by_terr.items() if s == stage),
                                  key=lambda r: r["name"]),
            "organisations": sorted(({"id": o, "name": org_names.get(o, str(o)), **_xy(v[1], v[0])}
                                     for (s, o), v in by_org.items() if s == stage),
                                    key=lambda r: r["name"])})

    kinds = dict(m.Incident.kinds_in(words))
    inc_count: dict[str, int] = defaultdict(int)
    inc_stations: dict[str, set] = defaultdict(set)
    for kind, sid in incidents.values_list("kind", "station_id"):
        inc_count[kind] += 1
        inc_stations[kind].add(sid)
    incident_rows = [{"kind": k, "label": str(kinds[k]), "rights": k in m.Incident.RIGHTS,
                      "incidents": inc_count[k], "stations": len(inc_stations[k])}
                     for k in kinds if inc_count[k]]
    rights_stations = set().union(*(inc_stations[k] for k in m.Incident.RIGHTS)) if inc_count else set()
    rights_items = [dict(i, stage=s["stage"], stage_label=s["label"]) for s in stages
                    for i in s["items"] if i["rights"] and i["observed"]]
    return {"election": election_id, "territory": territory, "organisation": organisation,
            "stages": stages, "incidents": incident_rows,
            "rights": {"incidents": sum(inc_count[k] for k in m.Incident.RIGHTS),
                       "stations": len(rights_stations), "checklist_items": rights_items},
            "copies": copies_summary(election_id, territory, organisation)}


def copies_summary(election_id: str, territory: str | None = None,
                   organisation: int | None = None) -> dict:
    qs = m.ObserverCopy.objects.filter(station__election_id=election_id)
    if territory:
        qs = qs.filter(station__territory_id=territory)
    if organisation:
        qs = qs.filter(observer__organisation_id=organisation)
    out = {"equal": 0, "different": 0, "official_missing": 0}
    for row in compared(qs.only("station_id", "contest_id", "observer_id", "figures", "choices")):
        out[row["status"]] += 1
    out["total"] = sum(out.values())
    return out


CSV_HEADER = ["section", "stage", "group_id", "group", "item", "negative", "observed", "percent"]


def csv_rows(stats: dict):
    for s in stats["stages"]:
        yield ["stage", s["stage"], "", "", "overall", s["negative"], s["observed"], s["percent"]]
        for i in s["items"]:
            yield ["item", s["stage"], "", "", i["key"], i["negative"], i["observed"], i["percent"]]
        for t in s["territories"]:
            yield ["territory", s["stage"], t["id"], t["name"], "overall", t["negative"],
                   t["observed"], t["percent"]]
        for o in s["organisations"]:
            yield ["organisation", s["stage"], o["id"], o["name"], "overall", o["negative"],
                   o["observed"], o["percent"]]
    for i in stats["incidents"]:
        yield ["incident" + ("_rights" if i["rights"] else ""), "", "", "", i["kind"],
               i["incidents"], i["stations"], ""]
    c = stats["copies"]
    for k in ("equal", "different", "official_missing"):
        yield ["copies", "", "", "", k, c[k], c["total"], _pct(c[k], c["total"])]
