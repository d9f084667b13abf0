"""The four people the site is built for, each in a real browser against a demo night in progress, on a
desktop (1366x900) in Kazakh and on a phone (390x844) in Russian:
- a voter in Almaty: home -> the election -> where do I vote -> their station -> results;
- a journalist: the election -> integrity -> downloads, and a listed file hashes to its value;
- an observer with a phone: sign in -> the observer's form -> a report -> it is sent;
- a commission secretary at 2 a.m., with the keyboard only (Tab, typing, Enter, Space): sign in
  -> the protocol -> a slip is shown and announced on its line -> fixed -> finalised.
One test (one night: building it takes most of the time)."""

import hashlib

import pytest

from tests.browser import NEEDS_CHROMIUM, PHONE

pytestmark = NEEDS_CHROMIUM
SCREENS = ((("kk", {"width": 1366, "height": 900})), ("ru", PHONE))


@pytest.fixture
def people(staff_night):
    """What the four people bring: the voter's IIN (on the list of a reported Almaty station),
    the secretary's paper protocol in the form's order and the warnings to acknowledge."""
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.demo.synthetic import ELECTION_ID
    from sailau.elections.models import Contest, Election
    from sailau.protocols.catalog import Catalog
    from sailau.protocols.models import DataEntry, Protocol
    from sailau.voters.models import ListEntry
    from tests import factories as f

    e = Election.objects.get(pk=ELECTION_ID)
    almaty = next(t for t in e.commissions.filter(level="territorial")
                  if "город Алматы" in t.name("ru"))
    entry = (ListEntry.objects.filter(election=e, station__territory=almaty,
                                      station__protocols__current=True,
                                      state=ListEntry.ON_LIST)
             .select_related("voter", "station").order_by("station__number", "pk").first())
    contest = Contest.objects.get(pk=staff_night["contest"])
    own = e.stations.get(pk=staff_night["station_id"])
    # A second secretary, for a second waiting station: a protocol is typed once.
    busy = set(Protocol.objects.values_list("station_id", flat=True)) | set(
        DataEntry.objects.values_list("station_id", flat=True)) | {own.pk}
    other = e.stations.exclude(pk__in=busy).order_by("number").first()
    user = User.objects.create_user("night-secretary", password="night-secretary")
    Role.objects.create(user=user, kind="operator", commission_id=other.commission_id)
    info = Catalog().contest(contest.id)
    keys = list(info.choice_keys) + (["against_all"] if info.form.against_all else [])
    lines = [ln.key for ln in info.form.lines]
    secretaries = {}
    for lang, account, station in (("kk", "demo-operator", own), ("ru", "night-secretary", other)):
        figures, choices = f.paper(contest, station)
        typed = [str(figures[k] + 1 if k == "cancelled" else figures[k]) if k in figures else ""
                 for k in lines] + [str(choices.get(k, 0)) for k in keys]
        secretaries[lang] = {"account": account, "typed": typed,
                             "cancelled": str(figures["cancelled"]),
                             "warnings": f.warnings(contest, figures, choices),
                             "entry": f"entry/{station.id}/{contest.id}/1/"}
    return {"election": e.id, "names": {lang: e.name(lang) for lang in ("kk", "ru")},
            "iin": entry.voter.iin, "station": entry.station.number,
            "secretaries": secretaries}


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on `selector`, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2; }""")


def voter(page, base, lang, p):
    page.goto(f"{base}/{lang}/")
    page.locator(f"main a[href='/{lang}/e/{p['election']}/']").first.click()
    assert page.locator("h1").inner_text() == p["names"][lang]
    page.locator("nav.sections a[href*='/voters/']").click()
    page.fill("input[name=iin]", p["iin"])
    page.locator("main form button[type=submit]").click()
    page.locator(".answer a").click()
    assert page.url.endswith(f"/{lang}/e/{p['election']}/s/{p['station']}/")
    assert page.locator("main table").first.is_visible()  # the station's results
    page.locator(f"nav.sections a[href='/{lang}/e/{p['election']}/']").click()
    assert page.locator("main table").first.is_visible()  # and the whole election's


def journalist(page, base, lang, p):
    page.goto(f"{base}/{lang}/e/{p['election']}/")
    page.locator("nav.sections a[href$='/integrity/']").click()
    assert page.locator("h1").is_visible() and "/integrity/" in page.url
    page.locator("nav.sections a[href$='/download/']").click()
    row = page.locator("tr:has(code.hash)").filter(has_not_text="—").first
    href = row.locator("a").get_attribute("href")
    listed = row.locator("code.hash").inner_text()
    body = page.request.get(f"{base}{href}").body()
    assert hashlib.sha256(body).hexdigest() == listed, href


def observer(page, base, lang, p):
    page.goto(f"{base}/{lang}/observation/login/?next=/{lang}/observation/form/")
    page.fill("#id_username", "demo-observer")
    page.fill("#id_password", "demo-observer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/{lang}/observation/form/")
    page.fill("#incident textarea[name=description]", f"{lang}: queue outside the station")
    with page.expect_response("**/api/observation/incidents") as answer:
        page.click("#incident button[type=submit]")
    assert answer.value.status == 201
    page.wait_for_selector("#queue li:not(:has-text('№'))")  # nothing left waiting
    assert "№" in page.locator("#status").inner_text()  # "sent: №N ..." in the page's language


def secretary(page, base, lang, people):
    p = people["secretaries"][lang]
    page.goto(f"{base}/{lang}/entry/login/")
    # The user name field takes the focus (autofocus) at the page's first rendering, which a
    # loaded machine may reach after the load event: a keyboard user waits to see the caret.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(p["account"])
    page.keyboard.press("Tab")
    page.keyboard.type(p["account"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/entry/login/" not in page.url, page.locator("main").inner_text()
    tab_to(page, f"main a[href='/{lang}/{p['entry']}']")
    assert focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#entry-form[data-ready]", state="attached")  # Enter moves lines
    tab_to(page, "input.count")
    assert focus_is_visible(page)
    for value in p["typed"]:  # Enter moves to the next line
        page.keyboard.press("Control+A")
        page.keyboard.type(value) if value else page.keyboard.press("Delete")
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "finalise"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Refused: said at once (role=alert), and on the cancelled ballots' line, which the input
    # names as its description; the vote lines are not blamed.
    assert "F101" in page.locator("#problem[role=alert]").inner_text()
    cancelled = page.locator("input[name='figures.cancelled']")
    described = cancelled.get_attribute("aria-describedby").split()
    assert any("F101" in page.locator(f"#{i}").inner_text() for i in described)
    assert page.locator(".line[data-line^='choices'] [data-code=F101]").count() == 0
    tab_to(page, "input[name='figures.cancelled']")
    page.keyboard.press("Control+A")
    page.keyboard.type(p["cancelled"])
    for code in p["warnings"]:
        tab_to(page, f"input[name=ack][value={code}]")
        page.keyboard.press("Space")
    tab_to(page, "#finalise")
    assert focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#outcome").is_visible()


def test_four_people_find_their_way_on_a_desktop_and_a_phone(live_server, people, browser):
    for lang, screen in SCREENS:
        for journey in (voter, journalist, observer, secretary):
            context = browser.new_context(viewport=screen)
            page = context.new_page()
            journey(page, live_server.url, lang, people)
            context.close()
