"""A reader's walk through a referendum's and a presidential election's pages (and its second
round's) on a 390 px phone and a 1366 px screen, in Kazakh and Russian: the election, a
territory, a district, a station, the search, the downloads and the integrity report, and the
referendum's staff pages (the commission secretary's work list, entry form and turnout report,
the coordinator's comparison, the observer's phone form). Each page speaks of its own kind
of vote alone (a referendum names no candidate, party, seat, "elections" or "turnout"; a
President's pages no party, seat, single-member district, Mazhilis or referendum), shows no
English and no raw key or id (`foreign_words`: "against_all", "both_marked", ids), no word of
the other national language, and does not scroll sideways. Small elections built without the
demo (`kind_elections`, `tests.elections.president`), so the walk takes seconds."""

import re

import pytest

from tests.browser import NEEDS_CHROMIUM, PHONE, SCREEN
from tests.web.layout import layout_faults
from tests.web.visible_text import foreign_words, other_language_words, visible_text

pytestmark = NEEDS_CHROMIUM

# Another kind's words, as whole words or phrases (case as written on the pages).
ELECTION_RU = r"выбор(ы|ов|ам|ах)|Выборы|Явка|явка|Лидер|Кандидат\w*|кандидат\w*|Парти\w*|парти\w*"
ELECTION_KK = (r"Сайлау күні|Сайлауға қатысу|сайлауға қатысу|Көш басшысы|Кандидат\w*|кандидат\w*"
               r"|Партия\w*|партия\w*|Сайлау адалдығы|Сайлау бөлімдері|Сайлау нәтижелері"
               r"|Сайлау қор\w*")
SEATS_RU = r"Мандат\w*|мандат\w*|Одномандатн\w*|одномандатн\w*|Мажилис\w*|Маслихат\w*"
SEATS_KK = r"Мандат\w*|мандат\w*|Бір мандатты|бір мандатты|Мәжіліс\w*|Мәслихат\w*"
NOT_SAID = {
    "referendum": {"ru": re.compile(rf"(?<!\w)({ELECTION_RU}|{SEATS_RU}|Избирательные фонды)(?!\w)"),
                   "kk": re.compile(rf"(?<!\w)({ELECTION_KK}|{SEATS_KK})(?!\w)")},
    "president": {"ru": re.compile(rf"(?<!\w)({SEATS_RU}|Парти\w*|парти\w*|референдум\w*"
                                   r"|Референдум\w*)(?!\w)"),
                  "kk": re.compile(rf"(?<!\w)({SEATS_KK}|Партия\w*|партия\w*|референдум\w*"
                                   r"|Референдум\w*)(?!\w)")},
}


@pytest.fixture
def elections(transactional_db, tmp_path, monkeypatch):
    """The pages to walk of each election, by (kind, name). Loaded before the browser starts
    (Playwright's loop keeps the ORM out of the test's thread afterwards)."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    from sailau.elections import rounds
    from sailau.elections.models import Commission
    from tests.elections.president import first_round
    from tests.web import kind_elections

    referendum = kind_elections.referendum(regions=17, yes_regions=12)
    for station in referendum.stations.all():  # the factory's is in Kazakh
        station.addresses["ru"] = "улица Абая, 1"
        station.save(update_fields=["addresses"])
    first = first_round()  # no majority: a second round of the two leaders
    second = rounds.create_second_round(first.id)
    pages = {}
    for kind, e in (("referendum", referendum), ("president", first), ("president", second)):
        territory = e.commissions.filter(level=Commission.TERRITORIAL).order_by("number")[0]
        station = e.stations.order_by("number")[0]
        base = f"e/{e.id}/"
        walk = {"election": base, "territory": f"{base}c/{territory.id}/",
                "station": f"{base}s/{station.number}/", "search": f"{base}search/?q=1",
                "downloads": f"{base}download/", "integrity": f"{base}integrity/"}
        district = e.commissions.filter(level=Commission.DISTRICT).order_by("number").first()
        if district:
            walk["district"] = f"{base}c/{district.id}/"
        pages.update({(kind, f"{e.id} {name}"): path for name, path in walk.items()})
    pages.update(_staff_pages(referendum))
    # The accounts' logins, shown on staff pages as they are typed (who signed in, who typed
    # an entry): a person's name for the site, not a word of the page.
    from django.contrib.auth.models import User
    logins = set(User.objects.values_list("username", flat=True))
    return {"pages": pages, "referendum": referendum.id, "first": first.id, "second": second.id,
            "logins": logins}


def _tile_labels(html: str) -> list[str]:
    """The tile labels of the page's first map (one per territory drawn), or none."""
    svg = re.search(r'<svg class="chart map".*?</svg>', html, re.DOTALL)
    return re.findall(r'font-size="15" font-weight="bold"[^>]*>([^<]+)</text>',
                      svg.group(0)) if svg else []


