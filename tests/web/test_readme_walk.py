"""The README's first ten minutes in its own words, in Chromium on a phone (390 px) and a desktop
(1366 px), on a small demo night built as `make demo` builds it (its accounts made with the
stations left for visitors): every address of "Watch the night" answers without an account;
each account of "Sign in: one account per task" signs in on the sign-in page with its name as
its password and reaches every address its row gives (not sent to sign in, not refused); no page
scrolls sideways; the operator's station is the first of the stations left for visitors. The
addresses and accounts are read from README.md: a README that drifts from the site fails here."""

import json
import re
from pathlib import Path

import pytest

from tests.browser import NEEDS_CHROMIUM
from tests.web.layout import layout_faults

pytestmark = NEEDS_CHROMIUM
README = Path(__file__).resolve().parents[2] / "README.md"
ADDRESS = re.compile(r"`(/[^`\s]*)`")
WIDTHS = (390, 1366)


def _rows(heading: str) -> list[list[str]]:
    """The body rows of the first table under `heading`, as lists of cells."""
    text = README.read_text()
    start = text.index(heading)
    section = text[start:text.find("\n#", start + 1)]
    lines = [ln for ln in section.splitlines() if ln.startswith("|") and not ln.startswith("|---")]
    return [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines[1:]]


def watch_addresses() -> list[str]:
    out = []
    for cells in _rows("### 1. Watch the night"):
        out += re.findall(r"http://127\.0\.0\.1:8000(/\S*)", cells[0]) + ADDRESS.findall(cells[0])
    return out


def accounts() -> list[tuple[str, str, list[str]]]:
    """(what to do, account, addresses) per row of the accounts' table."""
    out = []
    for cells in _rows("### 2. Sign in"):
        out.append((cells[0], re.search(r"`(demo-[\w-]+)`", cells[1]).group(1),
                    ADDRESS.findall(cells[2])))
    return out


def test_the_readme_names_every_journey():
    """What the walk below reads: the watch table and the six accounts' rows and more."""
    assert {"/ru/e/E/", "/ru/e/E/s/NUMBER/", "/api/docs", "/snapshots/E/"} <= set(watch_addresses())
    names = [a for _, a, _ in accounts()]
    assert {"demo-operator", "demo-district-operator", "demo-coordinator", "demo-observer",
            "demo-manager", "demo-decider", "demo-citizen", "demo-admin"} <= set(names)
    assert all(addresses for _, _, addresses in accounts())


@pytest.fixture
def visitors(night):
    """The accounts as `sailau demo` makes them, and the stations it leaves for visitors."""
    from sailau.demo.accounts import create_demo_accounts
    from sailau.demo.night_plan import plan_path
    from sailau.demo.synthetic import ELECTION_ID
    from sailau.elections.models import Election

    reserved = json.loads(plan_path().read_text())["reserved"]
    create_demo_accounts(free=reserved)
    return {"E": Election.objects.get(pk=ELECTION_ID).id, "reserved": reserved}


def _fill(path: str, visitors) -> str:
    return path.replace("/E/", f"/{visitors['E']}/").replace("NUMBER", str(visitors["reserved"][0]))


def _visit(page, base: str, path: str) -> tuple:
    """The fault of one address, or None: its status, whether it asked to sign in, whether the
    page scrolls sideways (pages of the site; not the API's documentation or Django's admin)."""
    r = page.goto(base + path)
    if r is None or r.status != 200:
        return (path, "status", r and r.status)
    if "/login/" in page.url:
        return (path, "sent to sign in", page.url)
    if path.startswith(("/ru/", "/kk/", "/en/")) or path == "/":
        _, faults = layout_faults(page)
        if faults and faults[0][0] == "scrolls sideways":
            return (path, *faults[0])
    return None


def test_the_first_ten_minutes_as_the_readme_says(live_server, visitors, browser):
    faults = []
    for width in WIDTHS:
        viewport = {"width": width, "height": 844 if width < 1000 else 900}
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for path in watch_addresses():
            faults.append(_visit(page, live_server.url, _fill(path, visitors)))
        context.close()
        for task, account, paths in accounts():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            page.goto(f"{live_server.url}/ru/entry/login/")
            page.fill("#id_username", account)  # "The passwords are the account names."
            page.fill("#id_password", account)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            for path in paths:
                fault = _visit(page, live_server.url, _fill(path, visitors))
                faults.append(fault and (width, account, task, *fault))
                # "its station is the first of the stations left for visitors": the station
                # of every protocol its list offers
                if account == "demo-operator" and path == "/ru/entry/" and not fault:
                    listed = set(page.locator("main tbody th").all_inner_texts())
                    if listed != {str(visitors["reserved"][0])}:
                        faults.append((width, account, "its stations", listed,
                                       visitors["reserved"][0]))
            context.close()
    faults = [f for f in faults if f]
    assert not faults, "\n".join(map(str, faults))


def _readme_commands(heading: str) -> list[str]:
    text = README.read_text()
    start = text.index(heading)
    section = text[start:text.find("\n## ", start + 1)]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [ln.split("#")[0].strip() for b in blocks for ln in b.splitlines() if ln.strip()]


def test_check_it_yourself_as_the_readme_says(visitors, tmp_path, live_server):
    """Section 3's commands, as written: `sailau verify` of the served snapshot, then of a copy
    of its folder outside the repository (`cp -r var/snapshots/E ~/sailau-copy`, the data
    directory standing for var/, this test's folder for ~)."""
    import shutil
    import subprocess
    import sys

    from sailau.paths import data_dir

    commands = _readme_commands("### 3. Check it yourself")
    assert commands == ["sailau verify http://127.0.0.1:8000/snapshots/kz.mazhilis.2023-03-19/",
                        "sailau verify http://127.0.0.1:8000/snapshots/kz.senate.2023-01-14/",
                        "cp -r var/snapshots/kz.mazhilis.2023-03-19 ~/sailau-copy",
                        "sailau verify ~/sailau-copy"], commands
    shutil.copytree(data_dir() / "snapshots" / visitors["E"], tmp_path / "sailau-copy")
    for target in (*(c.split()[-1].replace("http://127.0.0.1:8000", live_server.url)
                     for c in commands[:2]), str(tmp_path / "sailau-copy")):
        r = subprocess.run([sys.executable, "-m", "sailau", "verify", target], cwd=tmp_path,
                           capture_output=True, text=True, timeout=900, check=False)
        assert r.returncode == 0, (target, r.stdout[-3000:], r.stderr[-3000:])
