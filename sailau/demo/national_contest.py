"""A seeded synthetic election of one national contest (the President, a referendum's question)
on the 17 territorial units of 2019-2022: the commission tree (the central commission, a
territorial commission per region, district commissions, precinct commissions), the stations,
the contest and its choices, and every station's protocol, shaped on figures an official
announced (each kind's module says which: `president2019`, `referendum2022`), with the
falsifications of the Mazhilis demo injected on purpose and recorded as ground truth
(`station_figures.inject`), and the commissions' turnout reports through the day.

Pure Python + numpy (no Django), as `synthetic.build` is for the Mazhilis."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from sailau.demo import station_figures, turnout_day
from sailau.demo.geography import ABROAD_CITIES, SPECIAL_PLACES, STREETS, latin, person_name
from sailau.demo.mazhilis2023 import LINE_KEYS
from sailau.demo.regions2019 import CAPITAL, REGIONS
from sailau.demo.synthetic import Synthetic, _address, _hamilton, _place_name, _ru
from sailau.languages import WRITTEN
from sailau.law import kinds


@dataclass(frozen=True)
class Choice:
    key: str
    kk: str
    ru: str
    en: str
    full_name: str | None = None  # a candidate's, as the candidates' table holds it


@dataclass(frozen=True)
class Shape:
    """What a kind's module says of its election: the election and its contest as structure
    rows (without ids), the choices on the ballot, and the figures to shape the draw on."""
    election: dict  # id, kind, date, name_kk/ru/en
    contest: dict  # kind, ruleset, seats, name_kk/ru/en
    choices: tuple[Choice, ...]
    # share of the ballots found in the boxes: one per choice, then "both_marked" (a
    # referendum's) if `both_marked`, then invalid; summing to 1
    shares: tuple[float, ...]
    turnout: dict[str, float]  # region code -> share of registered voters issued a ballot
    registered: int  # voters on the lists nationally, at the full station count
    full_stations: int
    full_abroad: int
    full_special: int
    both_marked: bool = False
    tilt: float = 400.0  # concentration of the regions' shares around the national ones
    nominators: tuple[str, ...] = ()  # who nominates commission members


def build(shape: Shape, seed: int, stations: int) -> Synthetic:
    if stations < 2 * len(REGIONS) + 1:
        raise ValueError(f"--stations: at least {2 * len(REGIONS) + 1} are needed for "
                         f"{len(REGIONS)} regions and the stations abroad")
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    scale = stations / shape.full_stations
    n_abroad = max(1, round(shape.full_abroad * scale))
    n_special = max(1, round(shape.full_special * scale))
    n_home = stations - n_abroad
    eid = shape.election["id"]
    syn = Synthetic(seed=seed, election={**shape.election, "synthetic": True})
    cec = f"{eid}.cec"
    capital = _address(CAPITAL.center_kk, CAPITAL.center_ru)
    syn.commissions.append({"id": cec, "level": "cec", "parent": None, "number": 0,
                            **_named(shape.contest["kind"], "cec", "Орталық сайлау комиссиясы",
                                     "Центральная избирательная комиссия",
                                     "Central Election Commission"), **capital})
    voters = np.array([r.voters for r in REGIONS], dtype=float)
    mean_size = np.array([1900 * r.urban_share + 650 * (1 - r.urban_share) for r in REGIONS])
    per_region = _hamilton(voters / mean_size, n_home, minimum=2)
    region_of: list[int] = []
    district_of: list[str] = []
    urban_of: list[bool] = []
    for ri, region in enumerate(REGIONS):
        tid = f"{eid}.tec.{region.code}"
        syn.commissions.append({
            "id": tid, "level": "territorial", "parent": cec, "number": int(region.code),
            **_named(shape.contest["kind"], "territorial", f"{region.kk} аумақтық сайлау комиссиясы",
                     f"Территориальная избирательная комиссия: {region.ru}",
                     f"{region.en} territorial election commission",
                     (region.kk, region.ru, region.en)),
            **_address(region.center_kk, region.center_ru)})
        n_d = min(region.districts, int(per_region[ri]))
        towns = []
        for d in range(n_d):
            town = region.city or d == 0
            if region.city:
                kk, ru = f"{region.center_kk} қ., {d + 1}-аудан", \
                    f"г. {region.center_ru}, район № {d + 1}"
                en = f"{latin(region.center_ru)}, district no. {d + 1}"
            elif d == 0:
                kk, ru = f"{region.center_kk} қаласы", f"город {region.center_ru}"
                en = f"{latin(region.center_ru)} city"
            else:
                place = _place_name(rnd)
                kk, ru = f"{place} ауданы", f"район {_ru(place)}"
                en = f"{latin(_ru(place))} District"
            did = f"{eid}.dec.{region.code}{d + 1:02d}"
            syn.commissions.append({
                "id": did, "level": "district", "parent": tid, "number": d + 1,
                **_named(shape.contest["kind"], "district", f"{kk} сайлау комиссиясы",
                         f"Избирательная комиссия: {ru}",
                         f"{region.en}, district {d + 1} election commission", (kk, ru, en)),
                "address": kk, "address_ru": ru, "address_en": en})
            towns.append((did, town))
        weights = np.array([3.0 if t else 1.0 for _, t in towns])
        for (did, town), k in zip(towns, _hamilton(weights, int(per_region[ri]), minimum=1),
                                  strict=True):
            region_of += [ri] * int(k)
            district_of += [did] * int(k)
            p = 1.0 if region.city else (0.95 if town else 0.15)
            urban_of += [bool(u) for u in rng.random(int(k)) < p]
    abroad = f"{eid}.dec.abroad"
    syn.commissions.append({
        "id": abroad, "level": "district", "parent": f"{eid}.tec.{CAPITAL.code}", "number": 99,
        **_named(shape.contest["kind"], "abroad", "Шетелдегі сайлау учаскелері",
                 "Избирательные участки за рубежом", "Polling stations abroad"), **capital})
    _stations(syn, shape, rng, rnd, region_of, district_of, urban_of, n_special, n_abroad,
              abroad)
    _contest(syn, shape)
    _members(syn, shape, rnd)
    _protocols(syn, shape, rng)
    return syn


def _stations(syn, shape, rng, rnd, region_of, district_of, urban_of, n_special, n_abroad,
              abroad) -> None:
    eid = syn.election["id"]
    n_home = len(region_of)
    special = set(rng.choice(n_home, size=min(n_special, n_home // 4), replace=False).tolist())
    urban = np.array(urban_of)
    size = np.where(urban, rng.lognormal(np.log(1900), 0.35, n_home),
                    rng.lognormal(np.log(600), 0.6, n_home))
    special_idx = np.array(sorted(special), dtype=np.int64)
    size[special_idx] = rng.uniform(40, 450, len(special_idx))
    regions = np.array(region_of)
    national = shape.registered * (n_home + n_abroad) / shape.full_stations
    regional = np.array([r.voters for r in REGIONS], dtype=float)
    regional *= national * 0.995 / regional.sum()
    ordinary = ~np.isin(np.arange(n_home), special_idx)
    for ri in range(len(REGIONS)):
        mask = (regions == ri) & ordinary
        if mask.any():
            size[mask] *= max(0.1, (regional[ri] - size[(regions == ri) & ~ordinary].sum())
                              / size[mask].sum())
    size = np.maximum(np.rint(size), 25).astype(np.int64)
    counter: dict[int, int] = {}
    for i in range(n_home):
        region = REGIONS[region_of[i]]
        counter[region_of[i]] = counter.get(region_of[i], 0) + 1
        number = int(region.code) * 10000 + counter[region_of[i]]
        if urban_of[i] or region.city:
            settlement = region.center_kk
        else:
            settlement = _place_name(rnd)
        (street, street_ru), house = rnd.choice(STREETS), rnd.randint(1, 179)
        kind = "special" if i in special else "ordinary"
        place_kk, place_ru = rnd.choice(SPECIAL_PLACES) if kind == "special" else \
            ("мектеп", "школа")
        _add(syn, eid, number, kind, district_of[i], f"{eid}.tec.{region.code}", settlement,
             f"{settlement}, {street} көшесі, {house} ({place_kk})",
             f"{_ru(settlement)}, ул. {street_ru}, {house} ({place_ru})",
             bool(urban_of[i] or region.city), int(size[i]))
    for j in range(n_abroad):
        city_kk, city_ru, _en = ABROAD_CITIES[j % len(ABROAD_CITIES)]
        _add(syn, eid, j + 1, "abroad", abroad, f"{eid}.tec.{CAPITAL.code}", city_kk,
             f"{city_kk}, Қазақстан Республикасының елшілігі",
             f"{city_ru}, посольство Республики Казахстан", True, int(rng.integers(60, 2500)))


def _add(syn, eid, number, kind, district, territory, settlement, address, address_ru, urban,
         registered) -> None:
    sid = f"{eid}.pec.{number // 10000:02d}.{number % 10000:04d}"
    syn.commissions.append({
        "id": sid, "level": "precinct", "parent": district, "number": number,
        **_named(syn.election["kind"], "precinct", f"№{number} учаскелік сайлау комиссиясы",
                 f"Участковая избирательная комиссия № {number}",
                 f"Precinct election commission no. {number}", (number,) * 3),
        "address": address,
        "address_ru": address_ru})
    syn.stations.append({
        "id": sid, "commission": sid, "district": district, "territory": territory, "smd": None,
        "number": number, "kind": kind, "settlement": settlement,
        "settlement_ru": _ru(settlement), "address": address, "address_ru": address_ru,
        "urban": urban, "registered": registered})


def _named(kind, level: str, kk: str, ru: str, en: str, place=("", "", "")) -> dict:
    """A commission's names: an election commission's (`kk`, `ru`, `en`), or the words its
    kind names its commissions by (a referendum's commissions) with `place` in them."""
    words = kinds.KINDS[kind].wording if kind in kinds.KINDS else None
    if words is None or not words.commissions or level not in words.commissions:
        return {"name_kk": kk, "name_ru": ru, "name_en": en}
    name = words.commissions[level]
    return {f"name_{lang}": name[lang].format(p)
            for lang, p in zip(WRITTEN, place, strict=True)}


def contest_id(election_id: str) -> str:
    return f"{election_id}.national"


def _contest(syn, shape) -> None:
    eid = syn.election["id"]
    cid = contest_id(eid)
    syn.contests.append({"id": cid, "commission": f"{eid}.cec", **shape.contest})
    for order, c in enumerate(shape.choices, start=1):
        syn.choices.append({"contest": cid, "key": c.key, "party": None, "order": order,
                            "name_kk": c.kk, "name_ru": c.ru, "name_en": c.en})
        if c.full_name:
            syn.candidates.append({"id": f"{cid}.{c.key}", "contest": cid, "choice": c.key,
                                   "party": None, "list_position": None,
                                   "full_name": c.full_name})


def _members(syn, shape, rnd) -> None:
    nominators = shape.nominators or ("Қазақстан халқы Ассамблеясы",)
    weights = [6] + [1] * (len(nominators) - 1)  # the ruling party's nominees the most numerous
    for c in syn.commissions:
        size = 7 if c["level"] != "precinct" else rnd.randint(5, 11)
        for k, nom in enumerate(rnd.choices(nominators, weights=weights, k=size)):
            syn.members.append({"commission": c["id"],
                                "full_name": person_name(rnd, rnd.random() < 0.55),
                                "role": ["chair", "deputy", "secretary"][k] if k < 3
                                else "member", "nominated_by": nom, "party": None})


def _protocols(syn, shape, rng) -> None:
    """Every station's protocol: its regional turnout (the official one where the module has
    it) with station noise, ballots issued, cancelled and found as the Mazhilis demo draws
    them, and the ballots found split by the regional shares (the national ones tilted)."""
    st = syn.stations
    n = len(st)
    codes = [r.code for r in REGIONS]
    region_of = np.array([codes.index(s["territory"].rsplit(".", 1)[1]) for s in st])
    urban = np.array([s["urban"] for s in st])
    kind = np.array([s["kind"] for s in st])
    registered = np.array([s["registered"] for s in st], dtype=np.int64)
    region_turnout = np.array([shape.turnout[c] for c in codes])
    mean_t = region_turnout[region_of] + 0.08 * (kind == "special")
    mean_t = np.clip(np.where(kind == "abroad", 0.3, mean_t), 0.05, 0.95)
    turnout = np.clip(rng.beta(40 * mean_t, 40 * (1 - mean_t)), 0.05, 0.97)
    voters = registered + rng.binomial(registered, 0.004)  # same-day additions
    issued = rng.binomial(voters, turnout)
    issued_mobile = rng.binomial(issued, np.where(urban, 0.01, 0.04) * (kind != "abroad"))
    issued_absentee = rng.binomial(issued - issued_mobile, 0.006)
    issued_room = issued - issued_mobile - issued_absentee
    mobile_requests = issued_mobile + rng.binomial(issued_mobile + 1, 0.1)
    lost = np.minimum((rng.random(n) < 0.002).astype(np.int64), voters - issued)
    cancelled = voters - issued - lost
    taken_away = rng.binomial(issued_room + issued_absentee, 0.002)
    found_stat = issued_room + issued_absentee - taken_away
    found_mobile = issued_mobile.copy()
    shares = np.array(shape.shares, dtype=float)
    shares /= shares.sum()
    region_mix = rng.dirichlet(shares * shape.tilt, len(REGIONS))
    station_mix = np.array([rng.dirichlet(a) for a in region_mix[region_of] * 300])
    counted = np.array([rng.multinomial(f, p) for f, p in
                        zip(found_stat + found_mobile, station_mix, strict=True)])
    k = len(shape.choices)
    votes = counted[:, :k].copy()
    both = counted[:, k] if shape.both_marked else np.zeros(n, dtype=np.int64)
    invalid = counted[:, -1]
    lines = np.stack([voters, voters, issued_room, issued_mobile, issued_absentee, cancelled,
                      lost, found_stat, found_mobile, invalid, mobile_requests], axis=1)
    keys = [c.key for c in shape.choices]
    station_figures.inject(syn, rng, lines, votes, kind, region_of, regions=REGIONS, keys=keys)
    turnout_day.reports(syn, lines[:, 2:5].sum(axis=1))
    cid = contest_id(syn.election["id"])
    for i, s in enumerate(st):
        figures = dict(zip(LINE_KEYS, map(int, lines[i]), strict=True))
        if shape.both_marked:
            figures["both_marked"] = int(both[i])
        syn.protocols[(s["id"], cid)] = {
            "figures": figures, "choices": dict(zip(keys, map(int, votes[i]), strict=True))}
