"""A seeded, national-scale synthetic Mazhilis election shaped like 2023's: the commission tree,
stations, parties, candidates, commission members, and every station's protocol figures, with
falsifications injected on purpose and recorded as ground truth.

Pure Python + numpy (no Django): `build(seed, stations)` returns plain data that
`sailau.demo.load` writes to the database. The 2023 election's numbers it copies are in
`mazhilis2023.py`, the protocols' figures and the falsifications in `station_figures.py`."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from sailau.demo import maslikhat, regions2019, station_figures
from sailau.demo.geography import (
    ABROAD_CITIES,
    KK_TO_RU,
    PLACE_ROOTS,
    PLACE_TAILS,
    REGIONS,
    SPECIAL_PLACES,
    STREETS,
    latin,
    person_name,
)
from sailau.demo.mazhilis2023 import (
    ELECTION_DATE,
    ELECTION_ID,
    FULL_ABROAD,
    FULL_SPECIAL,
    FULL_STATIONS,
    LIST_SEATS,
    PARTIES,
    SMD_COUNT,
)


@dataclass
class Synthetic:
    seed: int
    election: dict
    commissions: list[dict] = field(default_factory=list)
    stations: list[dict] = field(default_factory=list)
    parties: list[dict] = field(default_factory=list)
    contests: list[dict] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    # (station_id, contest_id) -> {"figures": {...}, "choices": {...}}: the official figures
    protocols: dict = field(default_factory=dict)
    # what was injected: station_id -> {"kinds": [...], "paper": {...}} (paper = what the
    # precinct commission signed, where it differs from the official figures)
    truth: dict = field(default_factory=dict)
    # station_id -> {hour: ballots issued by then}: the commission's reports through the day
    turnout: dict = field(default_factory=dict)

    def structure(self) -> dict:
        """The election's structure as a `sailau.elections.structure` document."""
        return {
            "format": "sailau-structure/1",
            "election": {k: v for k, v in self.election.items() if not k.startswith("_")},
            "commissions": self.commissions, "stations": self.stations,
            "parties": [{k: v for k, v in p.items() if k != "key"} for p in self.parties],
            "contests": self.contests, "choices": self.choices, "candidates": self.candidates,
            "members": self.members,
        }


def _hamilton(weights: np.ndarray, total: int, minimum: int = 0) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainders), each ≥ minimum."""
    base = np.full(len(weights), minimum, dtype=np.int64)
    rest = total - base.sum()
    exact = weights / weights.sum() * rest
    out = base + np.floor(exact).astype(np.int64)
    short = total - out.sum()
    out[np.argsort(-(exact - np.floor(exact)), kind="stable")[:short]] += 1
    return out


# The regions' centres, of 2023 and of 2019: a made-up village or district is never named as one
# ("Ақ" + "төбе" is Ақтөбе, the centre of Aktobe region: a station of East Kazakhstan in
# "Актобе" read as a town of another region).
CENTRES = frozenset(r.center_kk for r in (*REGIONS, *regions2019.REGIONS))


def _place_name(rnd) -> str:
    """A made-up Kazakh place name (a village, a district), never a region's centre."""
    root, tail = rnd.choice(PLACE_ROOTS), rnd.choice(PLACE_TAILS)
    i = PLACE_ROOTS.index(root)
    while root + tail in CENTRES:  # the next root, with no other draw: the rest stays the same
        i = (i + 1) % len(PLACE_ROOTS)
        root = PLACE_ROOTS[i]
    return root + tail


def _ru(text: str) -> str:
    """The Russian spelling of a synthetic Kazakh place name: the letters Russian lacks taken
    to their nearest Russian ones ("Сарытөбе" → "Сарытобе"). A name with no established
    Russian form is written this way, in Russian word order: "район Сарытобе"."""
    return text.translate(KK_TO_RU)