def _staff_pages(referendum) -> dict:
    """The referendum's staff pages, each with the session of the account that sees it: an
    operator and coordinator of its first station, an accredited observer deployed there."""
    import datetime as dt

    from django.test import Client

    from tests.chain_fixtures import People
    from tests.observation.deployed import deployed_observer

    people = People(referendum)
    station, contest = people.stations[0], referendum.contests.get().id
    staff = people.operator(station)
    coordinator = people.coordinator(station.territory_id)
    _, _, observer = deployed_observer(people.admin(), referendum, station, dt.date(2022, 5, 1),
                                       name_ru="Фонд Тест")
    sessions = {}
    for user in (staff, coordinator, observer):
        client = Client()
        client.force_login(user)
        sessions[user.pk] = client.cookies["sessionid"].value
    return {("referendum", f"{referendum.id} staff {name}"): (path, sessions[user.pk])
            for name, user, path in (
                ("work list", staff, "entry/"),
                ("entry", staff, f"entry/{station.id}/{contest}/1/"),
                ("turnout", staff, f"entry/turnout/{station.id}/"),
                ("comparison", coordinator, f"entry/{station.id}/{contest}/resolve/"),
                ("observer", observer, "observation/form/"))}


@pytest.mark.parametrize("screen", [PHONE, SCREEN], ids=["390px", "1366px"])
def test_each_kinds_pages_speak_of_their_own_vote(live_server, elections, browser, screen):
    page, faults, seen = browser.new_page(viewport=screen), [], {}
    for lang in ("kk", "ru"):
        for (kind, name), path in elections["pages"].items():
            path, session = path if isinstance(path, tuple) else (path, None)
            page.context.clear_cookies()
            if session:
                page.context.add_cookies([{"name": "sessionid", "value": session,
                                           "url": live_server.url}])
            r = page.goto(f"{live_server.url}/{lang}/{path}")
            assert r.status == 200, (lang, name, r.status)
            html = page.content()
            text = visible_text(html)
            seen[(lang, name)] = text
            # The integrity report's methods are told as their authors wrote them, of elections
            # (Klimek's turnout, the leader's share): only its headings are the page's own.
            shown = text if not name.endswith("integrity") else " ".join(
                t.inner_text() for t in page.locator("title, h1, nav").all())
            said = sorted({m.group(0) for m in NOT_SAID[kind][lang].finditer(shown)})
            if said:
                at = shown.find(said[0])
                faults.append((lang, name, "another kind's words", said,
                               shown[max(0, at - 60):at + 40]))
            if words := foreign_words(html, elections["logins"]) + other_language_words(html,
                                                                                        lang):
                faults.append((lang, name, "not in the page's language", sorted(set(words))))
            if name.endswith(" election") and (labels := _tile_labels(html)):
                seen[(lang, name, "tiles")] = labels
            _, common = layout_faults(page)
            faults += [(lang, name, *f) for f in common]
    page.close()
    assert not faults, "\n".join(map(str, faults))
    # The two rounds link each other, and the referendum speaks in its own words.
    assert "Второй тур (повторное голосование)" in seen[("ru", f"{elections['first']} election")]
    assert "Первый тур" in seen[("ru", f"{elections['second']} election")]
    assert "Участие в референдуме" in seen[("ru", f"{elections['referendum']} election")]
    assert "Референдумға қатысу" in seen[("kk", f"{elections['referendum']} election")]
    # The referendum's map: the 17 territories of its day, none formed after it (Abai, Jetisu
    # and Ulytau on 8 June 2022), the capital under its name of the day.
    for lang, later in (("kk", {"АБА", "ЖЕТ", "ҰЛЫ"}), ("ru", {"АБА", "ЖЕТ", "УЛЫ"})):
        labels = seen[(lang, f"{elections['referendum']} election", "tiles")]
        assert len(labels) == 17 and not later & set(labels), (lang, labels)
    assert "Сообщить об участии" in seen[("ru", f"{elections['referendum']} staff work list")]
    assert "Қатысушылар саны" in seen[("kk", f"{elections['referendum']} staff observer")]

