"""The maslikhats elected on the demo's election day, as in 2023 beside the Mazhilis: a city of
republican significance's maslikhat (half its seats by party list, half in single-member
districts), a region's maslikhat (the same) and the maslikhats of that region's districts (all
single-member). Synthetic: the names, candidates and votes are made up.

Scaled down for the demo's time: 2023 elected 223 maslikhats; here two regions hold theirs
(Shymkent city and Ulytau region, with Ulytau's district maslikhats), so the demo's stations
send 2 or 3 protocols more there and the rest of the country stays as it was. Abroad stations
(under Astana) vote for no maslikhat, and neither region holds any.

Pure Python + numpy, like `synthetic`: it adds to a `Synthetic` before its protocols."""

from __future__ import annotations

import numpy as np

from sailau.demo.geography import REGIONS, person_name
from sailau.law import kinds

# Region code -> (list seats, single-member districts of the region's maslikhat, and of each of
# its district maslikhats: 0 for a city, which has no districts' maslikhats).
REGION_MASLIKHATS = {"03": (16, 16, 0), "19": (10, 10, 7)}
RULESET_LIST, RULESET_SMD = "kz-maslikhat-2023", "kz-smd-2023"
AGAINST_ALL = {"name_kk": "Барлығына қарсы", "name_ru": "Против всех", "name_en": "Against all"}


def add(syn, rng, rnd, ru) -> None:
    """Commissions, contests, choices and candidates of the maslikhats; each station gets its
    `territorial_smd` and `district_smd`. `ru`: the demo's Kazakh-to-Russian spelling."""
    eid = syn.election["id"]
    for s in syn.stations:
        s.setdefault("territorial_smd", None)
        s.setdefault("district_smd", None)
    names = {r.code: r for r in REGIONS}
    for code, (list_seats, smds, district_smds) in REGION_MASLIKHATS.items():
        region = names[code]
        tid = f"{eid}.tec.{code}"
        stations = [s for s in syn.stations if s["territory"] == tid]
        if not stations:
            continue
        _list(syn, rng, rnd, tid, region, list_seats)
        for group, smd in _districts(syn, tid, f"{eid}.smd.m{code}", stations, smds, region.kk,
                                     region.ru, region.en):
            for s in group:
                s["territorial_smd"] = smd
            _candidates(syn, rng, rnd, ru, smd)
        if not district_smds:
            continue
        for did in sorted({s["district"] for s in stations}):
            mine = [s for s in stations if s["district"] == did]
            d = next(c for c in syn.commissions if c["id"] == did)
            # The district's own names: a transliteration of the Kazakh one is neither language
            # ("Жезказган каласы" on a Russian page).
            label = d["name_kk"].removesuffix(" сайлау комиссиясы")
            label_ru = d["name_ru"].removeprefix("Избирательная комиссия: ")
            for group, smd in _districts(syn, did, f"{did}.smd", mine, district_smds, label,
                                         label_ru, f"{region.en}, district {d['number']}"):
                for s in group:
                    s["district_smd"] = smd
                _candidates(syn, rng, rnd, ru, smd)


