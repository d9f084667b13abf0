import re
from collections import Counter

import pytest

from sailau.demo import synthetic


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


# Letters Russian does not have. A Russian name carrying one is a Kazakh name left untranslated,
# except the regions whose official Russian names keep their Kazakh form.
KAZAKH_LETTERS = re.compile(r"\w*[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\w*")
OFFICIAL_RUSSIAN = {"Абай", "Жетісу", "Ұлытау"}


def test_every_name_has_a_russian_form_in_russian():
    """Every commission, contest, station's settlement and address has a Russian form, and it
    is Russian: the Russian pages show these (a maslikhat's district read "Жезказган каласы:
    округ № 1", the Kazakh name spelt in Russian letters)."""
    syn = synthetic.build(seed=2023, stations=600, maslikhats=True)
    wrong = []
    for kind, rows, fields in (("commission", syn.commissions, ["name_ru"]),
                               ("contest", syn.contests, ["name_ru"]),
                               ("station", syn.stations, ["settlement_ru", "address_ru"])):
        for row in rows:
            for f in fields:
                text = row.get(f, "")
                if not text:
                    wrong.append((kind, row["id"], f, "missing"))
                elif (set(KAZAKH_LETTERS.findall(text)) - OFFICIAL_RUSSIAN
                      or re.search(r"\b(каласы|ауданы|облысы|көшесі)\b", text)):
                    wrong.append((kind, row["id"], f, text))
    assert not wrong, wrong[:10]
