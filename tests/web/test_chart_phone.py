"""The results over time on a phone (390 px) and a desktop, in a real browser, on a demo night in
progress: the axis labels are readable (they were ~5 px high on a phone, the bottom one cut off)
and inside their chart, and no two parties' lines share a colour (AUYL and Baytaq were the same
green)."""

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM

LABELS = """[...document.querySelectorAll('figure.progress svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text.axis')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, height: r.height, bottom: r.bottom, svgBottom: box.bottom,
            left: r.left, svgLeft: box.left};
  });
})"""
LINE_COLORS = """[...document.querySelectorAll('figure.progress svg.chart polyline[stroke]')]
  .filter(p => p.querySelector('title')).map(p => p.getAttribute('stroke'))"""


def test_results_over_time_read_on_a_phone(live_server, night, browser):
    from sailau.publish.pages.colors import MIN_DELTA_E, delta_e

    for width, smallest in ((390, 10), (1366, 10)):
        page = browser.new_page(viewport={"width": width, "height": 844})
        assert page.goto(f"{live_server.url}/ru/{night['election']}").status == 200
        labels = page.evaluate(LABELS)
        assert labels, "no results over time on the election page"
        for label in labels:
            assert label["height"] >= smallest, (width, label)
            assert label["bottom"] <= label["svgBottom"] + 0.5, (width, label)
            assert label["left"] >= label["svgLeft"] - 0.5, (width, label)
        colors = page.evaluate(LINE_COLORS)
        assert len(colors) >= 2
        for i, a in enumerate(colors):
            for b in colors[:i]:
                assert delta_e(a, b) >= MIN_DELTA_E, (a, b)
        page.close()
