"""The entry form in a real browser (Debian's Chromium driven by Playwright), on a phone-sized
screen: an operator signs in, types a protocol with the keyboard (Enter moves to the next
line), sees the error code next to the line, fixes it, and finalises. The draft is saved as it
is typed."""


import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.slow]


@pytest.fixture
def setup(transactional_db):
    # Loaded before Playwright starts: its event loop makes the ORM refuse to run in this thread.
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.demo.load import load
    from sailau.elections.models import Station
    from sailau.protocols.catalog import Catalog
    from tests.chain_fixtures import synthetic

    syn = synthetic()
    election = load(syn, route=False)
    st = Station.objects.filter(election=election).order_by("number").first()
    contest = f"{election.id}.list"
    user = User.objects.create_user("typist", password="keyboard-only-1")
    Role.objects.create(user=user, kind="operator", commission_id=st.commission_id)
    form = Catalog().contest(contest).form
    p = syn.protocols[(st.id, contest)]
    fields = [f"figures.{ln.key}" for ln in form.lines if ln.key in p["figures"]]
    keys = list(Catalog().contest(contest).choice_keys) + (
        ["against_all"] if form.against_all else [])
    warnings = [f.code for f in form.check(p["figures"], p["choices"])
                if f.severity == "warning"]
    return {"station": st, "contest": contest, "paper": p, "keys": keys, "warnings": warnings,
            "lines": [ln.key for ln in form.lines], "fields": fields}


@pytest.fixture
def page(phone_page):
    return phone_page


def test_type_a_protocol_by_keyboard_see_the_error_fix_it_finalise(live_server, setup, page,
                                                                   tmp_path):
    st, paper = setup["station"], setup["paper"]
    page.goto(f"{live_server.url}/en/entry/")
    page.fill("#id_username", "typist")
    page.fill("#id_password", "keyboard-only-1")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Type the first entry").first.click()
    assert page.locator("h1").inner_text().startswith(f"Station {st.number}")
    # The register's figure beside the form, to check line 1 against.
    assert f"{st.registered}" in page.locator("#registered").inner_text().replace(",", "")
    values = []
    for key in setup["lines"]:
        v = paper["figures"].get(key)
        # A slip: one ballot too many cancelled, which breaks F101.
        values.append("" if v is None else str(v + 1 if key == "cancelled" else v))
    values += [str(paper["choices"][k]) for k in setup["keys"]]
    # The script is deferred: until it has run, Enter submits the form as a plain page does.
    page.wait_for_selector("#entry-form[data-ready]", state="attached")
    page.locator("input.count").first.focus()
    for v in values:  # type each count and press Enter, as an operator does
        if v:
            page.keyboard.type(v)
        page.keyboard.press("Enter")
    # Enter after the last count lands on the finalise button; the draft is saved meanwhile.
    assert page.evaluate("document.activeElement.id") == "finalise"
    page.wait_for_selector("#draft-status:has-text('Draft saved')")
    page.wait_for_selector("#why-lost .finding.error[data-code=F101]")  # once, lit lines above
    assert page.locator(".line.flagged[data-line=cancelled]").count() == 1
    assert page.locator(".finding[data-code=F101]").count() == 1
    page.screenshot(path=tmp_path / "entry-error.png", full_page=True)
    page.keyboard.press("Enter")  # try to finalise anyway: refused, the code next to the line
    page.wait_for_selector("#problem")
    assert "F101" in page.locator("#problem").inner_text()
    # The banner says what F101 is, not only its code, and leads to the line it concerns.
    item = page.locator("#problem li:has(a[href='#finding-F101'])")
    assert item.count() == 1
    assert len(item.inner_text()) > len("F101 ") + 10, item.inner_text()
    assert page.locator("#why-lost [data-code=F101]").count() == 1
    assert page.locator(".finding[data-code=F101]").count() == 1
    # Fix the line and acknowledge the real warnings, then finalise.
    cancelled = page.locator("input[name='figures.cancelled']")
    cancelled.fill(str(paper["figures"]["cancelled"]))
    for code in setup["warnings"]:
        page.check(f"input[name=ack][value={code}]")
    page.click("#finalise")
    page.wait_for_selector("#outcome")
    assert "second operator" in page.locator("#outcome").inner_text()
