"""The observation pages in the three languages, the CSV, the badge and its check, the phone
form."""

import csv
import io
import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(election, small_synthetic):
    from sailau.observation.demo import generate

    generate(election, seed=3, share=1.0, truth=small_synthetic.truth)
    return election


@pytest.mark.parametrize("lang,word", [("kk", "Дауыстарды санау"), ("ru", "Подсчёт голосов"),
                                       ("en", "Counting")])
def test_statistics_page_in_each_language(demo, lang, word):
    from sailau.observation import statistics

    r = Client().get(f"/{lang}/observation/statistics/?election={demo.id}")
    assert r.status_code == 200
    html = r.content.decode()
    assert word in html
    counting = next(s for s in statistics.compute(demo.id)["stages"] if s["stage"] == "counting")
    assert f"{counting['negative']}" in html and f"{counting['observed']}" in html


def test_statistics_csv(demo):
    r = Client().get(f"/en/observation/statistics.csv?election={demo.id}")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:2] == ["section", "stage"]
    overall = {(row[0], row[1]): row for row in rows[1:]}
    counting = overall[("stage", "counting")]
    assert int(counting[5]) <= int(counting[6]) == demo.stations.count()


@pytest.mark.parametrize("path", ["", "organisations/", "organisations/?status=refused",
                                  "copies/", "copies/?status=", "statistics/"])
def test_pages_render(demo, path):
    sep = "&" if "?" in path else "?"
    for lang in ("kk", "ru", "en"):
        r = Client().get(f"/{lang}/observation/{path}{sep}election={demo.id}")
        assert r.status_code == 200, (lang, path)


def test_refusal_reasons_are_public(demo):
    from sailau.observation.demo import REFUSAL

    html = Client().get(f"/ru/observation/organisations/?election={demo.id}&status=refused")
    assert REFUSAL[:40] in html.content.decode()


def test_copies_page_shows_the_difference(demo):
    from django.utils.html import escape

    from sailau.elections.models import Choice

    html = Client().get(f"/en/observation/copies/?election={demo.id}&status=different").content.decode()
    # The line that differs is named as a reader knows it, not by its key.
    name = Choice.objects.filter(contest__election=demo, key="amanat").first().name("en")
    assert escape(name) + ":" in html and "amanat:" not in html


def test_pvt_page(demo):
    from sailau.observation.models import PvtSample

    r = Client().get(f"/en/observation/pvt/{PvtSample.objects.get().pk}/")
    assert r.status_code == 200 and "95%" in r.content.decode()


