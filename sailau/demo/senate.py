"""A Senate election beside the demo's Mazhilis, as on 14 January 2023: for a few regions and
cities of republican significance, the seat up for election, voted by the deputies of all
the region's maslikhats at a joint session (Constitution, arts. 50-51; rule set
`kz-senate-2023`).

A structure of its own (a Senate election is held on its own day): each region has its
territorial commission, and the joint session is the one "station" of its contest, under a
district commission and a precinct commission that stand for the session's voting point. Its
voters on the list are the electors; the structure lists each contest's electorate (the
session) explicitly, so that nobody infers it from the map. `structure()` is a structure
document and `protocols()` the sessions' counts (pure data); `build()` puts them through the
database, the protocol chain and a first publication, as `sailau demo` does beside the
Mazhilis."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from sailau.demo.geography import KK_TO_RU, REGIONS, person_name

RULESET = "kz-senate-2023"
# The regions with a seat up for election here, and the maslikhat deputies of each (electors):
# scaled to the 2023 total (3,167 electors for 20 regions and cities, about 160 each).
ELECTORS = {"03": 118, "04": 170, "05": 181}
CANDIDATES = 3
# The sessions sat in the morning of 14 January 2023 and counted before noon (assumed: the
# chain's replayed day needs a moment when voting ended, `demo.chain.Night`).
VOTING_ENDED = dt.datetime(2023, 1, 14, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty"))


def election_id(date: str = "2023-01-14") -> str:
    return f"kz.senate.{date}"


def structure(seed: int = 2023, date: str = "2023-01-14") -> dict:
    """The Senate election's structure document (`sailau structure import` format)."""
    rnd = random.Random(seed + 50)
    eid = election_id(date)
    cec = f"{eid}.cec"
    commissions = [{"id": cec, "level": "cec", "parent": None, "number": 0,
                    "name_kk": "Орталық сайлау комиссиясы",
                    "name_ru": "Центральная избирательная комиссия",
                    "name_en": "Central Election Commission"}]
    stations, contests, choices, candidates, electorate = [], [], [], [], []
    for n, region in enumerate((r for r in REGIONS if r.code in ELECTORS), start=1):
        tid, did, pid = f"{eid}.tec.{region.code}", f"{eid}.tec.{region.code}.joint", \
            f"{eid}.pec.{region.code}"
        commissions += [
            {"id": tid, "level": "territorial", "parent": cec, "number": n,
             "name_kk": f"{region.kk} аумақтық сайлау комиссиясы",
             "name_ru": f"Территориальная избирательная комиссия: {region.ru}",
             "name_en": f"{region.en} territorial election commission"},
            {"id": did, "level": "district", "parent": tid, "number": n,
             "name_kk": f"{region.kk} мәслихаттары депутаттарының бірлескен отырысы",
             "name_ru": f"Совместное заседание депутатов маслихатов: {region.ru}",
             "name_en": f"{region.en}: joint session of the maslikhats' deputies"},
            {"id": pid, "level": "precinct", "parent": did, "number": n,
             "name_kk": f"{region.kk}: бірлескен отырыстағы дауыс беру пункті",
             "name_ru": f"{region.ru}: пункт голосования на совместном заседании",
             "name_en": f"{region.en}: voting point at the joint session"}]
        stations.append({
            "id": pid, "commission": pid, "district": did, "territory": tid, "smd": None,
            "territorial_smd": None, "district_smd": None, "number": n, "kind": "special",
            "settlement": region.center_kk, "settlement_ru": region.center_ru,
            "address": f"{region.center_kk}, мәслихат сессиясының залы",
            "address_ru": f"{region.center_ru}, зал сессий маслихата", "urban": True,
            "registered": ELECTORS[region.code]})
        cid = f"{eid}.senate.{region.code}"
        contests.append({"id": cid, "kind": "senate", "ruleset": RULESET, "seats": 1,
                         "commission": tid, "name_kk": f"Сенат: {region.kk}",
                         "name_ru": f"Сенат: {region.ru}", "name_en": f"Senate: {region.en}"})
        electorate.append({"contest": cid, "station": pid})
        for i in range(1, CANDIDATES + 1):
            name = person_name(rnd, rnd.random() < 0.3)
            key = f"c{i}"
            choices.append({"contest": cid, "key": key, "party": None, "order": i,
                            "name_kk": name, "name_ru": name.translate(KK_TO_RU),
                            "name_en": name})
            candidates.append({"id": f"{cid}.{key}", "contest": cid, "choice": key,
                               "party": None, "list_position": None, "full_name": name})
    return {"format": "sailau-structure/1",
            "election": {"id": eid, "kind": "senate", "date": date, "synthetic": True,
                         "name_kk": "Сенат депутаттарын сайлау (синтетикалық)",
                         "name_ru": "Выборы депутатов Сената (синтетические)",
                         "name_en": "Senate election (synthetic)"},
            "commissions": commissions, "stations": stations, "parties": [],
            "contests": contests, "choices": choices, "candidates": candidates, "members": [],
            "electorate": electorate}


