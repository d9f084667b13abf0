"""The static viewer (`publish/static_site/viewer.js`, run in Chromium from the snapshot files
alone) and the server's pages (the Django templates) show the same figures and names for one
station, one district and the national page of a small published election: the same heading,
and in each contest's section the same rows (choice or protocol line, and its figures)."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = NEEDS_CHROMIUM

# Each contest section's results rows: [contest, row name, its figures...] (not the results
# over time the server's page folds under the chart, which the viewer does not draw).
ROWS = """sel => [...document.querySelectorAll(sel)]
  .filter(s => s.querySelector('h2') && s.querySelector('table.results'))
  .flatMap(s => [...s.querySelectorAll('table.results tbody tr')]
    .filter(tr => tr.querySelector('th[scope=row]') && !tr.closest('details')).map(tr => [
    s.querySelector('h2').innerText.trim(), tr.querySelector('th').innerText.trim(),
    ...[...tr.querySelectorAll('td.n')].map(td => td.innerText.trim())]))"""


@pytest.fixture
def site(transactional_db, small_synthetic, tmp_path, monkeypatch):
    """The election published, and the addresses of its pages on the server and in the
    viewer, all made before Playwright starts (its event loop makes the ORM refuse to run in
    this thread)."""
    from sailau.demo.load import load
    from sailau.elections.models import Commission
    from sailau.publish.pipeline import snapshots

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = load(small_synthetic)
    district = Commission.objects.filter(election=e, level="district").order_by("number")[0]
    station = e.stations.filter(district=district).order_by("number")[0]
    snapshots.publish(e.id)
    return {"snapshot": snapshots.election_dir(e.id),
            "pages": [(f"e/{e.id}/", ""), (f"e/{e.id}/c/{district.id}/", f"c/{district.id}"),
                      (f"e/{e.id}/s/{station.number}/", f"s/{station.number}")]}


def _shown(page, url: str, sections: str) -> tuple[str, list]:
    page.goto(url)
    page.wait_for_selector("main table.results")
    return page.locator("main h1").first.inner_text().strip(), page.evaluate(ROWS, sections)


def test_the_viewer_and_the_pages_show_the_same_figures_and_names(live_server, site, browser):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(Quiet, directory=str(site["snapshot"])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    viewer = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page = browser.new_page()
        for lang in ("ru", "kk"):
            for path, route in site["pages"]:
                # (The server's page has more sections: a map, turnout by hour, ...)
                title, rows = _shown(page, f"{live_server.url}/{lang}/{path}",
                                     "main section.contest")
                v_title, v_rows = _shown(page, f"{viewer}#/{lang}/{route}", "main section")
                assert v_title == title, (lang, path)
                assert rows and v_rows, (lang, path)
                # A commission's pages show seats beside the votes on the server: the name
                # and the votes are compared there; a station's every figure.
                width = 4 if route.startswith("s/") else 3
                ours = {tuple(r[:width]) for r in rows}
                theirs = {tuple(r[:width]) for r in v_rows}
                assert theirs == ours, (lang, path, sorted(ours - theirs), sorted(theirs - ours))
    finally:
        server.shutdown()
