"""Each figure of a protocol is defined once: the ballots issued, the turnout, the ballots a
share is of and a share are arithmetic of sailau/law/figures.py (and of its one JavaScript twin,
publish/static_site/figures.js, held to it by tests/publish/test_figures_js.py). Read from the
source, like the layers (tests/test_imports.py): no other module defines them, adds up the lines
they are made of, or divides by their bases."""

import ast
import re
from pathlib import Path

import sailau

ROOT = Path(sailau.__file__).parent
HOMES = {"law/figures.py", "publish/static_site/figures.js"}

# A definition by the figure's name (a method of another thing's, `self`, is not one).
DEFINES = re.compile(r"^\s*(def |function )(issued|turnout|share|counted|valid|base)\s*\((?!self)")
# The lines a figure is made of, added up: the three issued lines (`figures.issued`), the
# invalid ballots and those marked both ways (`figures.counted`).
ADDS = re.compile(r"""issued_in_room\W*\s*\+(?!=)|\+\s*[\w.\[(]*["']issued_absentee"""
                  r"""|invalid["']?[^+\n]{0,12}\+\s*[\w.\[(]*\W?both_marked"""
                  r"""|["']invalid["'],\s*["']both_marked""")
# A division by what a turnout or a share is of: the voters on the list, the ballots found.
DIVIDES = re.compile(r"""[\w)\]]\s*/\s*(np\.maximum\(\s*)?(self\.)?"""
                     r"""(voters|voters_on_list|registered|found|counted)\b(?!\s*\[)""")

# Where the same arithmetic stays, and why (file: how many lines).
ALLOWED = {
    # The protocol form's control relation "found = counted" names the lines it adds up: the
    # law's own statement of the form, which `figures.NOT_VOTES` follows.
    "law/forms.py": 1,
    # The Klimek and Sobyanin-Sukhovolsky axes: a side's votes over the voters on the list,
    # not a share of ours.
    "analysis/distribution.py": 2,
    # The sample size of a proportion (Cochran's finite-population correction) and the
    # sampling fraction: the sample's voters over the population's, statistics of the design.
    "analysis/pvt.py": 2,
    # The synthetic election's regions: a region's urban share weighted by its voters.
    "demo/regions2019.py": 1,
}


def _docstrings(tree: ast.AST) -> set[int]:
    """The lines of every docstring: words that explain a division do not compute one."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                out |= set(range(body[0].lineno, body[0].end_lineno + 1))
    return out


def _code(line: str, suffix: str) -> str:
    """The line without its comment."""
    return line.split("#" if suffix == ".py" else "//", 1)[0]


def _hits() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".js") or "migrations" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        if rel in HOMES:
            continue
        text = path.read_text(encoding="utf-8")
        skip = _docstrings(ast.parse(text)) if path.suffix == ".py" else set()
        found = []
        for i, line in enumerate(text.splitlines(), 1):
            code = _code(line, path.suffix)
            if i not in skip and (DEFINES.search(line) or ADDS.search(code)
                                  or DIVIDES.search(code)):
                found.append(f"{rel}:{i}: {line.strip()}")
        if found:
            out[rel] = found
    return out


def test_no_second_definition_of_the_figures():
    hits = _hits()
    extra = {rel: lines for rel, lines in hits.items() if len(lines) != ALLOWED.get(rel, 0)}
    assert not extra, "arithmetic of law/figures.py done again (call it, or say why in ALLOWED)"


def test_the_patterns_see_what_they_forbid():
    assert DEFINES.search("def turnout(figures):") and DEFINES.search("  function share(v, of) {")
    assert ADDS.search('counts["issued_in_room"] + counts["issued_mobile"]')
    assert ADDS.search('fig.get("invalid", 0) + fig.get("both_marked", 0)')
    assert ADDS.search('table.column("invalid", "both_marked")')
    assert ADDS.search("(figures.invalid || 0) + (figures.both_marked || 0)")
    assert DIVIDES.search("round(i / voters, 4)") and DIVIDES.search("100 * v / found")
    assert DIVIDES.search("np.where(c > 0, v / np.maximum(counted, 1), np.nan)")
    assert DIVIDES.search("return self.ballots / self.registered")
    assert not DIVIDES.search("100 * reported / expected")
    assert not DIVIDES.search('api.add_router("/voters/", voters.router)')
    assert not ADDS.search('lines[i, col["issued_in_room"]] += extra')
    assert not DEFINES.search("    def counted(self) -> bool:")
    assert _code("x = 1  # a / found", ".py") == "x = 1  "
    assert _docstrings(ast.parse('def f():\n    """a / found\n    b"""\n    return a / found\n')) \
        == {2, 3}