def _list(syn, rng, rnd, tid: str, region, seats: int) -> None:
    """The party-list half of a maslikhat, on its territorial commission: every party of the
    Mazhilis list runs, with a list of candidates."""
    cid = f"{tid}.maslikhat"
    syn.contests.append({
        "id": cid, "kind": "party_list", "ruleset": RULESET_LIST, "seats": seats,
        "commission": tid,
        "name_kk": f"{region.kk} мәслихаты, партиялық тізімдер",
        "name_ru": f"Маслихат: {region.ru}, партийные списки",
        "name_en": f"{region.en} maslikhat, party lists"})
    for order, p in enumerate(syn.parties, start=1):
        syn.choices.append({"contest": cid, "key": p["key"], "party": p["id"], "order": order,
                            "name_kk": p["name_kk"], "name_ru": p["name_ru"],
                            "name_en": p["name_en"]})
        for pos in range(1, int(rng.integers(seats // 2, seats + 4)) + 1):
            woman = bool(rng.random() < 0.3)
            syn.candidates.append({
                "id": f"{cid}.{p['key']}.{pos:02d}", "contest": cid, "choice": p["key"],
                "party": p["id"], "list_position": pos, "full_name": person_name(rnd, woman),
                "birth_date": f"{int(rng.integers(1960, 2002))}-03-01", "woman": woman,
                "disability": False})
    syn.choices.append({"contest": cid, "key": "against_all", "party": None,
                        "order": len(syn.parties) + 1, **AGAINST_ALL})


def _districts(syn, parent: str, prefix: str, stations: list[dict], n: int, kk: str, ru: str,
               en: str):
    """`n` single-member districts under `parent` (fewer if it has fewer stations), each a run
    of its stations by number: yields (stations, district id)."""
    stations = sorted(stations, key=lambda s: s["number"])
    for i, group in enumerate(np.array_split(np.arange(len(stations)),
                                             min(n, len(stations))), start=1):
        smd = f"{prefix}.{i:02d}"
        syn.commissions.append({
            "id": smd, "level": "smd", "parent": parent, "number": i,
            "name_kk": f"{kk}: №{i} бір мандатты сайлау округі",
            "name_ru": f"{ru}: одномандатный избирательный округ № {i}",
            "name_en": f"{en}: single-member district no. {i}", "address": ""})
        syn.contests.append({
            "id": smd, "kind": "single_member", "ruleset": RULESET_SMD, "seats": 1,
            "commission": smd, "name_kk": f"{kk}: №{i} округ", "name_ru": f"{ru}: округ № {i}",
            "name_en": f"{en}: district no. {i}"})
        yield [stations[j] for j in group], smd


def _candidates(syn, rng, rnd, ru, cid: str) -> None:
    k = int(rng.integers(2, 6))
    for c in range(1, k + 1):
        woman = bool(rng.random() < 0.3)
        party = syn.parties[int(rng.integers(len(syn.parties)))] if rng.random() < 0.7 else None
        key, name = f"c{c:02d}", person_name(rnd, woman)
        syn.choices.append({"contest": cid, "key": key, "party": party and party["id"],
                            "order": c, "name_kk": name, "name_ru": ru(name), "name_en": name})
        syn.candidates.append({
            "id": f"{cid}.{key}", "contest": cid, "choice": key, "party": party and party["id"],
            "list_position": None, "full_name": name,
            "birth_date": f"{int(rng.integers(1955, 2002))}-06-01", "woman": woman,
            "disability": False})
    syn.choices.append({"contest": cid, "key": "against_all", "party": None, "order": k + 1,
                        **AGAINST_ALL})


def protocols(syn, rng) -> None:
    """Each maslikhat contest's protocol at each of its stations: the station's ballots as in
    its Mazhilis list protocol (one voter, one ballot of each), its own invalid ballots and
    votes. Call after the Mazhilis protocols."""
    list_id = f"{syn.election['id']}.list"
    keys: dict[str, list[str]] = {}
    for c in syn.choices:
        keys.setdefault(c["contest"], []).append(c["key"])
    lists = {c["commission"]: c["id"] for c in syn.contests
             if kinds.get(c["kind"]).by_list and c["id"] != list_id}
    for s in syn.stations:
        mine = [lists.get(s["territory"]), s.get("territorial_smd"), s.get("district_smd")]
        for cid in filter(None, mine):
            fig = dict(syn.protocols[(s["id"], list_id)]["figures"])
            found = fig["found_stationary"] + fig["found_mobile"]
            fig["invalid"] = int(rng.binomial(found, 0.02))
            k = keys[cid]
            # The first choice leads; "against all" (last) takes a few percent.
            weights = np.linspace(3, 1, len(k) - 1) ** 2
            p = np.append(weights / weights.sum() * 0.95, 0.05)
            votes = rng.multinomial(found - fig["invalid"], rng.dirichlet(p * 60))
            syn.protocols[(s["id"], cid)] = {"figures": fig,
                                            "choices": dict(zip(k, map(int, votes)))}
