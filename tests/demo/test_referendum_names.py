"""The referendum demo's commissions are the referendum's by name at every level, the district
of its stations abroad too ("Участки референдума за рубежом", not an election's "Избирательные
участки за рубежом"): built without a database, so it costs a second."""

import re

from sailau.demo import referendum2022

ELECTION = {"kk": re.compile(r"[Сс]айлау"), "ru": re.compile(r"[Ии]збиратель|[Вв]ыбор"),
            "en": re.compile(r"[Ee]lection|[Pp]olling")}


def test_every_commission_of_the_referendum_demo_is_named_as_the_referendum_s():
    syn = referendum2022.build(seed=1, stations=40)
    named = [(c["id"], lang, c[f"name_{lang}"]) for c in syn.commissions for lang in ELECTION]
    assert [n for n in named if ELECTION[n[1]].search(n[2])] == []
    abroad = next(c for c in syn.commissions if c["id"].endswith(".dec.abroad"))
    assert (abroad["name_kk"], abroad["name_ru"], abroad["name_en"]) == (
        "Шетелдегі референдум учаскелері", "Участки референдума за рубежом",
        "Referendum stations abroad")
