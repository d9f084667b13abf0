"""The public pages in a real browser (Debian's Chromium driven by Playwright)."""


import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def page(phone_page):
    return phone_page


@pytest.fixture
def election(transactional_db, small_synthetic):
    # Loaded before Playwright starts: its event loop makes the ORM refuse to run in this thread.
    from sailau.demo.load import load

    return load(small_synthetic)


def test_election_page_switches_language_in_the_browser(live_server, election, page, tmp_path):
    page.goto(f"{live_server.url}/kk/")
    page.get_by_role("link", name=election.name("kk")).click()
    assert page.locator("h1").inner_text() == election.name("kk")
    assert page.get_by_role("table").first.is_visible()
    page.get_by_role("link", name="Русский").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == election.name("ru")
    page.get_by_role("link", name="English").click()
    assert "Seats" in page.content()
    page.screenshot(path=tmp_path / "election-en.png", full_page=True)
