"""Public pages (kk/ru/en), downloads and the API of nomination and registration: at no
nomination, at one, with an appeal pending; refusals with reasons and counts."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from sailau.accounts.models import Role
from sailau.api.api import api
from sailau.candidates import services
from tests import factories as f
from tests.candidates.conftest import appeal, csv_of, decision, party_list, person


@pytest.fixture
def imported(election):
    services.import_batch(election, csv_of(
        party_list("L", "amanat", "71"),
        person("p1", "list", "amanat", "party", "Бірінші Адам", position="1", deposit=""),
        person("a", born="1999-01-01"), decision("a", "registered"),
        person("b", name="Салық Декларация"), decision("b", "registered"),
        decision("b", "deregistered", "tax_declaration", "2023-03-01"),
        appeal("b", "court", date="2023-03-02"),
        person("c", name="Құжат Жоқ"), decision("c", "refused", "documents_incomplete"),
        appeal("c", "court", "overturned", "2023-02-12", "2023-02-14")), "n.csv", "t")
    return election


@pytest.mark.parametrize("lang,words", [
    ("kk", ["Кандидаттарды ұсыну және тіркеу", "Ұсынылған адамдар", "қаралуда"]),
    ("ru", ["Выдвижение и регистрация кандидатов", "Выдвинуто лиц", "на рассмотрении"]),
    ("en", ["Nomination and registration of candidates", "Persons nominated", "pending"])])
def test_index_in_each_language(client, imported, lang, words):
    html = client.get(f"/{lang}/e/{imported.id}/candidates/").content.decode()
    for w in words:
        assert w in html
    assert f"/{lang}/e/{imported.id}/candidates/contest/{imported.id}.smd.1/" in html


def test_contest_page_shows_status_reason_findings_and_pending_appeal(client, imported):
    html = client.get(f"/en/e/{imported.id}/candidates/contest/{imported.id}.smd.1/").content.decode()
    assert "deregistered: discrepancies in the tax declaration" in html
    assert "appeal pending" in html
    assert "age: 24 / 25" in html  # born 1999: a finding, though registered
    html = client.get(f"/ru/e/{imported.id}/candidates/contest/{imported.id}.list/").content.decode()
    assert "Бірінші Адам" in html and "Партийный список" in html


def test_nomination_page_history_and_deposit(client, imported):
    html = client.get(f"/en/e/{imported.id}/candidates/n/c/").content.decode()
    assert "refused registration" in html and "documents incomplete" in html
    assert "decision overturned, 14.02.2023" in html
    assert "2023-02" not in html  # dates as the pages write them, not ISO
    # The default legal basis in the page's language, without the project's source paths.
    assert "19 March 2023, Statement of Preliminary Findings and Conclusions, note 27" in html
    ru = client.get(f"/ru/e/{imported.id}/candidates/n/c/").content.decode()
    assert "заявление о предварительных выводах и заключениях, примечание 27" in ru
    assert "Mazhilis)" not in html + ru and "ODIHR" not in ru
    assert "1\u202f050\u202f000" in html
    assert "awaiting the result" in html  # registered on appeal: refund after the result
    assert client.get(f"/en/e/{imported.id}/candidates/n/nope/").status_code == 404


@pytest.mark.parametrize("lang, cited", [
    ("kk", ("№ 2464 «Қазақстан Республикасындағы сайлау туралы» Қазақстан Республикасының "
           "Конституциялық заңы, 54-бап")),
    ("ru", "«О выборах в Республике Казахстан» от 28 сентября 1995 года № 2464, статья 54"),
    ("en", "'On Elections in the Republic of Kazakhstan', No. 2464, 28 September 1995, art. 54")])
def test_a_basis_stored_as_a_sentence_before_is_cited_in_the_page_s_language(
        client, imported, lang, cited):
    """A decision imported before citations were data holds its reason's basis as an English
    sentence: the page cites it in its own language; a commission's own words stay as given."""
    from sailau.candidates.models import Decision

    old = "Constitutional Law 'On Elections in the RK', No. 2464, 28 September 1995, art. 54"
    Decision.objects.filter(nomination__key="c").update(basis=old, citation=None)
    Decision.objects.filter(nomination__key="a").update(basis="ОСК шешімі № 7", citation=None)
    html = unescape(client.get(f"/{lang}/e/{imported.id}/candidates/n/c/").content.decode())
    assert cited in html and old not in html
    assert "ОСК шешімі № 7" in client.get(f"/{lang}/e/{imported.id}/candidates/n/a/").content.decode()


def test_refusals_page_counts_reasons(client, imported):
    html = client.get(f"/kk/e/{imported.id}/candidates/refusals/").content.decode()
    assert "салық декларациясындағы сәйкессіздік" in html
    assert "құжаттар толық емес" in html


