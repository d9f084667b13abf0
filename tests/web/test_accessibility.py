"""axe-core (tests/web/axe.py) on the pages behind a sign-in (entry, resolve, the observer's
form, filing a complaint) and on the states a visitor meets (a refused sign-in, a lookup's
answer, an entry with an error), Kazakh and Russian, against a demo night in progress: no serious
or critical violation of WCAG 2.1 A/AA (contrast, labels, landmarks, languages, names of images
and controls, table headers). The public pages are checked in test_phone_layout's walk, and the
sign-in pages below are added there. One test: the night takes most of the time."""


from tests.browser import NEEDS_CHROMIUM
from tests.web.axe import violations
from tests.web.signin import sign_in

pytestmark = NEEDS_CHROMIUM
LANGS = ("kk", "ru")


def _check(page, where, faults):
    faults += [f"{where}: {v}" for v in violations(page)]


def test_signed_in_pages_and_visitors_states_have_no_serious_accessibility_violation(
        live_server, staff_night, browser):
    faults = []
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for lang in LANGS:
        for path in ("observation/login/", "complaints/login/"):
            page.goto(f"{live_server.url}/{lang}/{path}")
            _check(page, (lang, path), faults)
        page.goto(f"{live_server.url}/{lang}/entry/login/")  # a wrong password
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.click("main button[type=submit]")
        page.wait_for_selector("[role=alert]")
        _check(page, (lang, "sign-in refused"), faults)
        page.goto(f"{live_server.url}/{lang}/voters/")  # a lookup's answer
        page.fill("input[name=iin]", "123456789012")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".answer")
        _check(page, (lang, "lookup answer"), faults)
    page.close()
    for lang in LANGS:
        for name in ("entry", "resolve", "observer-form", "complaint-file"):
            account, path = staff_night[name]
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            sign_in(page, live_server.url, lang, account, path)
            assert page.url.endswith(path), (lang, name, page.url)
            _check(page, (lang, name), faults)
            if name == "entry":  # the same form showing an error next to its line
                page.locator("input[name='figures.cancelled']").fill("999999")
                page.click("#finalise")
                page.wait_for_selector("#problem")
                _check(page, (lang, "entry with an error"), faults)
            context.close()
    assert not faults, "\n".join(faults)