def protocols(doc: dict, seed: int = 2023) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(station, contest) -> (figures, choices) of each joint session: nearly every elector
    takes part (92 % did in 2023), one candidate often short of a majority."""
    rnd = random.Random(seed + 51)
    by_station = {s["id"]: s for s in doc["stations"]}
    out = {}
    for pair in doc["electorate"]:
        electors = by_station[pair["station"]]["registered"]
        took_part = electors - rnd.randint(2, max(3, electors // 10))
        invalid = rnd.randint(0, 3)
        weights = [rnd.uniform(0.5, 2.0) for _ in range(CANDIDATES)]
        valid = took_part - invalid
        votes = [int(valid * w / sum(weights)) for w in weights]
        votes[0] += valid - sum(votes)
        figures = {"voters_on_list": electors, "ballots_received": electors,
                   "issued_in_room": took_part, "issued_mobile": 0, "issued_absentee": 0,
                   "cancelled": electors - took_part, "lost": 0, "found_stationary": took_part,
                   "found_mobile": 0, "mobile_requests": 0, "invalid": invalid}
        out[(pair["station"], pair["contest"])] = (
            figures, {f"c{i}": v for i, v in enumerate(votes, start=1)})
    return out


def _keys_day_before(election, say=print) -> tuple[dict, dict]:
    """An earlier build's key files gone, then every joint session's commission makes,
    registers and has confirmed its own key, its first operator registering it
    (`commission_keys.make`). Returns the simulated accounts made for it (`demo.chain._users`),
    for the routing to use rather than grant their roles again."""
    from sailau.demo import commission_keys
    from sailau.demo.chain import _users
    from sailau.elections.models import Station

    commission_keys.forget(election.id)
    stations = sorted(Station.objects.filter(election=election).only(
        "id", "number", "commission_id", "territory_id"), key=lambda s: s.number)
    ops, coords = _users(election.id, stations, sorted({s.territory_id for s in stations}))
    commission_keys.make(election, stations, {s.id: ops[s.id][0] for s in stations}, say=say)
    return ops, coords


def build(seed: int = 2023, say=print, server_keys: bool = False):
    """The Senate election written beside the demo's Mazhilis (an earlier build's replaced),
    every joint session's protocol through the protocol chain as the build routes the
    Mazhilis's (two entries by the session's operators, the checks, the commission's signature
    by the key its commission made the day before, `_keys_day_before`; with
    `server_keys`, by the key the server holds for it), the demo's witnesses named and a first
    publication, cosigned. Returns the election."""
    import time

    from sailau import clock
    from sailau.demo import commission_keys, witnesses
    from sailau.demo.chain import NIGHT, Night, route
    from sailau.demo.elections import STRUCTURE_BEFORE
    from sailau.demo.load import write_structure
    from sailau.demo.night_plan import WITNESSED_AFTER
    from sailau.demo.synthetic import Synthetic
    from sailau.protocols.own_keys import polls_closed
    from sailau.publish.pages import search
    from sailau.publish.pipeline import snapshots

    t0 = time.perf_counter()
    doc = structure(seed)
    # imported weeks before, the witnesses named with it (they cosign the log from the start);
    # the keys made the day before and cosigned then, on the election's clock: a reader sees
    # from the witnesses' timestamps that they were on record before the vote
    with clock.showing(VOTING_ENDED - STRUCTURE_BEFORE):
        election = write_structure(doc, server_keys=server_keys)
        witnesses.register(election.id, say=say)
    users = None
    if server_keys:
        commission_keys.forget(election.id)
    else:
        users = _keys_day_before(election, say=say)
        with clock.showing(polls_closed(election) - commission_keys.CONFIRMED + WITNESSED_AFTER):
            witnesses.witness_now(election.id, say=say)
    syn = Synthetic(seed=seed, election=doc["election"], stations=doc["stations"],
                    contests=doc["contests"], protocols={
                        key: {"figures": figures, "choices": choices}
                        for key, (figures, choices) in protocols(doc, seed).items()})
    stats = route(syn, night=Night(VOTING_ENDED, VOTING_ENDED + NIGHT), own_keys=not server_keys,
                  say=say, users=users)
    search.rebuild(election.id)
    manifest = snapshots.publish(election.id)
    witnesses.cosign_published(election.id, say=say)
    say(f"{election.id}: {len(doc['contests'])} seats, {stats.protocols} joint sessions' "
        f"protocols through the protocol chain, {len(manifest['files'])} published files, in "
        f"{time.perf_counter() - t0:.1f} s", flush=True)
    return election


def main(argv: list[str] | None = None) -> int:
    """`python -m sailau.demo.senate SEED [--server-keys]`: `build` in a process of its own,
    beside the Mazhilis's build (`sailau.demo.beside`)."""
    import argparse

    from sailau.demo import beside

    ap = argparse.ArgumentParser(prog="python -m sailau.demo.senate")
    ap.add_argument("seed", type=int)
    ap.add_argument("--server-keys", action="store_true")
    a = ap.parse_args(argv)
    beside.setup()
    build(a.seed, say=print, server_keys=a.server_keys)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
