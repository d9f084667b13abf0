import re
from collections import Counter

import pytest

from sailau.demo import president2019, regions2019, synthetic


@pytest.fixture(scope="module")
def national():
    return synthetic.build(seed=2023)


def test_national_shape(national):
    kinds = Counter(s["kind"] for s in national.stations)
    levels = Counter(c["level"] for c in national.commissions)
    assert len(national.stations) == 10_223
    assert kinds["abroad"] == 77 and 200 <= kinds["special"] <= 400
    assert levels["territorial"] == 20 and levels["smd"] == 29 and levels["cec"] == 1
    assert 200 <= levels["district"] <= 240
    voters = sum(s["registered"] for s in national.stations)
    assert 11_500_000 <= voters <= 12_500_000
    assert len({s["number"] for s in national.stations}) == 10_223


def test_national_result_resembles_2023(national):
    totals: Counter = Counter()
    lines: Counter = Counter()
    for (sid, cid), p in national.protocols.items():
        if cid.endswith(".list"):
            totals.update(p["choices"])
            lines.update(p["figures"])
    found = sum(totals.values()) + lines["invalid"]
    turnout = (lines["issued_in_room"] + lines["issued_mobile"] + lines["issued_absentee"]) \
        / lines["voters_on_list"]
    assert 0.45 < turnout < 0.65
    assert 0.48 < totals["amanat"] / found < 0.62
    assert totals.most_common(1)[0][0] == "amanat"


def test_same_seed_same_election():
    a = synthetic.build(seed=11, stations=100)
    b = synthetic.build(seed=11, stations=100)
    c = synthetic.build(seed=12, stations=100)
    assert a.protocols == b.protocols and a.truth == b.truth
    assert a.protocols != c.protocols


def _violations(fig: dict, choices: dict) -> list[str]:
    issued = fig["issued_in_room"] + fig["issued_mobile"] + fig["issued_absentee"]
    found = fig["found_stationary"] + fig["found_mobile"]
    out = []
    if fig["ballots_received"] != issued + fig["cancelled"] + fig["lost"]:
        out.append("received")
    if found > issued:
        out.append("found>issued")
    if found != sum(choices.values()) + fig["invalid"]:
        out.append("found!=valid+invalid")
    if fig["issued_mobile"] > fig["mobile_requests"]:
        out.append("mobile")
    if issued > fig["voters_on_list"]:
        out.append("issued>voters")
    if min(fig.values()) < 0 or min(choices.values()) < 0:
        out.append("negative")
    return out


def test_protocols_hold_the_control_relations_except_where_injected(national):
    truth = national.truth
    bad = {sid for (sid, _), p in national.protocols.items()
           if _violations(p["figures"], p["choices"])}
    assert bad, "some stuffing is sloppy on purpose: found > issued"
    assert bad <= {sid for sid, t in truth.items() if "ballot_stuffing" in t["kinds"]}


def test_injected_falsifications_are_recorded(national):
    kinds = Counter(k for t in national.truth.values() for k in t["kinds"])
    n = len(national.stations)
    assert 0.02 * n <= kinds["ballot_stuffing"] <= 0.04 * n
    assert kinds["turnout_100"] >= 5
    assert kinds["rewritten_upstream"] >= 10
    for sid, t in national.truth.items():
        if "turnout_100" in t["kinds"]:
            fig = national.protocols[(sid, f"{synthetic.ELECTION_ID}.list")]["figures"]
            issued = fig["issued_in_room"] + fig["issued_mobile"] + fig["issued_absentee"]
            assert issued == fig["voters_on_list"]
        if "rewritten_upstream" in t["kinds"]:
            official = national.protocols[(sid, f"{synthetic.ELECTION_ID}.list")]["choices"]
            paper = t["paper"]["choices"]
            assert official["amanat"] > paper["amanat"]
            assert sum(official.values()) == sum(paper.values())


def test_too_few_stations_is_refused():
    with pytest.raises(ValueError, match="--stations"):
        synthetic.build(stations=10)


# Letters Russian does not have. A Russian name carrying one is a Kazakh name left untranslated:
# the demo writes every name in Russian letters, the three regions of 2022 as the Russian press
# does ("Улытауская область"), a synthetic place transliterated ("район Сарытобе").
KAZAKH_LETTERS = re.compile(r"\w*[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\w*")