def _address(kk: str, ru: str) -> dict:
    """A commission's address in the pages' three languages (English from the Russian)."""
    return {"address": kk, "address_ru": ru, "address_en": latin(ru)}


ASTANA = _address("Астана", "Астана")


def build(seed: int = 2023, stations: int = FULL_STATIONS, maslikhats: bool = False) -> Synthetic:
    """The election; with `maslikhats`, the election day of 2023 with maslikhats elected beside
    the Mazhilis (scaled down: `sailau.demo.maslikhat`), as `sailau demo` builds it."""
    if stations < 60:
        raise ValueError("--stations: at least 60 are needed for 20 regions and 29 districts")
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)  # for picking names from lists
    scale = stations / FULL_STATIONS
    n_abroad = max(1, round(FULL_ABROAD * scale))
    n_special = max(1, round(FULL_SPECIAL * scale))
    n_home = stations - n_abroad
    syn = Synthetic(seed=seed, election={
        "id": ELECTION_ID, "kind": "mazhilis", "date": ELECTION_DATE.isoformat(),
        "name_kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау (синтетикалық)",
        "name_ru": "Выборы депутатов Мажилиса Парламента Республики Казахстан (синтетические)",
        "name_en": "Election of deputies of the Mazhilis of the Parliament of Kazakhstan (synthetic)",
        "synthetic": True,
    })
    eid = ELECTION_ID
    cec_id = f"{eid}.cec"
    syn.commissions.append({"id": cec_id, "level": "cec", "parent": None, "number": 0,
                            "name_kk": "Орталық сайлау комиссиясы",
                            "name_ru": "Центральная избирательная комиссия",
                            "name_en": "Central Election Commission", **ASTANA})
    _parties(syn, rng)

    # Stations per region and per district: smaller, more numerous stations in the countryside.
    voters = np.array([r.voters for r in REGIONS], dtype=float)
    mean_size = np.array([1900 * r.urban_share + 650 * (1 - r.urban_share) for r in REGIONS])
    per_region = _hamilton(voters / mean_size, n_home, minimum=2)
    smd_per_region = _hamilton(voters, SMD_COUNT, minimum=1)

    station_region, station_district, station_urban = [], [], []
    district_ids: list[list[str]] = []
    for ri, region in enumerate(REGIONS):
        tid = f"{eid}.tec.{region.code}"
        syn.commissions.append({
            "id": tid, "level": "territorial", "parent": cec_id, "number": int(region.code),
            "name_kk": f"{region.kk} аумақтық сайлау комиссиясы",
            "name_ru": f"Территориальная избирательная комиссия: {region.ru}",
            "name_en": f"{region.en} territorial election commission",
            **_address(region.center_kk, region.center_ru),
        })
        n_d = min(region.districts, int(per_region[ri]))
        ids = []
        for d in range(n_d):
            town = region.city or d < max(1, round(n_d * region.urban_share * 0.4))
            if region.city:
                dname_kk, dname_ru = f"{region.center_kk} қ., {d + 1}-аудан", \
                    f"г. {region.center_ru}, район № {d + 1}"
                dname_en = f"{latin(region.center_ru)}, district no. {d + 1}"
            elif d == 0:
                dname_kk, dname_ru = f"{region.center_kk} қаласы", f"город {region.center_ru}"
                dname_en = f"{latin(region.center_ru)} city"
            else:
                place = _place_name(rnd)
                dname_kk, dname_ru = f"{place} ауданы", f"район {_ru(place)}"
                dname_en = f"{latin(_ru(place))} District"
            did = f"{eid}.dec.{region.code}{d + 1:02d}"
            ids.append(did)
            syn.commissions.append({
                "id": did, "level": "district", "parent": tid, "number": d + 1,
                "name_kk": f"{dname_kk} сайлау комиссиясы",
                "name_ru": f"Избирательная комиссия: {dname_ru}",
                "name_en": f"{region.en}, district {d + 1} election commission",
                "address": dname_kk, "address_ru": dname_ru, "address_en": dname_en,
                "_town": bool(town),
            })
        district_ids.append(ids)
        # Districts of the centre hold more of the urban stations.
        weights = np.array([3.0 if c["_town"] else 1.0 for c in syn.commissions[-n_d:]])
        per_district = _hamilton(weights, int(per_region[ri]), minimum=1)
        for d, k in enumerate(per_district):
            urban_p = 0.95 if syn.commissions[-n_d + d]["_town"] else 0.15
            station_region += [ri] * int(k)
            station_district += [ids[d]] * int(k)
            station_urban += list(rng.random(int(k)) < (1.0 if region.city else urban_p))
    for c in syn.commissions:
        c.pop("_town", None)

    # Abroad: one district commission under Astana's territorial commission.
    abroad_did = f"{eid}.dec.abroad"
    syn.commissions.append({
        "id": abroad_did, "level": "district", "parent": f"{eid}.tec.01", "number": 99,
        "name_kk": "Шетелдегі сайлау учаскелері", "name_ru": "Избирательные участки за рубежом",
        "name_en": "Polling stations abroad", **ASTANA,
    })

    # Single-member districts: each region's districts grouped into contiguous runs.
    smd_of_district: dict[str, str] = {}
    smd_n = 0
    for ri, region in enumerate(REGIONS):
        groups = np.array_split(np.array(district_ids[ri]), int(smd_per_region[ri]))
        for g in groups:
            smd_n += 1
            sid = f"{eid}.smd.{smd_n:02d}"
            syn.commissions.append({
                "id": sid, "level": "smd", "parent": cec_id, "number": smd_n,
                "name_kk": f"№{smd_n} бір мандатты сайлау округі ({region.kk})",
                "name_ru": f"Одномандатный избирательный округ № {smd_n} ({region.ru})",
                "name_en": f"Single-member district no. {smd_n} ({region.en})",
                **_address(region.center_kk, region.center_ru),
            })
            for did in g:
                smd_of_district[str(did)] = sid

    _stations(syn, rng, rnd, station_region, station_district, station_urban, n_special, n_abroad,
              abroad_did, smd_of_district)
    _contests(syn, rng, rnd, smd_n)
    # The maslikhats draw from their own streams: the Mazhilis's figures stay what they were.
    maslikhat_rng = np.random.default_rng(seed + 15)
    if maslikhats:
        maslikhat.add(syn, maslikhat_rng, random.Random(seed + 15), _ru)
    _members(syn, rng, rnd)
    station_figures.protocols(syn, rng)
    if maslikhats:
        maslikhat.protocols(syn, maslikhat_rng)
    return syn


