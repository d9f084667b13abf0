"""Public finance pages (kk/ru/en), downloads, the API (OpenAPI, import by a CEC administrator
only) and `sailau finance import`."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from sailau.api.api import api
from sailau.cli import main
from sailau.finance import services
from sailau.finance.models import Report
from tests.finance.conftest import csv_of

REPORT = csv_of("amanat,party,income,own,,300000000,2023-02-20",
                "amanat,party,income,organisation,«Дала Құрылыс» ЖШС,35000001,2023-02-21",
                "amanat,party,spending,media,«Дала ТВ» ЖШС,100000000,2023-03-01",
                "auyl,party,income,own,,1000,2023-02-20",
                "Омарова Айгүл,candidate,income,own,,2000000,2023-02-20")


@pytest.fixture
def imported(election):
    services.import_report(election, REPORT, "r.csv", "t")
    return election


@pytest.mark.parametrize("lang,words", [
    ("kk", "Бір ұйымның қайырымдылығы шектен асты"),
    ("ru", "Пожертвования одной организации превышают предел"),
    ("en", "donations exceed the limit")])
def test_index_shows_funds_chart_and_findings_in_the_language(client, imported, lang, words):
    r = client.get(f"/{lang}/e/{imported.id}/finance/")
    body = r.content.decode()
    assert r.status_code == 200 and words in body
    assert "300\u202f000\u202f000" in body and "<svg" in body
    assert f'href="/{lang}/e/{imported.id}/finance/party/{imported.id}.amanat/"' in body
    assert "35\u202f000\u202f001" in body  # the finding's amount
    if lang != "en":
        assert "organisation_donor_limit" not in body and "Donations" not in body


def test_search_fund_page_and_header_link(client, imported):
    r = client.get(f"/ru/e/{imported.id}/finance/?q=дала")
    assert "«Дала ТВ» ЖШС" in r.content.decode() and "СМИ" in r.content.decode()
    r = client.get(f"/en/e/{imported.id}/finance/party/{imported.id}.amanat/")
    body = r.content.decode()
    assert r.status_code == 200 and "own funds" in body and "organisation_donor_limit" not in body
    cid = f"{imported.id}.smd.1.c1"
    assert client.get(f"/kk/e/{imported.id}/finance/candidate/{cid}/").status_code == 200
    assert client.get(f"/kk/e/{imported.id}/finance/party/nope/").status_code == 404
    assert client.get(f"/kk/e/{imported.id}/finance/bloc/x/").status_code == 404
    home = client.get(f"/kk/e/{imported.id}/").content.decode()
    assert f"/kk/e/{imported.id}/finance/" in home


def test_empty_election_pages(client, election):
    body = client.get(f"/en/e/{election.id}/finance/").content.decode()
    assert "No party has reported yet." in body and "No limit broken" in body


def test_downloads(client, imported):
    r = client.get(f"/en/e/{imported.id}/finance/finance.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 5 and rows[0]["amount_kzt"] == "300000000"
    data = json.loads(client.get(f"/kk/e/{imported.id}/finance/finance.json").content)
    assert [f["code"] for f in data["findings"]] == ["organisation_donor_limit"]
    assert {f["id"] for f in data["funds"]} >= {f"{imported.id}.amanat"}
    assert client.get(f"/en/e/{imported.id}/finance/finance.xml").status_code == 404


@pytest.fixture(scope="module")
def api_client():
    class Client(TestClient):
        def request(self, method, path, *args, **kw):
            return super().request(method, "/finance" + path, *args, **kw)

    return Client(api)


def test_api_overview_and_entries(api_client, imported):
    data = api_client.get(f"/{imported.id}/").json()
    assert data["reports"] == 1 and data["findings"][0]["code"] == "organisation_donor_limit"
    entries = api_client.get(f"/{imported.id}/entries?q=дала&limit=1").json()
    assert entries["count"] == 2 and len(entries["entries"]) == 1
    assert api_client.get("/nope/").status_code == 404


def test_api_import_needs_an_administrator_and_reports_bad_rows(api_client, election, admin):
    def upload(text):
        return {"file": SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")}

    assert api_client.post(f"/{election.id}/reports", FILES=upload(REPORT)).status_code == 401
    bad = api_client.post(f"/{election.id}/reports", FILES=upload(csv_of(
        "auyl,party,income,own,,-4,2023-02-20")), user=admin)
    assert bad.status_code == 422 and bad.json()["field"] == "amount_kzt"
    assert "row 2" in bad.json()["message"]
    r = api_client.post(f"/{election.id}/reports", FILES=upload(REPORT), user=admin)
    assert r.status_code == 201 and r.json() == {"report": 1, "rows": 5, "findings": 1}
    again = api_client.post(f"/{election.id}/reports", FILES=upload(REPORT), user=admin)
    assert again.status_code == 409


def test_openapi_lists_finance(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/finance/{election}/", "/api/finance/{election}/entries",
            "/api/finance/{election}/reports"} <= set(paths)


@pytest.mark.django_db(transaction=True)
def test_cli_import(election, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["finance", "import", election.id, str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == 1
    assert main(["finance", "import", election.id, str(path)]) == 2
    assert "imported before" in capsys.readouterr().err
    assert main(["finance", "import", "nope", str(path)]) == 2
    assert Report.objects.count() == 1


def test_csv_download_neutralises_formulas_in_typed_donors(client, election):
    """A donor that a spreadsheet would run (`=HYPERLINK(...)`, `+1`, `@SUM(1)`) is saved as
    text; the amounts stay numbers."""
    services.import_report(election, csv_of(
        'amanat,party,income,organisation,"=HYPERLINK(""http://x"")",1000,2023-02-20',
        "amanat,party,income,organisation,+1,2000,2023-02-21",
        "amanat,party,income,organisation,@SUM(1),3000,2023-02-22"), "h.csv", "t")
    body = client.get(f"/en/e/{election.id}/finance/finance.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["donor"], r["amount_kzt"]) for r in rows] == [
        ("'=HYPERLINK(\"http://x\")", "1000"), ("'+1", "2000"), ("'@SUM(1)", "3000")]