def _russian_mistakes(text: str) -> list[str]:
    """What makes `text` not Russian: a Kazakh word or letter, a Kazakh word order ("Сарытобе
    район"), a street named after a person left in the nominative ("ул. Абай,")."""
    return (KAZAKH_LETTERS.findall(text)
            + re.findall(r"\b(?:каласы|ауданы|облысы|көшесі)\b", text)
            + re.findall(r"\w+ район\b", text)
            + re.findall(r"ул\. (?:Абай|Ауэзов|Сатпаев|Кунаев|Жамбыл|Кабанбай батыр),", text))


def _names(syn):
    for kind, rows, fields in (("commission", syn.commissions, ["name_ru", "address_ru"]),
                               ("contest", syn.contests, ["name_ru"]),
                               ("station", syn.stations, ["settlement_ru", "address_ru"])):
        for row in rows:
            for f in fields:
                if f in row:
                    yield kind, row["id"], f, row[f]


def test_every_name_has_a_russian_form_in_russian():
    """Every commission, contest, station's settlement and address has a Russian form, and it
    is Russian: the Russian pages show these (a maslikhat's district read "Жезказган каласы:
    округ № 1", the Kazakh name spelt in Russian letters; a region "область Ұлытау")."""
    syn = synthetic.build(seed=2023, stations=600, maslikhats=True)
    wrong = [(kind, id_, f, text or "missing") for kind, id_, f, text in _names(syn)
             if (not text and f != "address_ru") or _russian_mistakes(text or "")]
    assert not wrong, wrong[:10]
    streets = {re.search(r"ул\. ([^,]+),", s["address_ru"])[1] for s in syn.stations
               if "ул. " in s["address_ru"]}
    assert {"Абая", "Ауэзова", "Достык"} <= streets, streets
    regions = {c["name_ru"] for c in syn.commissions if c["level"] == "territorial"}
    assert "Территориальная избирательная комиссия: Улытауская область" in regions


def test_russian_names_of_an_earlier_election_are_russian():
    """The 2019 election's generator (`national_contest`) names its districts and streets by the
    same rule."""
    syn = president2019.build(seed=2019, stations=120)
    wrong = [(kind, id_, f, text) for kind, id_, f, text in _names(syn)
             if _russian_mistakes(text or "")]
    assert not wrong, wrong[:10]
    assert any(re.match(r"район \w+$", c.get("address_ru", "")) for c in syn.commissions)


def test_english_names_have_no_cyrillic():
    syn = synthetic.build(seed=2023, stations=120)
    wrong = [(c["id"], f, c[f]) for c in syn.commissions for f in ("name_en", "address_en")
             if re.search(r"[а-яёәғқңөұүһі]", c.get(f) or "", re.IGNORECASE)]
    assert not wrong, wrong[:10]
    districts = {c["address_en"] for c in syn.commissions
                 if c["level"] == "district" and c["number"] != 99}
    assert any(d.endswith(" District") for d in districts), districts
    assert any("Ulytau Region" in c["name_en"] for c in syn.commissions)


def test_no_station_or_district_is_named_for_another_regions_centre():
    """A made-up village or district is never named as a region's centre: "Ақ" + "төбе" put
    station 200007 of East Kazakhstan in "Актобе". A station in a centre is in its own region's
    (its region's town stations), and a district is named for its own region's centre at most."""
    import random

    from sailau.demo.geography import REGIONS

    centres = synthetic.CENTRES
    assert {"Ақтөбе", "Ақтау", "Өскемен"} <= centres
    drawn = {synthetic._place_name(random.Random(seed)) for seed in range(5000)}
    assert drawn & centres == set() and len(drawn) > 300
    for syn, regions in ((synthetic.build(seed=2023, stations=600), REGIONS),
                         (president2019.build(seed=2019, stations=120), regions2019.REGIONS)):
        own = {f"{syn.election['id']}.tec.{r.code}": r.center_kk for r in regions}
        wrong = [(s["number"], s["settlement"]) for s in syn.stations if s["kind"] != "abroad"
                 and s["settlement"] in centres and s["settlement"] != own[s["territory"]]]
        districts = {c["id"]: c for c in syn.commissions if c["level"] == "district"}
        wrong += [(c["id"], c["address"]) for c in districts.values()
                  if c["address"].split()[0] in centres - {own.get(c["parent"])}]
        assert wrong == []
