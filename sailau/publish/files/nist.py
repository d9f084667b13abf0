"""The NIST SP 1500-100 v2 election results report (JSON), precinct level: the commission tree
as reporting units (country → territory → district → polling place, SMDs beside them), each
contest with one selection per choice and vote counts for every unit that has results.

Mapping choices (the standard has no Kazakh terms): territorial and district commissions and
single-member districts are `other` units with an `OtherType`; "against all" is a candidate
selection without candidates (NIST has no "none of the above" selection); a party-list contest
is a PartyContest. Schema: NIST SP 1500-100 v2, election results reporting JSON schema."""

import datetime as dt

from sailau import clock
from sailau.elections.models import Commission, Station
from sailau.languages import LANGUAGES, WRITTEN, in_script, pick, tag
from sailau.law.figures import issued
from sailau.protocols.models import Protocol, Tally
from sailau.publish.files.election_data import ElectionData

UNIT_TYPE = {Commission.CEC: ("country", None), Commission.TERRITORIAL: ("other", "territory"),
             Commission.DISTRICT: ("other", "district"),
             Commission.SMD: ("other", "single-member-district")}


def _text(obj=None, values: dict | None = None) -> dict:
    """A name in every language offered (Kazakh in Latin script as `kk-Latn`)."""
    values = values or {lang: obj.name(lang) for lang in LANGUAGES}
    return {"@type": "ElectionResults.InternationalizedText",
            "Text": [{"@type": "ElectionResults.LanguageString", "Language": tag(lang),
                      "Content": values[lang]} for lang in LANGUAGES if values.get(lang)]}


def _gp(cid: str) -> str:
    return f"gp-{cid}"


def _counts(fig: dict) -> dict:
    return {"VotersRegistered": fig.get("voters_on_list", 0), "VotersParticipated": issued(fig)}


def tallies_of(e) -> dict:
    return {(t.contest_id, t.commission_id): t for t in Tally.objects.filter(contest__election=e)}


def station_list(e) -> list[tuple]:
    # (id, number, district, then the address in each written language, "" where it has none:
    # the spellings the log's `stations` leaf states)
    return [(sid, number, district, *((addresses or {}).get(lang) or "" for lang in WRITTEN))
            for sid, number, district, addresses in Station.objects.filter(election=e)
            .order_by("number", "id").values_list("id", "number", "district_id", "addresses")]


def current_protocols(e):
    """The current protocols of the election in the report's order: by station, then contest
    (a fixed order on every database, so that the report has one hash for one state)."""
    return (Protocol.objects.current().filter(contest__election=e)
            .order_by("station__number", "station_id", "contest_id"))


def report(data: ElectionData, generated: dt.datetime | None = None) -> dict:
    e = data.election
    tallies = tallies_of(e)
    stations = station_list(e)
    units = commission_units(data, tallies, stations)
    units += [polling_place(*row) for row in stations]
    protocols: dict[str, list] = {}
    for sid, cid, cho in current_protocols(e).values_list("station_id", "contest_id", "choices"):
        protocols.setdefault(cid, []).append((sid, cho))
    contests = [_contest(c, tallies, protocols.get(c.id, [])) for c in data.contests]
    return document(data, units, contests, tallies, generated)


def commission_units(data: ElectionData, tallies: dict, stations: list[tuple]) -> list[dict]:
    """The reporting units of the commissions, with their counts from `tallies` (the polling
    places follow them: `polling_place`). `stations`: `station_list`."""
    main = next((c for c in data.contests if c.commission.level == Commission.CEC), None)
    units = []
    children: dict[str, list[str]] = {}
    for sid, _n, district, *_ in stations:
        children.setdefault(district, []).append(_gp(sid))
    ordered = sorted((c for c in data.commissions.values() if c.level != Commission.PRECINCT),
                     key=lambda c: (c.level, c.number, c.id))
    for c in ordered:
        if c.parent_id and c.level != Commission.SMD:
            children.setdefault(c.parent_id, []).append(_gp(c.id))
    for c in ordered:
        kind, other = UNIT_TYPE[c.level]
        unit = {"@id": _gp(c.id), "@type": "ElectionResults.ReportingUnit", "Type": kind,
                "Name": _text(c)}
        if other:
            unit["OtherType"] = other
        if c.level == Commission.SMD:
            unit["IsDistricted"] = True
        if children.get(c.id):
            unit["ComposingGpUnitIds"] = children[c.id]
        contest = (next((x for x in data.contests if x.commission_id == c.id), None)
                   if c.level == Commission.SMD else main)
        t = tallies.get((contest.id, c.id)) if contest else None
        if t is not None:
            unit.update(_counts(t.figures))
            unit["SubUnitsReported"] = t.stations_reported
            unit["TotalSubUnits"] = t.stations_expected
        units.append(unit)
    return units


