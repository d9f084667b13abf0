"""`sailau audit verify` compares each fund report with its import's audit record: an entry
edited or deleted in the database behind the application's back is named."""

import pytest

from sailau.cli import main
from sailau.finance import services
from sailau.finance.models import Entry
from tests.finance.conftest import csv_of


@pytest.fixture
def here(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)  # the test db is set up


def finance_lines(capsys) -> tuple[int, list[str]]:
    code = main(["audit", "verify"])
    return code, [x for x in capsys.readouterr().out.splitlines() if x.startswith("finance: ")]


def test_an_entry_edited_or_deleted_is_named(election, here, capsys):
    services.import_report(election, csv_of("auyl,party,income,own,,5000,2023-02-20",
                                            "auyl,party,spending,print,Баспа,4000,2023-03-01"),
                           "auyl.csv", "t")
    code, lines = finance_lines(capsys)
    assert code == 0 and lines == [("finance: every campaign fund report has the entries its "
                                    "audit record imported")]
    Entry.objects.filter(direction="spending").update(amount=40)
    code, lines = finance_lines(capsys)
    assert code == 1 and len(lines) == 1
    assert f"campaign fund report 1 of {election.id} (auyl.csv)" in lines[0]
    assert "spending: 40 in the database, 4000 in audit record #" in lines[0]
    Entry.objects.filter(direction="spending").delete()
    code, lines = finance_lines(capsys)
    assert code == 1 and "entries_digest" in lines[0]