def _parties(syn: Synthetic, rng) -> None:
    for order, (pid, short, kk, ru, en, color, _share) in enumerate(PARTIES, start=1):
        syn.parties.append({"id": f"{ELECTION_ID}.party.{pid}", "key": pid, "short": short,
                            "name_kk": kk, "name_ru": ru, "name_en": en, "color": color,
                            "registration_order": order})


def _stations(syn, rng, rnd, station_region, station_district, station_urban, n_special, n_abroad,
              abroad_did, smd_of_district) -> None:
    eid = ELECTION_ID
    n_home = len(station_region)
    special = set(rng.choice(n_home, size=min(n_special, n_home // 4), replace=False).tolist())
    # Registered voters: a log-normal spread around a size that depends on town or country,
    # rescaled so each region totals its voters.
    urban = np.array(station_urban)
    size = np.where(urban, rng.lognormal(np.log(1900), 0.35, n_home),
                    rng.lognormal(np.log(600), 0.6, n_home))
    special_idx = np.array(sorted(special), dtype=np.int64)
    size[special_idx] = rng.uniform(40, 450, len(special_idx))
    region_arr = np.array(station_region)
    scale_to = len(syn.stations) or FULL_STATIONS
    national = 11_950_000 * ((n_home + n_abroad) / scale_to)
    regional_voters = np.array([r.voters for r in REGIONS], dtype=float)
    regional_voters *= national * 0.995 / regional_voters.sum()
    for ri in range(len(REGIONS)):
        mask = (region_arr == ri) & ~np.isin(np.arange(n_home), special_idx)
        if mask.any():
            size[mask] *= (regional_voters[ri] - size[(region_arr == ri) & ~mask].sum()) / size[mask].sum()
    size = np.maximum(np.rint(size), 25).astype(np.int64)

    number_in_region: dict[int, int] = {}
    settlements: dict[str, list[str]] = {}
    # Station numbers repeat across regions in Kazakhstan; prefixing the region keeps them
    # unique nationally and readable (180412 = region 18, station 412). A country scaled past
    # 9,999 stations in a region (the 100,000-station benchmark) numbers them with five digits.
    stride = 10 ** max(4, len(str(max(Counter(station_region[:n_home]).values(), default=0))))
    for i in range(n_home):
        ri = station_region[i]
        region = REGIONS[ri]
        number_in_region[ri] = number_in_region.get(ri, 0) + 1
        number = int(region.code) * stride + number_in_region[ri]
        did = station_district[i]
        if station_urban[i] or region.city:
            settlement = region.center_kk
        else:
            pool = settlements.setdefault(did, [_place_name(rnd) for _ in range(8)])
            settlement = rnd.choice(pool)
        street, street_ru = rnd.choice(STREETS)
        house = rnd.randint(1, 179)
        kind = "special" if i in special else "ordinary"
        if kind == "special":
            place_kk, place_ru = rnd.choice(SPECIAL_PLACES)
            address_kk = f"{settlement}, {street} көшесі, {house} ({place_kk})"
            address_ru = f"{_ru(settlement)}, ул. {street_ru}, {house} ({place_ru})"
        else:
            address_kk = f"{settlement}, {street} көшесі, {house} (мектеп)"
            address_ru = f"{_ru(settlement)}, ул. {street_ru}, {house} (школа)"
        _add_station(syn, number, stride, kind, did, f"{eid}.tec.{region.code}",
                     smd_of_district.get(did), settlement, _ru(settlement), address_kk,
                     address_ru, bool(station_urban[i] or region.city), int(size[i]))
    for j in range(n_abroad):
        city_kk, city_ru, _en = ABROAD_CITIES[j % len(ABROAD_CITIES)]
        _add_station(syn, j + 1, 10000, "abroad", abroad_did, f"{eid}.tec.01", None,
                     city_kk, city_ru, f"{city_kk}, Қазақстан Республикасының елшілігі",
                     f"{city_ru}, посольство Республики Казахстан", True,
                     int(rng.integers(60, 2500)))


def _add_station(syn, number, stride, kind, district, territory, smd, settlement, settlement_ru,
                 address, address_ru, urban, registered) -> None:
    digits = len(str(stride)) - 1
    sid = f"{ELECTION_ID}.pec.{number // stride:02d}.{number % stride:0{digits}d}"
    syn.commissions.append({
        "id": sid, "level": "precinct", "parent": district, "number": number,
        "name_kk": f"№{number} учаскелік сайлау комиссиясы",
        "name_ru": f"Участковая избирательная комиссия № {number}",
        "name_en": f"Precinct election commission no. {number}", "address": address,
        "address_ru": address_ru,
    })
    syn.stations.append({
        "id": sid, "commission": sid, "district": district, "territory": territory, "smd": smd,
        "number": number, "kind": kind, "settlement": settlement, "settlement_ru": settlement_ru,
        "address": address, "address_ru": address_ru, "urban": urban, "registered": registered,
    })


def _contests(syn, rng, rnd, smd_n) -> None:
    eid = ELECTION_ID
    list_id = f"{eid}.list"
    syn.contests.append({
        "id": list_id, "kind": "party_list", "ruleset": "kz-mazhilis-2023", "seats": LIST_SEATS,
        "commission": f"{eid}.cec",
        "name_kk": "Партиялық тізімдер бойынша", "name_ru": "По партийным спискам",
        "name_en": "Party lists (national constituency)",
    })
    for order, p in enumerate(syn.parties, start=1):
        syn.choices.append({"contest": list_id, "key": p["key"], "party": p["id"], "order": order,
                            "name_kk": p["name_kk"], "name_ru": p["name_ru"],
                            "name_en": p["name_en"]})
        # Lists: more candidates than seats; at least 30% women, youth or disabled.
        length = int(rng.integers(12, 40)) if p["key"] != "amanat" else 69
        for pos in range(1, length + 1):
            woman = bool(rng.random() < 0.3)
            birth = dt.date(int(rng.integers(1960, 2000)), int(rng.integers(1, 13)),
                            int(rng.integers(1, 29)))
            syn.candidates.append({
                "id": f"{list_id}.{p['key']}.{pos:02d}", "contest": list_id, "choice": p["key"],
                "party": p["id"], "list_position": pos,
                "full_name": person_name(rnd, woman), "birth_date": birth.isoformat(),
                "woman": woman, "disability": bool(rng.random() < 0.02),
            })
    syn.choices.append({"contest": list_id, "key": "against_all", "party": None,
                        "order": len(syn.parties) + 1, "name_kk": "Барлығына қарсы",
                        "name_ru": "Против всех", "name_en": "Against all"})
    for n in range(1, smd_n + 1):
        cid = f"{eid}.smd.{n:02d}"
        syn.contests.append({
            "id": cid, "kind": "single_member", "ruleset": "kz-smd-2023", "seats": 1, "commission": cid,
            "name_kk": f"№{n} бір мандатты округ", "name_ru": f"Одномандатный округ № {n}",
            "name_en": f"Single-member district no. {n}",
        })
        k = int(rng.integers(4, 12))
        for c in range(1, k + 1):
            woman = bool(rng.random() < 0.25)
            party = syn.parties[int(rng.integers(len(syn.parties)))] if rng.random() < 0.6 else None
            key = f"c{c:02d}"
            name = person_name(rnd, woman)
            syn.choices.append({"contest": cid, "key": key, "party": party and party["id"],
                                "order": c, "name_kk": name, "name_ru": _ru(name),
                                "name_en": name})
            syn.candidates.append({
                "id": f"{cid}.{key}", "contest": cid, "choice": key,
                "party": party and party["id"], "list_position": None, "full_name": name,
                "birth_date": dt.date(int(rng.integers(1955, 1998)), 6, 1).isoformat(),
                "woman": woman, "disability": False,
            })
        syn.choices.append({"contest": cid, "key": "against_all", "party": None, "order": k + 1,
                            "name_kk": "Барлығына қарсы", "name_ru": "Против всех",
                            "name_en": "Against all"})


def _members(syn, rng, rnd) -> None:
    nominators = [p["short"] for p in syn.parties] + [
        "Қазақстан халқы Ассамблеясы", "Кәсіподақтар федерациясы", "Жастар ұйымы",
        "Ардагерлер ұйымы"]
    # Weighted as observers describe: the ruling party's nominees are the most numerous.
    weights = [6, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1]
    party_by_short = {p["short"]: p["id"] for p in syn.parties}
    for c in syn.commissions:
        size = 7 if c["level"] != "precinct" else rnd.randint(5, 11)
        for k, nom in enumerate(rnd.choices(nominators, weights=weights, k=size)):
            woman = rnd.random() < 0.55
            role = ["chair", "deputy", "secretary"][k] if k < 3 else "member"
            syn.members.append({"commission": c["id"], "full_name": person_name(rnd, woman),
                                "role": role, "nominated_by": nom,
                                "party": party_by_short.get(nom)})
