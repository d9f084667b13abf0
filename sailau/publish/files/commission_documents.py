"""The published documents of the commissions (a commission's totals per contest, its
ancestors, its children's totals or its stations) and of the election itself (its contests and
choices), and which stations have reported."""

from __future__ import annotations

from collections import defaultdict

from sailau.elections import areas
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.law import LawInputError, kinds
from sailau.law.figures import published_turnout as turnout
from sailau.protocols.models import Protocol, Tally
from sailau.publish.files.election_data import AREA_RANK, ElectionData, names, stamp
from sailau.verify.runs import to_runs


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
        # Its stations by number, and which of them each contest has a protocol from, as runs
        # of numbers (a station's id, address and figures are in its own file). A district's
        # file is written again whenever one of its stations reports: at 100,000 stations a
        # list of every number made an SMD's file 56 KB gzip'd, and 1.4 KB as runs (with
        # nearly all of its stations reported).
        rows = (stations_by.get(commission.id, []) if stations_by is not None else
                station_list(commission))
        if reported is None:
            reported = reported_contests([r[0] for r in rows])
        doc["station_runs"] = to_runs(n for _, n, _ in rows)
        by_contest: dict[str, list[int]] = defaultdict(list)
        for sid, n, _ in rows:
            for cid in reported.get(sid, ()):
                by_contest[cid].append(n)
        doc["reported_runs"] = {cid: to_runs(by_contest[cid]) for cid in sorted(by_contest)}
    return doc


def station_list(commission: Commission) -> list[tuple] | None:
    """(id, number, registered) of a district's or SMD's stations by number, in one query; None
    above that level. Read once for a page: its file (`commission_document(stations_by=)`) and
    its rows (`station_rows`) share it."""
    qs = stations_under(commission)
    if qs is None:
        return None
    return list(qs.order_by("number").values_list("id", "number", "registered"))


def station_rows(rows: list[tuple] | None, reported: dict[str, set[str]], names: dict
                 ) -> list[dict] | None:
    """A district's or SMD's stations for its page: number, registered voters and the names
    (`names`: contest id -> name) of the contests each has reported (`reported`: station id ->
    contest ids, as `reported_contests` gives it and the page's file was built from); None above
    that level. `rows`: `station_list`'s. Named here, not in the template: matching every
    contest's name there for each station took 0.3 of the 0.36 s a page of a district of 3,400
    stations took."""
    if rows is None:
        return None
    return [{"id": sid, "number": n, "registered": reg,
             "reported": [names[cid] for cid in sorted(reported.get(sid, ())) if cid in names]}
            for sid, n, reg in rows]


def maslikhat_commissions(election: Election) -> list[Commission]:
    """The commissions whose area's own body (a maslikhat) is elected: those holding a contest
    whose kind elects a local body there (`law.kinds.ContestKind.elects`), or holding a
    single-member district that does (a region's Senate seat, held by its territorial
    commission, elects no maslikhat)."""
    ids = set()
    for kind, cid, level, parent, parent_level in Contest.objects.filter(
            election=election).values_list("kind", "commission_id", "commission__level",
                                           "commission__parent_id",
                                           "commission__parent__level").distinct():
        try:
            body = kinds.get(kind).elects(level, parent_level)
        except LawInputError:
            continue  # a contest where none is elected (refused at import) names no maslikhat
        if body.local:
            # the commission of the area that elects it: the contest's, or its district's parent
            ids.add(cid if kinds.AREA_BODY.get(level) is body else parent)
    return sorted(Commission.objects.filter(id__in=ids),
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
            # a presidential second round and the round it repeats, as the logs link them
            "first_round": data.rounds["first_round"],
            "second_round": data.rounds["second_round"],
            # `district`: one of the many districts of a body (its kind's), so that a reader
            # (the static viewer) need not know which kinds are.
            "contests": [{"id": c.id, "kind": c.kind, "ruleset": c.ruleset, "seats": c.seats,
                          "district": c.contest_kind.district,
                          "commission": c.commission_id, "level": c.commission.level,
                          "name": names(c),
                          "choices": [{"key": ch.key, "name": names(ch), "party": ch.party_id}
                                      for ch in sorted(c.choices.all(), key=lambda x: x.order)]}
                         for c in data.contests]}
