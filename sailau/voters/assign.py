"""Which station's list a home address belongs to: a deterministic rule, pure Python.

1. The candidate stations are the election's ordinary stations (special stations serve
   hospitals, units and ships; stations abroad serve consulates' registers) whose settlement,
   in Kazakh or Russian spelling, is the voter's locality (script-independent key, so
   "Көкшетау" = "Кокшетау" = "Kokshetau").
2. If the locality has no station, the candidates are the ordinary stations of the territory
   that covers the voter's region; a territory covers the region whose localities its
   stations' settlements name most often.
3. If even that fails (a region with no station in this election), every ordinary station.
4. Among the candidates, sorted by number, the address (locality, street, house) picks one by
   a SHA-256 of its keys: everyone at one house is on the same list, the same address gives
   the same station in every run, and adding a voter never moves another.

A real deployment replaces step 4 by the precincts' street and house ranges the district
commissions publish; the rule keeps the same interface (`Assigner.station_for`)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sailau.register.gazetteer import Gazetteer, place_key
from sailau.register.translit import name_key


@dataclass(frozen=True)
class StationInfo:
    id: str
    number: int
    territory_id: str
    # the settlement's spellings by written language (`Station.settlements`)
    settlements: dict[str, str]


@lru_cache(maxsize=65536)
def _place(name: str) -> str:
    return place_key(name)


@lru_cache(maxsize=65536)
def _street(name: str) -> str:
    return name_key(name)


def address_digest(locality: str, street: str, house: str) -> int:
    key = "|".join((_place(locality or ""), _street(street or ""), (house or "").strip().lower()))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


class Assigner:
    def __init__(self, stations: list[StationInfo], gazetteer: Gazetteer | None = None):
        g = gazetteer or Gazetteer.builtin()
        self.all = sorted(stations, key=lambda s: s.number)
        self.by_place: dict[str, list[StationInfo]] = defaultdict(list)
        by_territory: dict[str, list[StationInfo]] = defaultdict(list)
        for s in self.all:
            for key in {place_key(name) for name in s.settlements.values()} - {""}:
                self.by_place[key].append(s)
            by_territory[s.territory_id].append(s)
        # Territory -> region, by the localities its stations are in.
        locality_region = {k: r for r, k in g.locality_pairs()}
        votes: dict[str, Counter] = defaultdict(Counter)
        for t, sts in by_territory.items():
            for s in sts:
                for key in {place_key(name) for name in s.settlements.values()}:
                    if key in locality_region:
                        votes[locality_region[key]][t] += 1
        self.by_region = {r: by_territory[c.most_common(1)[0][0]] for r, c in votes.items()}
        self._memo: dict[tuple[str, str], list[StationInfo]] = {}

    def candidates(self, region: str, locality: str) -> list[StationInfo]:
        key = (region, _place(locality or ""))
        if key not in self._memo:  # few distinct places: compute each once
            here = self.by_place.get(key[1])
            if here:
                region_ids = {s.id for s in self.by_region.get(region, ())}
                self._memo[key] = [s for s in here if s.id in region_ids] or here
            else:
                self._memo[key] = self.by_region.get(region) or self.all
        return self._memo[key]

    def station_for(self, region: str, locality: str, street: str, house: str) -> StationInfo | None:
        cands = self.candidates(region, locality)
        if not cands:
            return None
        return cands[address_digest(locality, street, house) % len(cands)]
