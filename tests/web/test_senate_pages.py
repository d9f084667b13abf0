"""The Senate election's pages (the demo's, `sailau.demo.senate`): the election, a region's
territorial commission, its joint session's commission, the joint session's page and the
downloads, in Kazakh (both scripts), Russian and English. They name the Senate's parts in its
own words (`Wording` of the kind, law/kinds.py): its seats by region, not "single-member
districts of the maslikhat"; its joint sessions and electors, not polling stations and
registered voters; no "maslikhat elections" section for the territorial commissions its seats
belong to, and no chart of results over time for a seat counted at one session. In Kazakh and
Russian no English, no internal id and no word of the other national language; at 390 and
1366 px in Chromium no sideways scrolling, no table whose rows differ in columns, no word cut
(layout_checks.js), no serious accessibility violation at 390 px (axe-core), with a screenshot
of each (in $SAILAU_SCREENSHOTS, else a temporary directory)."""

import os
from pathlib import Path

import pytest
from django.test import Client

from sailau.demo import senate
from sailau.law import kinds
from tests.browser import NEEDS_CHROMIUM
from tests.web.axe import violations
from tests.web.layout import layout_faults
from tests.web.visible_text import (
    cyrillic_words,
    foreign_words,
    other_language_words,
    visible_text,
)

WORDS = kinds.get("senate").wording
# What a Mazhilis-and-maslikhat election's pages would say in their place.
NOT_SAID = {"kk": ("Мәслихаттың бір мандатты округтері", "Мәслихаттарды сайлау",
                   "Сайлау учаскесі №"),
            "ru": ("Одномандатные округа маслихата", "Выборы депутатов маслихатов",
                   "Избирательный участок №"),
            "en": ("Single-member districts of the maslikhat", "Maslikhat elections",
                   "Polling station №")}


def _pages() -> dict[str, str]:
    """The Senate's page addresses (after the language), for an election already built."""
    eid = senate.election_id()
    code = next(iter(senate.ELECTORS))
    base = f"e/{eid}/"
    return {"election": base, "territory": f"{base}c/{eid}.tec.{code}/",
            "session-commission": f"{base}c/{eid}.tec.{code}.joint/",
            "session": f"{base}s/1/", "downloads": f"{base}download/",
            "search": f"{base}search/?q=1"}


@pytest.fixture
def built(transactional_db, tmp_path, monkeypatch):
    """The demo's Senate election, counted and published (before Playwright starts: its event
    loop makes the ORM refuse to run in this thread)."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    senate.build(seed=3, say=lambda *a, **k: None)
    return _pages()


def test_the_senate_pages_say_seats_sessions_and_electors_in_each_language(built):
    client, found = Client(), []
    for lang in ("kk", "kk-latn", "ru", "en"):
        said = {name: client.get(f"/{lang}/{path}") for name, path in built.items()}
        assert {n: r.status_code for n, r in said.items()} == dict.fromkeys(built, 200), lang
        text = {n: visible_text(r.content.decode()) for n, r in said.items()}
        words = {k: getattr(WORDS, k).in_language(lang)
                 for k in ("seats", "seat", "station", "stations", "voters")}
        assert words["seats"] in text["election"] and words["seat"] in text["election"]
        assert f'{words["stations"]}: 3' in text["election"]
        assert f'{words["voters"]}: {sum(senate.ELECTORS.values())}' in text["election"]
        assert words["stations"] in text["territory"]  # its joint session, listed below it
        # one session's protocol is the seat's whole count: no curve of results over time
        assert 'class="progress"' not in said["territory"].content.decode()
        assert words["voters"] in text["session-commission"]
        assert f'{words["station"]} №1' in text["session"]
        for not_said in NOT_SAID.get(lang, ()):
            assert not [n for n, t in text.items() if not_said in t], (lang, not_said)
        for name, r in said.items():
            html = r.content.decode()
            if lang == "kk-latn":
                bad = cyrillic_words(html)
            elif lang in ("kk", "ru"):
                bad = foreign_words(html) + other_language_words(html, lang)
            else:
                bad = []
            if bad:
                found.append((lang, name, sorted(set(bad))[:10]))
    assert not found, "\n".join(map(str, found))




def _needs_chromium(test):
    for mark in NEEDS_CHROMIUM:
        test = mark(test)
    return test


@_needs_chromium
def test_the_senate_pages_fit_a_phone_and_a_desktop(built, live_server, browser, tmp_path):
    shots = Path(os.environ.get("SAILAU_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    faults = []
    for width in (390, 1366):
        page = browser.new_page(viewport={"width": width, "height": 844})
        for lang in ("kk", "ru", "en"):
            for name, path in built.items():
                r = page.goto(f"{live_server.url}/{lang}/{path}")
                assert r.status == 200, (lang, name, r.status)
                assert page.locator("h1").count() == 1, (lang, name)
                faults += [(width, lang, name, *f) for f in layout_faults(page)[1]]
                if width == 390:  # contrast, names and landmarks do not change with the width
                    faults += [(width, lang, name, "accessibility", v) for v in violations(page)]
                page.screenshot(path=shots / f"senate-{name}-{lang}-{width}.png",
                                full_page=True)
        page.close()
    assert not faults, "\n".join(map(str, faults))
