"""Every public page type at 390 px (and 1366 px) in Kazakh (in both scripts) and Russian, against
a demo night in progress (60 % reported): no sideways scrolling, no table whose heading row and
body rows show a different number of columns, no word cut between two lines; on a phone, no page
longer than MAX_PHONE_HEIGHT and no table scrolling inside its own box (registers aside); at any
width, no stretch of the page taller than MAX_BLANK with nothing in it (a page far taller than
its content). The measures are in layout_checks.js, shared with scripts/screenshots. At 390 px
each page is also checked by axe-core (tests/web/axe.py): no serious or critical accessibility
violation. One walk, one demo night: the night takes most of the time."""


from tests.browser import NEEDS_CHROMIUM
from tests.web.axe import violations
from tests.web.layout import layout_faults

pytestmark = NEEDS_CHROMIUM
# A phone page longer than this is a list to page or to fold: the candidates' refusals were
# 61,720 px and the downloads 62,700 px before they were. The national page is ~20,000.
MAX_PHONE_HEIGHT = 30_000
# A stretch of page with no text, image, control or drawn shape in it, taller than this, is a
# fault: the results pages ended in 10,000-16,000 px of nothing when the tile map's SVG was
# 12,348 units tall for a drawing of 252. A screen of a phone is 844 px.
MAX_BLANK = 844
# A criterion of a flagged station in the integrity list on a phone: its name and two lines of
# evidence (a row was 480 px, and 1,000-4,000 px with three criteria's evidence whole and a
# verified reading's scan beside the figures, now folded: a scan shown counts here too).
MAX_FLAGGED_CRITERION = 140
# Registers that may scroll sideways in their own box on a phone: rows to search, not figures
# to read at a glance.
REGISTERS = {"flagged"}


def test_pages_fit_a_phone_in_kazakh_and_russian(live_server, night, browser):
    faults = []
    for width in (390, 1366):
        page = browser.new_page(viewport={"width": width, "height": 844})
        for lang in ("kk", "kk-latn", "ru"):  # Latin script makes words of other lengths
            for name, path in night.items():
                r = page.goto(f"{live_server.url}/{lang}/{path}")
                assert r.status == 200, (lang, name, r.status)
                found, common = layout_faults(page)
                faults += [(width, lang, name, *f) for f in common]
                if found["blank"]["height"] > MAX_BLANK:
                    faults.append((width, lang, name, "blank", found["blank"]))
                if width == 390 and found["height"] > MAX_PHONE_HEIGHT:
                    faults.append((width, lang, name, "too long", found["height"]))
                if width == 390 and found["boxed"] and name not in REGISTERS:
                    faults.append((width, lang, name, "table scrolls in its box", found["boxed"]))
                if width == 390 and name == "integrity":
                    tall = page.eval_on_selector_all(
                        "#flagged ~ table.results > tbody > tr ul.evidence > li,"
                        " #flagged ~ table.results .side-by-side",
                        # folded in <details>: not visible, whatever its box measures
                        "es => es.map(e => e.checkVisibility() ? e.offsetHeight : 0)")
                    if not tall or max(tall) > MAX_FLAGGED_CRITERION:  # (the night flags some)
                        faults.append((width, lang, name, "flagged rows", tall))
                if width == 390:  # contrast, names and landmarks do not change with the width
                    faults += [(width, lang, name, "accessibility", v) for v in violations(page)]
        page.close()
    assert not faults, "\n".join(map(str, faults))