def polling_place(sid: str, number: int, _district: str, *addresses: str) -> dict:
    """A polling place: its address in each written language (`station_list`'s order), the
    Kazakh one where a language has none, and made from it in Latin script."""
    spelled = {lang: a for lang, a in zip(WRITTEN, addresses) if a}
    return {"@id": _gp(sid), "@type": "ElectionResults.ReportingUnit",
            "Type": "polling-place", "Number": str(number),
            "Name": _text(values={lang: pick(spelled, lang) for lang in LANGUAGES})}


def document(data: ElectionData, units: list, contests: list, tallies: dict,
             generated: dt.datetime | None) -> dict:
    e = data.election
    cec = next((c for c in data.commissions.values() if c.level == Commission.CEC), None)
    parties = {ch.party for c in data.contests for ch in c.choices.all() if ch.party_id}
    # an election with no tally has counted nothing: never complete (`all` of none is true)
    complete = bool(tallies) and all(t.complete for t in tallies.values())
    return {
        "@type": "ElectionResults.ElectionReport",
        "Format": "precinct-level",
        "GeneratedDate": (generated or clock.now()).replace(microsecond=0)
        .isoformat(),
        "Issuer": "Sailau", "IssuerAbbreviation": "Sailau",
        "SequenceStart": 1, "SequenceEnd": 1,
        "Status": "unofficial-complete" if complete else "unofficial-partial",
        "VendorApplicationId": "sailau",
        "IsTest": e.synthetic,
        "GpUnit": units,
        "Party": [{"@id": f"party-{p.id}", "@type": "ElectionResults.Party", "Name": _text(p),
                   "Abbreviation": _text(values={lang: in_script(p.short, lang) for lang in LANGUAGES}), "Color": p.color.lstrip("#").lower()}
                  for p in sorted(parties, key=lambda p: p.registration_order)],
        "Election": [{
            "@type": "ElectionResults.Election", "Name": _text(e),
            "ElectionScopeId": _gp(cec.id) if cec else "",
            "StartDate": e.date.isoformat(), "EndDate": e.date.isoformat(), "Type": "general",
            "Contest": contests,
        }],
    }


def vote_count(unit: str, cho: dict, key: str) -> dict:
    return {"@type": "ElectionResults.VoteCounts", "GpUnitId": _gp(unit), "Type": "total",
            "Count": cho.get(key, 0)}


def _contest(c, tallies, protocols) -> dict:
    area, kind = c.commission_id, c.contest_kind
    choices = sorted(c.choices.all(), key=lambda ch: ch.order)
    per_unit = [(area, tallies[(c.id, area)].choices)] if (c.id, area) in tallies else []
    per_unit += protocols
    selections = []
    for i, ch in enumerate(choices, 1):
        sel = {"@id": f"sel-{c.id}-{ch.key}", "SequenceOrder": i,
               "VoteCounts": [vote_count(u, cho, ch.key) for u, cho in per_unit]}
        sel.update(kind.nist_selection(ch.party_id))
        selections.append(sel)
    doc = {"@id": f"contest-{c.id}", "Name": c.name("en"),
           "ElectionDistrictId": _gp(area), "ContestSelection": selections}
    t = tallies.get((c.id, area))
    if t is not None:
        doc["SubUnitsReported"] = t.stations_reported
        doc["TotalSubUnits"] = t.stations_expected
    doc.update(kind.nist_fields(c.seats))
    return doc
