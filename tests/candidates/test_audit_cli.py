"""`sailau audit verify` compares each imported file with its audit record and each status with
its decisions; `sailau candidates import` exits 2 naming the row and column."""

import json

import pytest

from sailau.candidates import services
from sailau.candidates.models import Batch, Decision, Nomination
from sailau.cli import main
from tests.candidates.conftest import appeal, csv_of, decision, party_list, person


@pytest.fixture
def here(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda **kw: None)


def lines(capsys) -> tuple[int, list[str]]:
    code = main(["audit", "verify"])
    return code, [x for x in capsys.readouterr().out.splitlines() if x.startswith("candidates: ")]


def test_an_edited_decision_or_status_is_named(election, here, capsys):
    services.import_batch(election, csv_of(person("a"), decision("a", "registered")), "n.csv", "t")
    code, found = lines(capsys)
    assert code == 0 and found == [("candidates: every nomination, decision and appeal is what "
                                   "its import's audit record says")]
    Nomination.objects.update(status="refused")
    code, found = lines(capsys)
    assert code == 1 and "nomination a of" in found[0] and "make it 'registered'" in found[0]
    Nomination.objects.update(status="registered")
    Decision.objects.update(reason="other")
    code, found = lines(capsys)
    assert code == 1 and f"nominations file 1 of {election.id} (n.csv)" in found[0]
    assert "digest" in found[0]


def test_a_later_file_adding_to_a_list_leaves_the_first_verified(election, here, capsys):
    services.import_batch(election, csv_of(party_list("L", "amanat"), person(
        "p1", "list", "amanat", "party", "Бір", woman="no", born="1970-01-01", position="1")),
        "1.csv", "t")
    services.import_batch(election, csv_of(person("p2", "list", "amanat", "party", "Екі",
                                                  position="2")), "2.csv", "t")
    assert Nomination.objects.get(key="L").findings == []  # 1 of 2 now: the quota is met
    code, found = lines(capsys)
    assert code == 0 and len(found) == 1 and "every nomination" in found[0]


def test_an_appeal_decided_in_a_later_file_leaves_the_first_verified(election, here, capsys):
    services.import_batch(election, csv_of(person("a"), decision("a", "refused", "no_deposit"),
                                           appeal("a")), "1.csv", "t")
    services.import_batch(election, csv_of(appeal("a", "court", "overturned", "2023-02-12",
                                                  "2023-02-13")), "2.csv", "t")
    assert Nomination.objects.get().status == "registered"
    code, found = lines(capsys)
    assert code == 0 and len(found) == 1 and "every nomination" in found[0]


def test_cli_import_and_bad_input(election, here, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(csv_of(person("a", born="2000-01-01")), encoding="utf-8")
    assert main(["candidates", "import", election.id, str(good)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["nominations"], out["with_findings"]) == (1, 1)  # 23: too young
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_of(person("b", contest="nowhere")), encoding="utf-8")
    assert main(["candidates", "import", election.id, str(bad)]) == 2
    assert "row 2, column contest" in capsys.readouterr().err
    assert Batch.objects.count() == 1


def test_a_decision_s_citation_is_in_the_digest_and_one_stored_before_keeps_its_digest(
        election, here, capsys):
    from sailau.candidates.audit import decision_row

    services.import_batch(election, csv_of(person("a"), decision("a", "refused",
                                                                 "documents_incomplete")),
                          "n.csv", "t")
    Decision.objects.update(citation={"act": "elections-law", "article": "54"})
    code, found = lines(capsys)
    assert code == 1 and "digest" in found[0]
    # A decision of version 1 (its reason's basis a sentence, no citation): the row it always had.
    Decision.objects.update(basis="a sentence", citation=None)
    d = Decision.objects.select_related("nomination").get()
    assert decision_row(d) == [d.row, "a", "refused", "documents_incomplete", "", d.body,
                               "a sentence", "2023-02-10"]
