"""Each kind of election through the whole chain on a small election of that kind, as the CEC
runs it: its structure imported with `sailau structure import`, every protocol typed twice by
two operators (definitive), published, `sailau verify` passing on the published folder with the
outcome its rule set decides, and `sailau audit verify` agreeing with the database. The
Mazhilis (its party list and a single-member district), a regional maslikhat (its list and a
district), the Senate (the joint sessions of the demo's regions) and a referendum here; the
presidential election through its second round in `test_second_round.py`."""

import json

import pytest

from sailau.cli import main
from sailau.demo import senate
from sailau.elections.models import Contest, Election
from sailau.protocols import services, tabulation
from sailau.protocols.catalog import Catalog
from sailau.protocols.errors import REFUSALS
from sailau.protocols.models import DataEntry, Tally
from sailau.publish.pipeline import snapshots
from tests.chain_fixtures import People
from tests.elections import president

pytestmark = pytest.mark.django_db
PARTIES = {"amanat": 60, "akzhol": 30}  # per cent of the valid ballots; the rest against all
CANDIDATES = {"c1": 55, "c2": 40}


def _names(kk, ru, en):
    return {"name_kk": kk, "name_ru": ru, "name_en": en}


def _elections_doc(kind: str, day: str) -> dict:
    """The presidential test election's commissions and stations, made an election of `kind`
    on `day` with no contest yet."""
    eid = f"kz.{kind}.{day}"
    doc = president.structure(stations=3, eid=eid)
    doc["election"] |= {"kind": kind, "date": day} | _names(
        f"{kind} сайлауы", f"Выборы: {kind}", f"{kind} election")
    doc["parties"] = [
        {"id": f"{eid}.party.{p}", "short": p.upper(), "registration_order": i,
         **_names(f"{p} партиясы", f"Партия {p}", f"{p} party")}
        for i, p in enumerate(PARTIES, 1)]
    doc["contests"], doc["choices"], doc["candidates"] = [], [], []
    doc["members"] = [{**m, "party": f"{eid}.party.amanat"} for m in doc["members"]]
    return doc


def _contest(doc, cid, kind, ruleset, seats, commission, choices):
    doc["contests"].append({"id": cid, "kind": kind, "ruleset": ruleset, "seats": seats,
                            "commission": commission, **_names(cid, cid, cid)})
    for order, (key, party) in enumerate(choices, 1):
        doc["choices"].append({"contest": cid, "key": key, "order": order,
                               "party": party, **_names(key, key, key)})
        if party is None and key not in ("against_all", "yes", "no"):
            doc["candidates"].append({"id": f"{cid}.{key}", "contest": cid, "choice": key,
                                      "full_name": f"Кандидат {key}"})


def _with_district(doc, level_parent: str, station_column: str) -> None:
    """A single-member district's commission under `level_parent`, holding every station."""
    eid = doc["election"]["id"]
    smd = f"{eid}.smd.01"
    doc["commissions"].append({"id": smd, "level": "smd", "parent": level_parent, "number": 1,
                               **_names("№1 бір мандатты округ", "Округ № 1", "District 1")})
    for s in doc["stations"]:
        s[station_column] = smd
    _contest(doc, f"{eid}.smd", "single_member", "kz-smd-2023", 1, smd,
             [(k, None) for k in CANDIDATES] + [("against_all", None)])


def _list_and_district(kind: str, seats: int, area: str, district_column: str) -> dict:
    """An election of 19 March 2023 of `kind` ("mazhilis", "maslikhat"): its party list of
    `seats` over the area of the commission `area` ("cec", "tc.01"), and one district."""
    doc = _elections_doc(kind, "2023-03-19")
    eid = doc["election"]["id"]
    _contest(doc, f"{eid}.list", "party_list", f"kz-{kind}-2023", seats, f"{eid}.{area}",
             [(p, f"{eid}.party.{p}") for p in PARTIES] + [("against_all", None)])
    _with_district(doc, f"{eid}.{area}", district_column)
    return doc


