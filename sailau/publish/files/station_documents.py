"""The published document of each station, built with a handful of bulk queries per chunk of
stations so that a national publication stays linear.

A station document carries, per contest, the current protocol with every line, every earlier
version with what changed and the decision behind it, the control relations re-checked, the
scans with their hashes and status, the index of the current protocol's leaf in the published
log (`"log": {"index": n}`, null until integrated), and the station's chronometry."""

from __future__ import annotations

from collections import defaultdict

from sailau.elections.models import Station
from sailau.languages import OFFICIAL
from sailau.ledger import outbox
from sailau.protocols.logged import subject
from sailau.protocols.models import Amendment, Protocol, StepTime
from sailau.publish.files.election_data import ElectionData, stamp
from sailau.verify.signatures import FORMAT_AMENDED, FORMAT_BEHALF


def _protocol_json(p: Protocol) -> dict:
    out = {"version": p.version, "source": p.source, "created_at": stamp(p.created_at),
           "figures": dict(sorted(p.figures.items())), "choices": dict(sorted(p.choices.items())),
           "acknowledged": p.findings,
           # The commission's Ed25519 signature of this version (sailau.verify.signatures) and
           # the key it was made with, one of the commission's keys in keys.json.
           "signature": p.signature, "signed_with": p.signed_with}
    if p.signed_message:  # signed by the commission's own key: the form and the scans it covers
        out["signed_message"], out["signed_scans"] = p.signed_message, p.signed_scans or []
    if p.signed_by:  # typed from the paper and signed by the commission above, on its behalf
        out["signed_by"] = p.signed_by
    a = (getattr(p, "amendment", None) if p.signed_message in (FORMAT_AMENDED, FORMAT_BEHALF)
         else None)
    if a is not None:  # an amendment's signature covers the decision it cites
        out["signed_decision"] = {"number": a.decision_number,
                                  "date": stamp(a.decision_date), "reason": a.reason}
    return out


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
        logged = outbox.indexes(data.election.id, "protocol", [
            subject(p.station_id, p.contest_id, p.version)
            for versions in protocols.values() for p in versions if p.current])
        for s in chunk:
            yield s, _station_document(data, s, protocols, amendments, times[s.id], scans,
                                       logged)


def _station_document(data, s: Station, protocols, amendments, times, scans, logged) -> dict:
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
            # The current protocol's leaf in the election's published log (log/), once the
            # integrator has sequenced it: an inclusion proof against log/checkpoint.
            "log": {"index": logged[key]} if current is not None and (
                key := subject(s.id, c.id, current.version)) in logged else None,
        })
    return {
        "id": s.id, "election": s.election_id, "number": s.number, "kind": s.kind,
        "commission": s.commission_id, "territory": s.territory_id, "district": s.district_id, "smd": s.smd_id,
        "territorial_smd": s.territorial_smd_id, "district_smd": s.district_smd_id,
        # In each official language, the Kazakh standing in where a station has no Russian.
        "address": {lang: s.where(lang) for lang in OFFICIAL},
        "settlement": {lang: s.place(lang) for lang in OFFICIAL},
        "urban": s.urban, "registered": s.registered,
        "contests": contests,
        "chronometry": dict(sorted(times.items())),
    }


def station_document(data: ElectionData, station: Station) -> dict:
    return next(station_documents(data, [station]))[1]
