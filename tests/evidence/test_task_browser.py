"""A volunteer's task on a phone (Debian's Chromium via Playwright): the paper is shown across
the screen's width, scrolled up and down with a finger, stays at the top while the fields scroll
under it, and opens at full size; on a desktop it stands beside the fields and stays beside them
while the last ones are typed. (It was ~280 px wide on a phone, with no way to enlarge it, and
the fields below it; then 960 px wide in a 358 px box, showing only the paper's corner.)"""

import pytest

from tests.browser import NEEDS_CHROMIUM, PHONE
from tests.evidence.conftest import add_scan, picture

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def volunteer(transactional_db):
    # Written before Playwright starts: its event loop makes the ORM refuse to run here.
    from django.test import Client

    from sailau.evidence import volunteers
    from tests.factories import (
        ContestFactory,
        DefinitiveProtocolFactory,
        StationFactory,
        UserFactory,
    )

    st = StationFactory()
    add_scan(DefinitiveProtocolFactory(station=st, contest=ContestFactory(election=st.election)),
             picture(1))
    user = UserFactory()
    volunteers.become(user)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _open(browser, live_server, session, viewport):
    context = browser.new_context(viewport=viewport)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    assert page.goto(f"{live_server.url}/ru/evidence/task/").status == 200
    page.wait_for_selector(".task-scan img.paper")
    page.wait_for_function("document.querySelector('.task-scan img.paper').complete")
    return context, page


def test_the_paper_is_readable_and_stays_in_view_on_a_phone(live_server, volunteer, browser):
    context, page = _open(browser, live_server, volunteer, PHONE)
    img = page.locator(".task-scan img.paper").bounding_box()
    pan = page.locator(".task-scan .pan").bounding_box()
    # The whole width of the paper on the screen, not its corner: it fits its box, which fits
    # the screen (the figures are read larger by the full-size link or by pinching).
    assert pan["width"] - 4 <= img["width"] <= pan["width"], (img, pan)
    assert pan["x"] >= 0 and pan["x"] + pan["width"] <= PHONE["width"], pan
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert pan["height"] <= 0.45 * PHONE["height"], pan
    href = page.locator(".task-scan figcaption a").get_attribute("href")
    assert href == page.locator(".task-scan img.paper").get_attribute("src")
    # Scrolled to the last field, the paper is still on the screen.
    page.locator("form input[name^=c_]").last.scroll_into_view_if_needed()
    scan = page.locator(".task-scan").bounding_box()
    assert scan["y"] > -1 and scan["y"] < 5, scan
    context.close()


def test_the_paper_stands_beside_the_fields_on_a_desktop(live_server, volunteer, browser):
    context, page = _open(browser, live_server, volunteer, {"width": 1366, "height": 900})
    scan = page.locator(".task-scan").bounding_box()
    form = page.locator(".task-form").bounding_box()
    assert form["x"] >= scan["x"] + scan["width"] - 1, (scan, form)
    assert abs(form["y"] - scan["y"]) < 50
    # Typing the last figures, the paper is still beside them.
    page.locator("form input[name^=c_]").last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0
    scan = page.locator(".task-scan").bounding_box()
    assert scan["y"] > -1 and scan["y"] < 5, scan
    context.close()