def mazhilis() -> dict:
    return _list_and_district("mazhilis", 69, "cec", "smd")


def maslikhat() -> dict:
    return _list_and_district("maslikhat", 20, "tc.01", "territorial_smd")


def referendum() -> dict:
    doc = _elections_doc("referendum", "2022-06-05")
    eid = doc["election"]["id"]
    doc["parties"], doc["members"] = [], []
    _contest(doc, f"{eid}.q1", "referendum", "kz-referendum-2022", 0, f"{eid}.cec",
             [("yes", None), ("no", None)])
    return doc


def _figures(registered: int, keys: list[str], both_marked: bool) -> tuple[dict, dict]:
    """Figures that hold every control relation, the valid ballots split over `keys` by the
    shares above (the rest to the last key: "against all", or "no")."""
    issued = registered * 6 // 10
    invalid, both = issued // 100, (issued // 100 if both_marked else 0)
    valid = issued - invalid - both
    shares = {**PARTIES, **CANDIDATES, "yes": 70}
    votes = {k: valid * shares.get(k, 0) // 100 for k in keys}
    votes[keys[-1]] += valid - sum(votes.values())
    figures = {"voters_on_list": registered, "ballots_received": registered,
               "issued_in_room": issued, "issued_mobile": 0, "issued_absentee": 0,
               "cancelled": registered - issued, "lost": 0, "found_stationary": issued,
               "found_mobile": 0, "mobile_requests": 0, "invalid": invalid}
    if both_marked:
        figures["both_marked"] = both
    return figures, votes


def _enter_every_protocol(election: Election, given: dict | None = None) -> int:
    """Each protocol of each station's contests typed twice, by two operators; `given`
    (station, contest) -> (figures, choices) where the test has them. The count entered."""
    people, catalog, n = People(election), Catalog(), 0
    for s in people.stations:
        for c in Contest.objects.filter(election=election).order_by("id"):
            try:
                catalog.pair(s.id, c.id)
            except REFUSALS:
                continue
            figures, choices = (given or {}).get((s.id, c.id)) or _figures(
                s.registered, [ch.key for ch in c.choices.order_by("order")],
                "both_marked" in c.form.keys)
            acks = [f.code for f in c.form.check(figures, choices) if f.severity == "warning"]
            for entry in (1, 2):
                res = services.finalise(people.operator(s, f"op-{s.id}-{c.id}-{entry}"), s.id,
                                        c.id, entry, figures, choices, acks)
            assert res.state == "definitive", (s.id, c.id, res.state)
            n += 1
    return n


@pytest.mark.parametrize("make", [mazhilis, maslikhat, senate.structure, referendum],
                         ids=["mazhilis", "maslikhat", "senate", "referendum"])
def test_each_kind_through_the_whole_chain(make, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    doc = make()
    path = tmp_path / "structure.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert main(["structure", "import", str(path)]) == 0, capsys.readouterr()
    election = Election.objects.get(pk=doc["election"]["id"])
    assert election.kind == doc["election"]["kind"]

    given = senate.protocols(doc) if make is senate.structure else None
    entered = _enter_every_protocol(election, given)
    assert entered >= len(doc["contests"])
    assert not DataEntry.objects.filter(station__election=election).exclude(
        state="definitive").exists()
    # Every contest is decided on all its stations, under its rule set.
    for c in Contest.objects.filter(election=election):
        tally = Tally.objects.get(contest=c, commission=c.commission)
        assert tally.stations_reported == tally.stations_expected > 0, c.id
        got = tabulation.outcome(tally)
        assert got.final and got.result is not None, c.id

    snapshots.publish(election.id)
    capsys.readouterr()
    code = main(["verify", str(snapshots.election_dir(election.id)), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["failures"]
    assert not report["failures"]
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out[-3000:]