def test_refusals_are_paged_and_filtered_by_reason_the_download_holds_all(client, election):
    """A national election refuses about a thousand: one page of them was 60,000 px tall on a
    phone. 50 a page, the counts link to their decisions, the CSV keeps every one."""
    rows = []
    for i in range(120):
        reason = "documents_incomplete" if i % 3 else "no_deposit"
        rows += [person(f"r{i}", name=f"Адам {i:03d}"), decision(f"r{i}", "refused", reason)]
    services.import_batch(election, csv_of(*rows), "many.csv", "t")
    url = f"/ru/e/{election.id}/candidates/refusals/"

    def names(html):
        return re.findall(r'<th scope="row"><a href="[^"]*">(Адам \d+)</a>', html)

    first = client.get(url).content.decode()
    pages = [names(first)] + [names(client.get(f"{url}?page={n}").content.decode())
                              for n in (2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len(set().union(*pages)) == 120  # every decision on one page, none twice
    assert "Страница 1 из 3" in first and 'href="?page=2#decisions"' in first
    link = "?decision=refused&amp;reason=no_deposit#decisions"
    assert link in first
    only = client.get(url + link.replace("&amp;", "&")).content.decode()
    assert len(names(only)) == 40 and "Страница" not in only  # 40 fit on one page
    assert "не внесён избирательный взнос (40)" in only
    # An unknown reason or page lists everything from the first page, never an error.
    assert len(names(client.get(f"{url}?reason=nope&page=x").content.decode())) == 50
    body = client.get(f"/ru/e/{election.id}/candidates/candidates.csv").content.decode()
    assert sum(1 for r in csv.DictReader(io.StringIO(body)) if r["status"] == "refused") == 120


def test_pages_at_no_nomination(client, election):
    for path in ("", "refusals/", f"contest/{election.id}.smd.1/"):
        r = client.get(f"/ru/e/{election.id}/candidates/{path}")
        assert r.status_code == 200
        assert "Выдвижений пока нет" in r.content.decode() or "Отказов" in r.content.decode()


def test_downloads(client, imported):
    r = client.get(f"/en/e/{imported.id}/candidates/candidates.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    by = {x["key"]: x for x in rows}
    assert by["b"]["status"] == "deregistered" and by["b"]["reason"] == "tax_declaration"
    assert by["b"]["appeals_pending"] == "True" and by["a"]["findings"] == "min_age"
    assert by["L"]["kind"] == "list" and by["p1"]["deposit_due_kzt"] == "0"
    body = json.loads(client.get(f"/en/e/{imported.id}/candidates/candidates.json").content)
    assert body["summary"]["status"] == {"nominated": 1, "registered": 2, "deregistered": 1}
    assert body["summary"]["decisions"] == {"deregistered": {"tax_declaration": 1},
                                            "refused": {"documents_incomplete": 1}}


def test_api(client, imported):
    s = client.get(f"/api/candidates/{imported.id}/").json()
    assert (s["nominated"], s["appeals"], s["pending"]) == (4, 2, 1)
    r = client.get(f"/api/candidates/{imported.id}/nominations?status=registered").json()
    assert {n["key"] for n in r["nominations"]} == {"a", "c"}
    d = client.get(f"/api/candidates/{imported.id}/nominations/b",
                   HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["kind"] for e in d["history"]] == ["nominated", "registered", "deregistered",
                                                 "appeal"]
    assert client.get(f"/api/candidates/{imported.id}/nominations/zz").status_code == 404
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/candidates/{election}/", "/api/candidates/{election}/nominations",
            "/api/candidates/{election}/nominations/{key}",
            "/api/candidates/{election}/imports"} <= set(paths)


def test_api_import_needs_an_admin_and_names_the_row(election):
    admin = f.RoleFactory(kind=Role.ADMIN, commission=f.CecFactory(election=election),
                          user=f.UserFactory(username="cand-admin", password="pw")).user

    class Client(TestClient):
        def request(self, method, path, *args, **kw):
            return super().request(method, "/candidates" + path, *args, **kw)

    api_client, url = Client(api), f"/{election.id}/imports"

    def upload(text):
        return {"file": SimpleUploadedFile("n.csv", text.encode(), content_type="text/csv")}

    bad = csv_of(person("a", born="1980-02-30"))
    assert api_client.post(url, FILES=upload(bad)).status_code == 401
    r = api_client.post(url, FILES=upload(bad), user=admin)
    assert r.status_code == 422 and r.json()["field"] == "birth_date"
    assert "row 2" in r.json()["message"]
    r = api_client.post(url, FILES=upload(csv_of(person("a"))), user=admin)
    assert r.status_code == 201 and r.json()["nominations"] == 1
    assert api_client.post(url, FILES=upload(csv_of(person("a"))), user=admin).status_code == 409


def test_header_links_to_candidates(client, imported):
    html = client.get(f"/kk/e/{imported.id}/").content.decode()
    assert f"/kk/e/{imported.id}/candidates/" in html


def test_csv_download_neutralises_formulas_in_typed_names(client, election):
    """A name that a spreadsheet would run (`=HYPERLINK(...)`, `+1`, `@SUM(1)`) is saved as text."""
    services.import_batch(election, csv_of(
        person("h", name='"=HYPERLINK(""http://x"")"'), person("p", name="+1"),
        person("s", name="@SUM(1)")), "h.csv", "t")
    body = client.get(f"/en/e/{election.id}/candidates/candidates.csv").content.decode()
    names = {r["key"]: r["full_name"] for r in csv.DictReader(io.StringIO(body))}
    assert names == {"h": "'=HYPERLINK(\"http://x\")", "p": "'+1", "s": "'@SUM(1)"}
