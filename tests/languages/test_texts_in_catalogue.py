"""A text written in code is named by its English in its module's context, and its other
languages are in the catalogues (`T = texts("law.forms")`; docs/languages.md): read from the
source with `ast`, no module outside sailau/languages writes `Text(kk="...", ru="...",
en="...")` with texts of its own (constants or f-strings; `scripts/texts_to_catalogue.py` moves
them). A text of data (`Text(kk=name_kk, ...)`,
`Text.of`, `Text.same`) is not one of them."""

import ast
from pathlib import Path

import sailau

ROOT = Path(sailau.__file__).parent
def _written_here(call: ast.Call) -> bool:
    """Text(...) of three literal texts: the languages written at the call."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "Text"):
        return False
    values = [*call.args, *(k.value for k in call.keywords)]
    return len(values) == 3 and all(
        isinstance(v, ast.JoinedStr) or (isinstance(v, ast.Constant) and isinstance(v.value, str))
        for v in values)


def test_texts_of_the_code_are_in_the_catalogues():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("languages/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{relative}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _written_here(node)]
    assert found == []


def test_the_check_sees_both_spellings_of_a_text_written_at_its_call():
    call = ast.parse('Text(kk="а", ru="б", en="c")').body[0].value
    formatted = ast.parse('Text(f"{n}-жол", f"строка {n}", f"row {n}")').body[0].value
    of_data = ast.parse('Text(kk=row.names["kk"], ru=row.names["ru"], en=row.names["en"])').body[0].value
    assert _written_here(call) and _written_here(formatted) and not _written_here(of_data)