def test_badge_pdf_and_check(org_setup):
    obs = org_setup["observer"]
    anon = Client().get(f"/en/observation/badge/{obs.badge}.pdf")
    assert anon.status_code == 302  # to the login page
    c = Client()
    c.force_login(org_setup["user"])
    pdf = c.get(f"/en/observation/badge/{obs.badge}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    check = Client().get(f"/kk/observation/check/{obs.badge}/").content.decode()
    assert obs.full_name in check and "7/2023" in check
    assert "badge ok" in check
    unknown = Client().get("/en/observation/check/NOPE/").content.decode()
    assert "No observer has this badge" in unknown


def test_phone_form(org_setup):
    c = Client()
    assert c.get("/en/observation/form/").status_code == 302
    c.force_login(org_setup["user"])
    r = c.get("/en/observation/form/")
    html = r.content.decode()
    assert r.status_code == 200 and "observation/form.js" in html
    assert org_setup["station"].id in html and "csrftoken" in r.cookies


def test_badge_qr_opens_the_check_page(org_setup):
    """The printed QR code decodes to the check address (rasterised and read back)."""
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    obs = org_setup["observer"]
    c = Client()
    c.force_login(org_setup["user"])
    pdf = pdfium.PdfDocument(c.get(f"/ru/observation/badge/{obs.badge}.pdf").content)
    image = pdf[0].render(scale=2).to_pil()
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert texts == [f"http://testserver/ru/observation/check/{obs.badge}/"]


def test_phone_form_names_stations_in_the_pages_language(org_setup):
    """The phone form's stations carry the address in the page's language (it showed the
    Kazakh address on a Russian page)."""
    st = org_setup["station"]
    assert st.addresses.get("ru", "") and st.addresses.get("ru", "") != st.addresses["kk"]
    c = Client()
    c.force_login(org_setup["user"])
    for lang, address in (("ru", st.addresses.get("ru", "")), ("kk", st.addresses["kk"])):
        html = c.get(f"/{lang}/observation/form/").content.decode()
        boot = json.loads(re.search(r'<script id="boot" type="application/json"[^>]*>(.*?)</script>',
                                    html, re.DOTALL).group(1))
        assert [s["address"] for s in boot["stations"] if s["id"] == st.id] == [address], lang


def test_copies_name_stations_in_the_pages_language(demo):
    """The copies' list names each station by its settlement in the page's language."""
    from html import unescape

    from sailau.elections.models import Station

    html = Client().get(f"/ru/observation/copies/?election={demo.id}&status=").content.decode()
    shown = {int(n): unescape(place) for n, place in re.findall(r"№(\d+)</a>, ([^<]+)</th>", html)}
    stations = {s.number: s for s in Station.objects.filter(number__in=shown)}
    assert any(s.settlements.get("ru", "") != s.settlements["kk"] for s in stations.values())
    assert shown == {n: s.settlements.get("ru", "") for n, s in stations.items()}


def _copies(election, query: str) -> tuple[list[int], str]:
    html = Client().get(f"/ru/observation/copies/?election={election.id}&{query}")
    assert html.status_code == 200
    html = html.content.decode()
    return [int(n) for n in re.findall(r"№(\d+)</a>, ", html)], html


def test_copies_come_a_page_at_a_time(demo, monkeypatch):
    """A night's tens of thousands of copies: a page of them at a time, the page's address
    shareable (`?page=N` beside the filter), the pager in the page's language."""
    from sailau.observation import views
    from sailau.observation.models import ObserverCopy

    every = sorted(ObserverCopy.objects.filter(station__election=demo)
                   .values_list("station__number", flat=True))
    assert len(every) > 4
    # one page: all of them, no pager
    monkeypatch.setattr(views, "COPIES_PER_PAGE", len(every))
    shown, html = _copies(demo, "status=")
    assert sorted(shown) == every and 'class="pages"' not in html
    # more than one: the pages together are the list, each page's links keep the filter
    monkeypatch.setattr(views, "COPIES_PER_PAGE", 2)
    first, html = _copies(demo, "status=")
    assert len(first) == 2 and "страница 1 из" in html and "далее" in html
    assert f'href="?election={demo.id}&amp;status=&amp;page=2"' in html
    pages = -(-len(every) // 2)
    seen = []
    for n in range(1, pages + 1):
        seen += _copies(demo, f"status=&page={n}")[0]
    assert sorted(seen) == every
    last, html = _copies(demo, f"status=&page={pages}")
    assert f"страница {pages} из {pages}" in html and "назад" in html and "далее" not in html
    assert _copies(demo, "status=&page=999")[0] == last  # past the end: the last page
    assert _copies(demo, "status=&page=x")[0] == first  # not a number: the first
    # none: the empty list says so, no pager
    none, html = _copies(demo, "status=nothing")
    assert none == [] and 'class="pages"' not in html


def test_organisations_in_alphabetical_order_on_every_database(election):
    """The page and the API list organisations in the Kazakh alphabet's order on SQLite and on
    PostgreSQL alike: names whose code points' order (SQLite's, and a C-collated PostgreSQL's)
    differs from the alphabet's ("І" after "Ы", "Қ" after "К", lower case among the capitals)."""
    import html as html_escape

    from sailau.observation import models as m

    names = ["Яссауи", "Ірі", "Ыстық", "Үміт", "Қазақ", "Әділет", "ақ жол"]
    for name in names:
        m.Organisation.objects.create(election=election, kind="citizen",
                                      names={"kk": name, "ru": name, "en": name})
    ordered = ["ақ жол", "Әділет", "Қазақ", "Үміт", "Ыстық", "Ірі", "Яссауи"]
    page = Client().get(f"/kk/observation/organisations/?election={election.id}")
    rows = re.findall(r'<th scope="row"><span translate="no">([^<]*)<', page.content.decode())
    assert [html_escape.unescape(row) for row in rows] == ordered
    api = Client().get(f"/api/observation/organisations?election={election.id}").json()
    assert [o["name_kk"] for o in api["organisations"]] == ordered
