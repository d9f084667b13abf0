"""The layout checks every page walk makes (`layout_checks.js`, run in the page): what is wrong
with a page's layout, as (what, evidence) pairs."""

from pathlib import Path

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()


def layout_faults(page) -> tuple[dict, list[tuple[str, object]]]:
    """The checks' findings on the page shown, and the faults among them common to every walk:
    a page wider than the screen, table columns that differ from their headers, words cut."""
    found = page.evaluate(CHECKS)
    faults = []
    if found["overflow"] > 1:
        faults.append(("scrolls sideways", found["widest"]))
    if found["tables"]:
        faults.append(("columns differ", found["tables"]))
    if found["broken"]:
        faults.append(("words cut", found["broken"][:5]))
    return found, faults
