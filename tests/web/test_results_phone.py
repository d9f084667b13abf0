"""The results tables at 390 px with a country's figures: a night in progress of a small demo has
four-digit votes, a national one seven-digit ("3 370 311" beside "Общенациональная
социал-демократическая партия" and "Мандаты" made the table 397 px wide on a 390 px phone). The
figures of the page are replaced, in the browser, by those of a national count, and every
results table must still fit the page's column."""

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM

NATIONAL = """() => {
  for (const t of document.querySelectorAll('table.results')) {
    for (const row of t.tBodies[0] ? t.tBodies[0].rows : []) {
      const figures = [...row.cells].filter(c => c.classList.contains('n'));
      if (figures.length >= 2) { figures[0].textContent = '3 370 311'; figures[1].textContent = '53.90%'; }
      if (figures.length >= 3) figures[2].textContent = '40';
    }
  }
  return [...document.querySelectorAll('table.results')]
    .filter(t => t.getBoundingClientRect().width > 1)
    .map(t => ({right: t.getBoundingClientRect().right,
                column: t.parentElement.getBoundingClientRect().right
                        - parseFloat(getComputedStyle(t.parentElement).paddingRight),
                page: document.documentElement.scrollWidth}));
}"""


def test_results_tables_fit_a_phone_with_a_countrys_figures(live_server, night, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for lang in ("ru", "kk"):
        for name in ("election", "territory", "district"):
            assert page.goto(f"{live_server.url}/{lang}/{night[name]}").status == 200
            tables = page.evaluate(NATIONAL)
            assert tables, f"no results table on the {name} page"
            for t in tables:
                assert t["right"] <= t["column"] + 1 and t["page"] <= 390, (lang, name, t)
    page.close()
