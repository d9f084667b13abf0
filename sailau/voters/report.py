"""The oversight report: per station and per territory, how many voters were added on
election day (by reason), mobile-voting requests, absentee certificates issued, redeemed and
refused a second time, and transfers. Counts only, so it is public; the names behind them
are on the staff pages."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from sailau.elections.models import Election
from sailau.voters import models as m

REASONS = [r for r, _ in m.SameDayAddition.REASONS]
COLUMNS = ("registered", "same_day", *[f"same_day_{r}" for r in REASONS], "mobile_requests",
           "absentee_issued", "absentee_redeemed_here", "second_redemptions_refused",
           "transfers_in", "transfers_out")


def _count(qs, key: str) -> dict:
    return {k: n for k, n in qs.values_list(key).annotate(n=Count("pk")).order_by()}


def by_station(election: Election, territory: str = "") -> list[dict]:
    stations = election.stations.select_related("territory").order_by("number")
    if territory:
        stations = stations.filter(territory_id=territory)
    sd = defaultdict(dict)
    for st, reason, n in (m.SameDayAddition.objects.filter(station__election=election)
                          .values_list("station_id", "reason").annotate(n=Count("pk")).order_by()):
        sd[st][reason] = n
    on_list = _count(m.ListEntry.objects.filter(election=election, station__isnull=False,
                                                state__in=(m.ListEntry.ON_LIST,
                                                           m.ListEntry.TRANSFERRED)), "station_id")
    mobile = _count(m.MobileRequest.objects.filter(station__election=election), "station_id")
    issued = _count(m.AbsenteeCertificate.objects.filter(home_station__election=election),
                    "home_station_id")
    redeemed = _count(m.AbsenteeCertificate.objects.filter(redeemed_station__election=election),
                      "redeemed_station_id")
    refused = _count(m.RefusedRedemption.objects.filter(station__election=election), "station_id")
    t_in = _count(m.Transfer.objects.filter(to_station__election=election), "to_station_id")
    t_out = _count(m.Transfer.objects.filter(from_station__election=election), "from_station_id")
    rows = []
    for s in stations:
        adds = sd.get(s.id, {})
        rows.append({
            "station": s.number, "station_id": s.id, "territory": s.territory_id,
            "territory_name": s.territory.place(), "registered": on_list.get(s.id, 0),
            "same_day": sum(adds.values()), **{f"same_day_{r}": adds.get(r, 0) for r in REASONS},
            "mobile_requests": mobile.get(s.id, 0), "absentee_issued": issued.get(s.id, 0),
            "absentee_redeemed_here": redeemed.get(s.id, 0),
            "second_redemptions_refused": refused.get(s.id, 0),
            "transfers_in": t_in.get(s.id, 0), "transfers_out": t_out.get(s.id, 0)})
    return rows


def by_territory(rows: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for r in rows:
        t = out.setdefault(r["territory"], {"territory": r["territory"],
                                            "territory_name": r["territory_name"], "stations": 0,
                                            **{c: 0 for c in COLUMNS}})
        t["stations"] += 1
        for c in COLUMNS:
            t[c] += r[c]
    for t in out.values():  # the share oversight looks at first
        t["same_day_per_1000"] = round(1000 * t["same_day"] / t["registered"], 2) if t["registered"] else None
    return sorted(out.values(), key=lambda t: t["territory"])


