"""The static snapshot viewer in Kazakh in Latin script (#/kk-latn/), in Chromium at phone and
desktop widths: no Cyrillic letter outside the language switch and what is shown as written, the
names and addresses as the server's /kk-latn/ pages write them (sailau.languages.latin), and the
viewer's own transliteration (latin.js, with the table each publication writes) equal to the
Python's on every letter, the capitals and every name of the election."""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sailau.languages.latin import from_cyrillic
from tests.browser import NEEDS_CHROMIUM
from tests.snapshotfiles import opened
from tests.web.test_browser_pages import shots  # noqa: F401 (a fixture)
from tests.web.visible_text import cyrillic_words

pytestmark = NEEDS_CHROMIUM
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
# The capitals' rule and the letters Kazakh writes only in Russian words (test_latin's cases).
HARD = ["Ини", "ІНІ", "Іле", "Йод", "ёлка", "цирк", "Чай", "ЧАЙ", "щи", "подъезд", "пальто",
        "экран", "юрта", "Ялта", "ЯЛТА", "ЧАйКА", "№ 12 учаске (PDF): %(n)d, {seconds} с.",
        "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"]


@pytest.fixture
def snapshot(transactional_db, small_synthetic, tmp_path, monkeypatch):
    """A published snapshot served over http from 127.0.0.1 (a secure context: hashes are
    checked), and the texts the viewer must show, read before Playwright starts."""
    from sailau.demo.load import load
    from sailau.elections.models import Commission
    from sailau.publish.pipeline import snapshots

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = load(small_synthetic)
    manifest = snapshots.publish(e.id)
    i18n = json.loads(opened(snapshots.election_dir(e.id) / "objects" /
                             f"{manifest['files']['site/i18n.json']['sha256']}.json"))
    territory = Commission.objects.filter(election=e, level="territorial").order_by("number")[0]
    station = e.stations.filter(territory=territory).order_by("number")[0]
    names = [e.name("kk"), *(c.name("kk") for c in e.commissions.all()),
             *(s.addresses["kk"] for s in e.stations.all()),
             *(ch.name("kk") for c in e.contests.all() for ch in c.choices.all())]

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(Quiet, directory=str(snapshots.election_dir(e.id))))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"base": f"http://127.0.0.1:{server.server_address[1]}/",
           "election": from_cyrillic(e.name("kk")), "territory": territory.name("kk-latn"),
           "station": station.number, "address": from_cyrillic(station.addresses["kk"]),
           "names": names, "table": i18n["kk-latn"]["latin"]}
    server.shutdown()


def _no_cyrillic(page, where):
    words = cyrillic_words(page.content())
    assert not words, (where, sorted(set(words))[:12])


def _follow(page, selector):
    """Click the first link, wait for the viewer to redraw."""
    before = page.locator("h1").inner_text()
    page.locator(selector).first.click()
    page.wait_for_function("t => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText !== t", arg=before)


def test_the_viewer_in_latin_script_shows_no_cyrillic(snapshot, browser, shots):  # noqa: F811
    for width, (w, h) in WIDTHS.items():
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto(snapshot["base"] + "#/kk-latn/")
        page.wait_for_selector("ul.cards a")
        assert page.evaluate("document.documentElement.lang") == "kk-latn"
        assert page.locator("h1").inner_text() == snapshot["election"]
        # The switch offers every language by its own name, the page's marked current.
        assert page.locator("#langs a").all_inner_texts() == [
            "Қазақша", "Qazaqşa", "Русский", "English"]
        assert page.locator("#langs a[aria-current]").inner_text() == "Qazaqşa"
        _no_cyrillic(page, f"election {width}")
        page.screenshot(path=shots / f"viewer-election-kk-latn-{width}.png", full_page=True)
        _follow(page, "li[data-level=territorial] a")
        assert page.locator("h1").inner_text() == snapshot["territory"]
        _no_cyrillic(page, f"territory {width}")
        _follow(page, "li[data-level=district] a")
        _no_cyrillic(page, f"district {width}")
        page.goto(snapshot["base"] + f"#/kk-latn/s/{snapshot['station']}")
        page.wait_for_selector("table.results")
        assert snapshot["address"] in page.locator("main").inner_text()
        assert "badge ok" in page.locator("#integrity").get_attribute("class")
        _no_cyrillic(page, f"station {width}")
        page.screenshot(path=shots / f"viewer-station-kk-latn-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth") <= 1, width
        # The switch keeps the place: the same station in Cyrillic Kazakh.
        page.get_by_role("link", name="Қазақша").click()
        page.wait_for_function("document.documentElement.lang === 'kk'")
        page.wait_for_selector("h1:has-text('Сайлау учаскесі')")
        assert page.url.endswith(f"#/kk/s/{snapshot['station']}")


def test_the_viewers_transliteration_is_the_pythons(snapshot, browser):
    page = browser.new_page()
    page.goto(snapshot["base"] + "#/kk-latn/")
    page.wait_for_selector("ul.cards a")
    texts = HARD + snapshot["names"]
    # The table the publication wrote, through the function the page loaded.
    got = page.evaluate("([texts, table]) => texts.map(t => window.sailauLatin(t, table))",
                        [texts, snapshot["table"]])
    assert got == [from_cyrillic(t) for t in texts]


@pytest.mark.parametrize("locale, lang", [("ru-RU", "ru"), ("en-US", "en"), ("de-DE", "kk")])
def test_the_viewer_opens_in_the_browsers_language_with_a_readable_time(snapshot, browser,
                                                                        locale, lang):
    """No language in the address: the browser's, as the site's "/" does (a Russian reader
    got Kazakh); the footer's publication time as the language writes it, not ISO."""
    import re

    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(snapshot["base"])
    page.wait_for_selector("ul.cards a")
    assert page.evaluate("document.documentElement.lang") == lang
    published = page.locator("#published").inner_text()
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", published), published
    context.close()
