"""A small election day as in 2023: the Mazhilis (list and one district) with the maslikhats of
region T1 (list of 4 seats and two single-member districts) and of district D1 (all
single-member), T2 holding no maslikhat election. Stations: s1, s2 in D1, s3 in D2 (both in T1),
s4 in D3 (T2)."""

import copy

E = "kz.test.maslikhat"
CEC, T1, T2, D1, D2, D3 = (f"{E}.{x}" for x in ("cec", "t1", "t2", "d1", "d2", "d3"))
M1 = f"{E}.smd.m1"          # the Mazhilis's district (parent: the CEC)
T1A, T1B = f"{E}.smd.t1a", f"{E}.smd.t1b"  # the regional maslikhat's districts
D1A, D1B = f"{E}.smd.d1a", f"{E}.smd.d1b"  # the district maslikhat's districts
LIST, T1_LIST = f"{E}.mazhilis.list", f"{E}.t1.list"
PARTIES = ("amanat", "auyl", "respublica")


def _c(id, level, parent, number, name):
    return {"id": id, "level": level, "parent": parent, "number": number, "name_kk": name,
            "name_ru": name, "name_en": name}


def _station(n, district, territory, tsmd, dsmd):
    return {"id": f"{E}.pec.{n}", "commission": f"{E}.pec.{n}", "district": district,
            "territory": territory, "smd": M1, "territorial_smd": tsmd, "district_smd": dsmd,
            "number": n, "kind": "ordinary", "settlement": "Қала", "address": f"Көше, {n}",
            "urban": True, "registered": 1000}


def _contest(id, kind, ruleset, seats, commission):
    return {"id": id, "kind": kind, "ruleset": ruleset, "seats": seats,
            "commission": commission, "name_kk": id, "name_ru": id, "name_en": id}


SINGLE = {M1: "M1", T1A: "T1A", T1B: "T1B", D1A: "D1A", D1B: "D1B"}


def document() -> dict:
    stations = [_station(1, D1, T1, T1A, D1A), _station(2, D1, T1, T1A, D1B),
                _station(3, D2, T1, T1B, None), _station(4, D3, T2, None, None)]
    commissions = [
        _c(CEC, "cec", None, 0, "ОСК"), _c(T1, "territorial", CEC, 1, "Т1"),
        _c(T2, "territorial", CEC, 2, "Т2"), _c(D1, "district", T1, 1, "А1"),
        _c(D2, "district", T1, 2, "А2"), _c(D3, "district", T2, 3, "А3"),
        _c(M1, "smd", CEC, 1, "М1"), _c(T1A, "smd", T1, 1, "Т1-1"),
        _c(T1B, "smd", T1, 2, "Т1-2"), _c(D1A, "smd", D1, 1, "А1-1"),
        _c(D1B, "smd", D1, 2, "А1-2"),
        *(_c(s["commission"], "precinct", s["district"], s["number"], f"№{s['number']}")
          for s in stations)]
    contests = [_contest(LIST, "party_list", "kz-mazhilis-2023", 69, CEC),
                _contest(T1_LIST, "party_list", "kz-maslikhat-2023", 4, T1),
                *(_contest(f"{smd}.contest", "single_member", "kz-smd-2023", 1, smd)
                  for smd in SINGLE)]
    parties = [{"id": f"{E}.{p}", "short": p, "name_kk": p, "registration_order": i}
               for i, p in enumerate(PARTIES, start=1)]
    choices = []
    for c in contests:
        keys = PARTIES if c["kind"] == "party_list" else ("a", "b")
        choices += [{"contest": c["id"], "key": k, "order": i, "name_kk": k,
                     "party": f"{E}.{k}" if c["kind"] == "party_list" else None}
                    for i, k in enumerate(keys, start=1)]
        choices.append({"contest": c["id"], "key": "against_all", "order": 9,
                        "name_kk": "Бәріне қарсы"})
    return {"format": "sailau-structure/1",
            "election": {"id": E, "kind": "mazhilis", "date": "2023-03-19",
                         "name_kk": "Сынақ", "name_ru": "Тест", "name_en": "Test"},
            "commissions": commissions, "stations": stations, "parties": parties,
            "contests": contests, "choices": choices, "candidates": [], "members": []}


def changed(**tables) -> dict:
    """The document with rows changed: `changed(stations={0: {"district_smd": X}})`."""
    doc = copy.deepcopy(document())
    for table, rows in tables.items():
        for i, values in rows.items():
            doc[table][i].update(values)
    return doc


def smd_contest(smd: str) -> str:
    return f"{smd}.contest"
