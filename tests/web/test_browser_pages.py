"""The main public pages in a real browser (Debian's Chromium via Playwright), in every language
(Kazakh in Cyrillic and in Latin script, Russian and English), at phone and desktop widths, with
a screenshot of each for review (written to $SAILAU_SCREENSHOTS, else a temporary directory),
keyboard access to the language switch and the search, and the static snapshot viewer."""

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sailau.languages import LANGUAGES
from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
# The element sticking out furthest to the right, to name it when a page scrolls sideways.
WIDEST = """[...document.querySelectorAll('body *')].map(e => [e.getBoundingClientRect().right,
  e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)])
  .sort((a, b) => b[0] - a[0])[0]"""
TITLES = {"kk": "Сайлау учаскесі", "kk-latn": "Sailau uchaskesı", "ru": "Избирательный участок",
          "en": "Polling station"}


@pytest.fixture
def site(transactional_db, small_synthetic, tmp_path, monkeypatch):
    """The election, its pages' addresses and a published snapshot, all made before Playwright
    starts (its event loop makes the ORM refuse to run in this thread)."""
    from sailau.demo.load import load
    from sailau.elections.models import Commission
    from sailau.publish.pipeline import snapshots

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = load(small_synthetic)
    territory = Commission.objects.filter(election=e, level="territorial").order_by("number")[0]
    district = Commission.objects.filter(parent=territory).order_by("number")[0]
    station = e.stations.filter(district=district).order_by("number")[0]
    snapshots.publish(e.id)
    return {"election": e, "station": station, "snapshot": snapshots.election_dir(e.id),
            "pages": {"election": f"e/{e.id}/", "territory": f"e/{e.id}/c/{territory.id}/",
                      "district": f"e/{e.id}/c/{district.id}/",
                      "station": f"e/{e.id}/s/{station.number}/",
                      "search": f"e/{e.id}/search/?q={station.settlements["kk"]}",
                      "downloads": f"e/{e.id}/download/",
                      "404": f"e/{e.id}/s/99999999/"}}




@pytest.fixture
def shots(tmp_path):
    out = Path(os.environ.get("SAILAU_SCREENSHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_main_pages_in_every_language_at_two_widths(live_server, site, browser, shots):
    wide = []
    for width, (w, h) in WIDTHS.items():
        page = browser.new_page(viewport={"width": w, "height": h})
        assert list(TITLES) == list(LANGUAGES)  # a language added is read here too
        for lang in LANGUAGES:
            for name, path in site["pages"].items():
                r = page.goto(f"{live_server.url}/{lang}/{path}")
                assert r.status == (404 if name == "404" else 200), (lang, name)
                assert page.locator("html").get_attribute("lang") == lang
                assert page.locator("h1").count() == 1, (lang, name)
                # Nothing wider than the screen: no sideways scrolling on a phone.
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 1:
                    wide.append((lang, name, width, overflow, page.evaluate(WIDEST)))
                page.screenshot(path=shots / f"{name}-{lang}-{width}.png", full_page=True)
            assert page.goto(f"{live_server.url}/{lang}/{site['pages']['station']}")
            assert TITLES[lang] in page.locator("h1").inner_text()
        page.close()
    assert not wide, wide


def test_keyboard_reaches_language_switch_and_search(live_server, site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/kk/{site['pages']['district']}")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "[document.activeElement.tagName, document.activeElement.getAttribute('hreflang')"
            " || document.activeElement.id]"))
    assert reached[0] == ["A", "main"] or reached[0][0] == "A"  # the skip link first
    assert ["A", "ru"] in reached and ["A", "en"] in reached
    assert ["INPUT", "q"] in reached
    # Search from the keyboard: type the station number, press Enter.
    page.focus("#q")
    page.keyboard.type(str(site["station"].number))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    if "/search/" in page.url:  # a results list: the station's link is on it
        assert page.locator(f"a[href*='/s/{site['station'].number}/']").count() >= 1
    else:
        assert f"/s/{site['station'].number}/" in page.url


def test_static_viewer_runs_from_snapshot_files_alone(site, browser, shots):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(site["snapshot"]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "#/ru/")
        page.wait_for_selector("ul.cards a")
        assert page.locator("h1").inner_text() == site["election"].name("ru")
        def follow(selector):  # click the first link, wait for the viewer to redraw
            before = page.locator("h1").inner_text()
            page.locator(selector).first.click()
            page.wait_for_function("t => document.querySelector('h1') && "
                                   "document.querySelector('h1').innerText !== t", arg=before)

        follow("li[data-level=territorial] a")
        follow("li[data-level=district] a")
        follow("ul.stations a")  # a station
        page.wait_for_selector("table.results")
        assert "Избирательный участок" in page.locator("h1").inner_text()
        assert site["station"].id not in page.locator("main").inner_text()  # no internal id
        # No witness in this election: the viewer says nothing is witnessed, in Russian.
        assert "у этого журнала нет свидетелей" in page.locator("p.witnessed").inner_text()
        assert "Подписано только журналом" in page.locator("main").inner_text()
        assert "SHA-256" in page.locator("#integrity").inner_text()
        assert "badge ok" in page.locator("#integrity").get_attribute("class")
        page.screenshot(path=shots / "viewer-station-ru-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth") <= 1, page.evaluate(WIDEST)
        page.get_by_role("link", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
        page.wait_for_selector("h1:has-text('Polling station')")
        page.goto(base + "#/en/s/99999999")
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Page not found"
        # A browser without crypto.subtle (the copy served over plain http from another
        # machine): names are found by reading the list's shards, and the page says that it
        # checked nothing rather than that every file was checked.
        plain = browser.new_page(viewport={"width": 390, "height": 844})
        plain.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', "
                              "{get: () => undefined})")
        plain.goto(base + f"#/ru/s/{site['station'].number}")
        plain.wait_for_selector("table.results")
        assert "Избирательный участок" in plain.locator("h1").inner_text()
        assert "badge warn" in plain.locator("#integrity").get_attribute("class")
        assert "не проверены" in plain.locator("#integrity").inner_text()
    finally:
        server.shutdown()
