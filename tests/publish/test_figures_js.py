"""The static viewer's figures (static_site/figures.js) are the law's (sailau/law/figures.py):
the JavaScript twin run on the same protocols gives the same ballots issued, turnout, ballots a
share is of and shares, and writes a percentage as the server's pages write it (f"{x:.2f}",
whose ties go to the even digit where JavaScript's toFixed goes up). Run by node, or by
Chromium headless where node is missing."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sailau.law import figures
from tests.browser import ARGS, CHROMIUM

JS = Path(figures.__file__).parents[1] / "publish" / "static_site" / "figures.js"
NODE = shutil.which("node")

PROTOCOLS = [
    ({"voters_on_list": 1200, "issued_in_room": 700, "issued_mobile": 31, "issued_absentee": 2,
      "invalid": 7}, {"a": 300, "b": 100, "against_all": 9}),
    # a referendum: the ballots marked both ways are among the ballots found
    ({"voters_on_list": 977, "issued_in_room": 640, "invalid": 11, "both_marked": 4},
     {"yes": 500, "no": 120}),
    # 97 of 800: 12.125%, a tie in binary
    ({"voters_on_list": 1000, "issued_in_room": 800, "issued_mobile": None}, {"a": 97, "b": 703}),
    ({"voters_on_list": 0, "issued_in_room": 3}, {"a": 0}),  # no list, nothing counted
    ({}, {}),
    ({"voters_on_list": 3, "issued_in_room": 1, "issued_mobile": 1, "issued_absentee": 0,
      "invalid": 0}, {"x": 1, "y": 2}),
]
# Ties of two and one decimals (exact in binary), values a hair below a tie in decimal (2.675
# is 2.67499... in binary), and plain ones.
NUMBERS = [12.125, 0.125, 0.375, 2.5, 3.5, 99.875, 50.625, 2.675, 1.005, 0.045, 61.083333333,
           100.0, 0.0, 33.33333333333333, 66.66666666666667, 24.570024570024572, 7.25, 7.75]


def _python() -> dict:
    rows = []
    for fig, cho in PROTOCOLS:
        counted = figures.counted(fig, cho)
        rows.append({"issued": figures.issued(fig), "turnout": figures.turnout(fig),
                     "valid": figures.valid(cho), "counted": counted,
                     "found": figures.base(fig, cho, figures.FOUND),
                     "of_valid": figures.base(fig, cho, figures.VALID),
                     "shares": {k: figures.share(v, counted) for k, v in cho.items()},
                     "written": {k: f"{figures.share(v, counted):.2f}" for k, v in cho.items()}})
    return {"protocols": rows,
            "fixed": [[f"{x:.{d}f}" for d in (1, 2)] for x in NUMBERS]}


RUN = """
function run(F, cases) {
  return JSON.stringify({
    protocols: cases.protocols.map(function (p) {
      var fig = p[0], cho = p[1], counted = F.counted(fig, cho), shares = {}, written = {};
      Object.keys(cho).forEach(function (k) {
        shares[k] = F.share(cho[k], counted);
        written[k] = F.fixed(F.share(cho[k], counted), 2);
      });
      return {issued: F.issued(fig), turnout: F.turnout(fig), valid: F.valid(cho),
              counted: counted, found: F.base(fig, cho, F.FOUND),
              of_valid: F.base(fig, cho, F.VALID), shares: shares, written: written};
    }),
    fixed: cases.numbers.map(function (x) { return [F.fixed(x, 1), F.fixed(x, 2)]; })
  });
}
"""


def _cases() -> str:
    return json.dumps({"protocols": PROTOCOLS, "numbers": NUMBERS})


def _by_node() -> dict:
    script = (f"var F = require({json.dumps(str(JS))});\n{RUN}\n"
              f"process.stdout.write(run(F, {_cases()}));\n")
    out = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60,
                         check=True)
    return json.loads(out.stdout)


def _by_chromium(tmp_path: Path) -> dict:
    page = tmp_path / "figures.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><script>{JS.read_text()}</script>"
                    f"<script>{RUN}\ndocument.addEventListener('DOMContentLoaded', function () {{"
                    f"document.body.textContent = run(window.SailauFigures, {_cases()}); }});"
                    f"</script><body></body>")
    out = subprocess.run([CHROMIUM, "--headless", *ARGS, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True)
    body = out.stdout.split("<body>", 1)[1].split("</body>", 1)[0]
    return json.loads(body.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def _run_js(tmp_path: Path) -> dict:
    if NODE:
        return _by_node()
    if CHROMIUM:
        return _by_chromium(tmp_path)
    pytest.skip("neither node nor Chromium is installed to run the viewer's figures.js")


def test_the_viewers_figures_are_the_laws(tmp_path):
    assert _run_js(tmp_path) == _python()


def test_a_tie_is_written_as_the_servers_pages_write_it(tmp_path):
    """97 of 800 found is 12.125%: the server's page says 12.12% (to the even digit)."""
    js = _run_js(tmp_path)
    assert js["protocols"][2]["written"]["a"] == "12.12"
    assert js["fixed"][NUMBERS.index(2.675)] == ["2.7", "2.67"]


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (CI installs it)")
@pytest.mark.browser
def test_chromium_runs_it_as_node_does(tmp_path):
    """The fallback where node is missing reads the same numbers."""
    assert _by_chromium(tmp_path) == _python()
