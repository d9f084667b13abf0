"""A language added to the list (a catalogue and a list entry, `pseudo` of
test_new_language.py) reaches the published record with no other change: a structure file with
`name_xx` columns imports, the log's leaves (version 3) carry the `xx` names, election.json and
choices.csv show them, `sailau verify` passes and names an `xx` name forged in choices.csv."""

import csv
import io
import json
import sys

import pytest

from sailau.cli import main
from sailau.elections import structure
from sailau.elections.models import Choice
from sailau.ledger.models import Leaf
from sailau.protocols import tabulation
from sailau.publish.pipeline import snapshots
from sailau.tlog import leaves
from tests.languages.test_new_language import pseudo  # noqa: F401 (the fixture `listed` asks)
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite

E = "kz.test.xx"
CEC, TEC, DEC, PEC = (f"{E}.{x}" for x in ("cec", "t1", "d1", "pec.1"))
LIST = f"{E}.list"


def _document() -> dict:
    """The smallest election that has every kind of name: one station, one party list of two
    parties and "against all", each name also in `xx`."""
    def named(kk, xx, **row):
        return {**row, "name_kk": kk, "name_xx": xx}

    return {"format": "sailau-structure/1",
            "election": named("Сынақ", "Xx test", id=E, kind="mazhilis", date="2023-03-19"),
            "commissions": [
                named("ОСК", "Xx CEC", id=CEC, level="cec", parent=None, number=0),
                named("Т1", "Xx T1", id=TEC, level="territorial", parent=CEC, number=1),
                named("А1", "Xx D1", id=DEC, level="district", parent=TEC, number=1),
                named("№1", "Xx 1", id=PEC, level="precinct", parent=DEC, number=1)],
            "stations": [{"id": PEC, "commission": PEC, "district": DEC, "territory": TEC,
                          "number": 1, "kind": "ordinary", "settlement": "Қала",
                          "settlement_xx": "Xx town", "address": "Көше, 1",
                          "address_xx": "Xx street 1", "urban": True, "registered": 100}],
            "parties": [named(p, f"Xx {p}", id=f"{E}.{p}", short=p, registration_order=i)
                        for i, p in enumerate(("amanat", "auyl"), 1)],
            "contests": [named("Тізім", "Xx list", id=LIST, kind="party_list",
                               ruleset="kz-mazhilis-2023", seats=69, commission=CEC)],
            "choices": [*(named(p, f"Xx {p}", contest=LIST, key=p, order=i, party=f"{E}.{p}")
                          for i, p in enumerate(("amanat", "auyl"), 1)),
                        named("Бәріне қарсы", "Xx against all", contest=LIST,
                              key="against_all", order=3)],
            "candidates": [], "members": []}


@pytest.fixture
def listed(request, monkeypatch):
    """`pseudo`, as a process started with "xx" listed sees it: a module that took the list by
    name when imported (`from sailau.languages import WRITTEN as LANGS`) holds it with "xx"."""
    from sailau import languages

    before = {id(languages.LANGUAGES): "LANGUAGES", id(languages.WRITTEN): "WRITTEN"}
    request.getfixturevalue("pseudo")
    for name, module in list(sys.modules.items()):
        if name.startswith("sailau.") and module is not languages:
            for attr, value in list(vars(module).items()):
                if id(value) in before:
                    monkeypatch.setattr(module, attr, getattr(languages, before[id(value)]))


def _verify(capsys, folder) -> tuple[int, dict]:
    code = main(["verify", str(folder), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_a_name_in_an_added_language_is_logged_published_and_verified(
        listed, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "structure.json"
    path.write_text(json.dumps(_document(), ensure_ascii=False), encoding="utf-8")
    structure.import_path(path)
    tabulation.ensure_election(E)
    assert Choice.objects.get(contest_id=LIST, key="auyl").names["xx"] == "Xx auyl"

    # the log's leaves: every name in xx, the station's address and settlement too
    stated = [leaves.decode(bytes(leaf.data)) for leaf in Leaf.objects.filter(
        election_id=E, kind__in=("structure", "contests", "stations")).order_by("id")]
    assert {leaf["v"] for leaf in stated} == {3}
    election, contests, stations = stated[0], stated[1], stated[-1]
    assert election["name"] == {"kk": "Сынақ", "xx": "Xx test"}
    assert election["parties"][1]["name"]["xx"] == "Xx auyl"
    assert contests["contests"][0]["choices"]["against_all"]["name"]["xx"] == "Xx against all"
    assert stations["stations"][0]["address"] == {"kk": "Көше, 1", "xx": "Xx street 1"}
    assert {c["id"]: c["name"].get("xx") for c in stations["commissions"]}[DEC] == "Xx D1"

    snapshots.publish(E)
    folder = snapshots.election_dir(E)
    doc = json.loads(opened(_object(folder, "election.json")))
    assert doc["contests"][0]["choices"][1]["name"]["xx"] == "Xx auyl"
    name = f"contests/{LIST}/choices.csv"
    rows = list(csv.reader(io.StringIO(opened(_object(folder, name)).decode())))
    column = rows[0].index("name_xx")
    assert [r[column] for r in rows[1:]] == ["Xx amanat", "Xx auyl", "Xx against all"]

    code, report = _verify(capsys, folder)
    assert code == 0, "\n".join(_failures(report))

    # an xx name forged in choices.csv alone is named against election.json, which it is
    # written again from; forged in both, election.json's is named against the log
    rows[2][column] = "Xx forged"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    forged = _copy(folder, tmp_path, "forged-csv")
    _rewrite(forged, name, buf.getvalue().encode())
    code, report = _verify(capsys, forged)
    assert code == 1
    assert (f"derived: {name}: row 2 (auyl), column name_xx: published 'Xx forged', the "
            "verified files give 'Xx auyl'") in _failures(report), _failures(report)
    forged = _copy(folder, tmp_path, "forged-both")
    _rewrite(forged, name, buf.getvalue().encode())
    doc["contests"][0]["choices"][1]["name"]["xx"] = "Xx forged"
    _rewrite(forged, "election.json", snapshots._dumps(doc))
    code, report = _verify(capsys, forged)
    assert code == 1
    assert (f"names: election.json ({LIST}, choice auyl): xx: 'Xx forged', the log's structure "
            "says 'Xx auyl'") in _failures(report), _failures(report)


@pytest.mark.django_db
def test_an_organisation_applies_with_a_name_in_the_added_language(listed, client):
    """The application form has a field for the added language, `name_xx`, which it gives to
    the service as the API gives its `names` mapping: no field of the code names the
    language."""
    from django.contrib.auth.models import User

    from sailau import languages
    from sailau.observation.models import Organisation
    from tests.factories import CommissionFactory, ElectionFactory
    from tests.languages.test_new_language import _site_in

    e = ElectionFactory()
    CommissionFactory(election=e, level="cec", number=0)  # who accredits a national one
    client.force_login(User.objects.create_user("applicant"))
    with _site_in(languages.LANGUAGES):
        page = client.get("/xx/observation/apply/").content.decode()
        assert 'name="name_xx"' in page and "[xx] Name in Pseudo" in page
        r = client.post("/xx/observation/apply/", {
            "election": e.id, "kind": "citizen", "name_kk": "Әділ сайлау",
            "name_xx": "Xx fair elections", "territory": "", "contact": ""})
        assert r.status_code == 302, r.content.decode()
    assert Organisation.objects.get().names == {"kk": "Әділ сайлау", "xx": "Xx fair elections"}
