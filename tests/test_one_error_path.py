"""Pages and the API refuse with the project's errors only (sailau.errors: code, field, status,
kk/ru/en message), rendered by the one handler: no module raises Django's Http404 or
PermissionDenied. What Django raises itself (get_object_or_404, an address no view answers)
is turned into the project's refusal by the handlers named in HANDLERS."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1] / "sailau"
# The one page handler (settings' handler404/handler403) and the API's exception handlers.
HANDLERS = {ROOT / "web" / "refusals.py", ROOT / "api" / "api.py"}
DJANGO_REFUSALS = re.compile(r"\b(?:Http404|PermissionDenied)\b(?!\w)")


def refusals(text: str) -> list[int]:
    """Line numbers naming Django's Http404 or PermissionDenied (raised, built or imported)."""
    return [n for n, line in enumerate(text.splitlines(), 1)
            if DJANGO_REFUSALS.search(re.sub(r"\w+PermissionDenied", "", line))]


def test_the_pattern_finds_a_raise_and_an_import_and_not_a_library_s_own_class():
    assert refusals('raise Http404("no election")\nx = 1\n') == [1]
    assert refusals("from django.core.exceptions import PermissionDenied") == [1]
    assert refusals('raise AxesBackendPermissionDenied("locked")') == []
    assert refusals('raise NotFound(code=Code.UNKNOWN_ELECTION)') == []


def test_no_module_but_the_handlers_names_django_s_refusals():
    found = [f"{path.relative_to(ROOT.parent)}:{n}" for path in sorted(ROOT.rglob("*.py"))
             if path not in HANDLERS and "migrations" not in path.parts
             for n in refusals(path.read_text(encoding="utf-8"))]
    assert found == []


def test_django_s_own_404_and_403_come_to_the_one_handler():
    from sailau import urls

    assert urls.handler404 == "sailau.web.refusals.not_found"
    assert urls.handler403 == "sailau.web.refusals.denied"


# A refusal made from a bare message (`raise ExtractError("...")`): it would read in one
# language only. Python's own ValueError and TypeError are a caller's mistake, not a refusal.
BARE_REFUSAL = re.compile(r"raise (?!ValueError\b|TypeError\b)\w+\(\s*f?[\"']")
# A table of messages of a module's own, beside the catalogue (`MESSAGES = {...}`).
OWN_CATALOGUE = re.compile(r"^\w*MESSAGES\w*\s*(?::[^=]*)?=", re.MULTILINE)


def test_the_patterns_find_a_bare_refusal_and_a_catalogue_of_one_s_own():
    assert BARE_REFUSAL.search('raise ExtractError("missing column(s)")')
    assert BARE_REFUSAL.search("raise IinError(f'7th digit {d}')")
    assert not BARE_REFUSAL.search("raise ExtractError(code=Code.EXTRACT_EMPTY)")
    assert not BARE_REFUSAL.search('raise ValueError("need n >= 1")')
    assert OWN_CATALOGUE.search('MESSAGES = {str(code): CATALOGUE[code]["en"] for code in C}')
    assert OWN_CATALOGUE.search("ROW_MESSAGES: dict[str, str] = {}")
    assert not OWN_CATALOGUE.search("from sailau.errors import MESSAGES")


def test_the_voter_register_s_refusals_come_from_the_one_catalogue():
    """The register extract's and the IIN's refusals are made with a code, whose kk/ru/en texts
    are in sailau.errors: no message written in one language, no second table of them."""
    found = [f"{path.relative_to(ROOT.parent)}: {m.group(0)}"
             for path in sorted((ROOT / "register").glob("*.py"))
             for pattern in (BARE_REFUSAL, OWN_CATALOGUE)
             for m in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_only_the_error_model_keeps_a_table_of_messages():
    found = [str(path.relative_to(ROOT.parent)) for path in sorted(ROOT.rglob("*.py"))
             if "errors" not in path.relative_to(ROOT).parts[:1]
             and OWN_CATALOGUE.search(path.read_text(encoding="utf-8"))]
    assert found == []


# A page reading a refusal's message itself (`exc.text(lang)`) instead of what a page shows of
# it (`exc.page_text(lang)`: an English message written for logs names ids, a page shows none).
PAGE_READS_TEXT = re.compile(r"\b(?:exc|err|error)\.text\(")
# The entry form shows the chain's messages as they are worded: they name the form's lines, which
# the operator needs, and its tests read them.
ENTRY_FORM = ROOT / "protocols" / "views.py"


def test_pages_show_a_refusal_as_a_page_shows_it():
    pages = [p for p in sorted(ROOT.rglob("*.py"))
             if p.name == "views.py" or p.name.endswith(("_pages.py", "_views.py"))]
    assert ROOT / "observation" / "accreditation_pages.py" in pages
    found = [f"{path.relative_to(ROOT.parent)}:{n}" for path in pages if path != ENTRY_FORM
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PAGE_READS_TEXT.search(line)]
    assert found == []
