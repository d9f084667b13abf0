"""The public register of complaints in a real browser (Debian's Chromium via Playwright) at phone
width: the nine-column table turns into stacked cards and the filter form wraps, so nothing makes
the page scroll sideways; at desktop width it stays a table."""


import pytest

from tests.browser import NEEDS_CHROMIUM, PHONE

pytestmark = NEEDS_CHROMIUM
# The element sticking out furthest to the right, to name it when a page scrolls sideways.
WIDEST = """[...document.querySelectorAll('body *')].map(e => [e.getBoundingClientRect().right,
  e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)])
  .sort((a, b) => b[0] - a[0])[0]"""


@pytest.fixture
def register(transactional_db, small_synthetic, tmp_path, monkeypatch):
    """Complaints filed through the services, all before Playwright starts (its event loop makes
    the ORM refuse to run in this thread)."""
    from sailau.complaints.demo import generate
    from sailau.demo.load import load

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    election = load(small_synthetic)
    filed = generate(election, seed=3, n=12)
    assert filed
    return filed




@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_register_fits_a_phone(live_server, register, browser, lang):
    page = browser.new_page(viewport=PHONE)
    assert page.goto(f"{live_server.url}/{lang}/complaints/").status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, page.evaluate(WIDEST)
    # Still a real table (screen readers announce rows and columns), but each row is a card:
    # the cells stack, one per line, each under the column's name.
    assert page.locator("table.stack thead th").count() == 9
    row = page.locator("table.stack tbody tr").first
    cells = row.locator("th, td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    shown = [b for b in boxes if b and b["height"] > 0]
    assert len(shown) >= 6
    assert all(b["width"] > 300 for b in shown)  # full width, not one letter per line
    assert [b["y"] for b in shown] == sorted(b["y"] for b in shown)
    label = page.evaluate("""getComputedStyle(document.querySelector(
        'table.stack tbody td[data-label]'), '::before').content""")
    first_td_label = row.locator("td[data-label]").first.get_attribute("data-label")
    assert first_td_label in label
    # Every filter field stays within the screen.
    for i in range(page.locator("form.filters label").count()):
        box = page.locator("form.filters label").nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, i
    page.close()


def test_register_is_a_table_on_a_desktop(live_server, register, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/en/complaints/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    row = page.locator("table.stack tbody tr").first
    ys = {round(row.locator("td").nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(ys) == 1  # cells side by side
    assert page.locator("table.stack thead").is_visible()
    page.close()


@pytest.mark.parametrize("width", [1366, 1920])
def test_register_is_aligned_with_the_header(live_server, register, browser, width):
    # A wide page under a narrower header looked flush left beside a centred header.
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/ru/complaints/")
    brand = page.locator("header .brand").bounding_box()
    title = page.locator("main h1").bounding_box()
    assert abs(brand["x"] - title["x"]) <= 2, (brand, title)
    page.close()
