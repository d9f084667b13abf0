"""One home for the languages (sailau/languages): a text written in code is a `Text`, the list of
languages is `LANGUAGES` (or `WRITTEN`), and a language code is read by `language()`. Read from
the source with `ast`: outside sailau/languages, no {"kk": ..., "ru": ..., "en": ...} dict, no
("kk", "ru", "en") tuple, list or set, and no code cut to two letters (`lang[:2]`: "kk-latn"
would read as Cyrillic Kazakh)."""

import ast
from pathlib import Path

import sailau

ROOT = Path(sailau.__file__).parent
HOME = ROOT / "languages"
LANGS = {"kk", "ru", "en"}


def _strings(nodes) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _lang_name(node) -> bool:
    """`lang`, `body.lang`, `get_language()`, `(get_language() or "kk")`: a language code."""
    text = ast.unparse(node)
    return "lang" in text.lower()


def offences(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and LANGS <= _strings(k for k in node.keys if k):
            out.append(f"line {node.lineno}: a {{kk, ru, en}} dict (write a Text)")
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and LANGS <= _strings(node.elts):
            out.append(f"line {node.lineno}: the language list written out (LANGUAGES, WRITTEN)")
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
              and isinstance(node.slice.upper, ast.Constant) and node.slice.upper.value == 2
              and node.slice.lower is None and _lang_name(node.value)):
            out.append(f"line {node.lineno}: a language code cut to two letters (language())")
    return out


def test_no_language_dict_tuple_or_cut_outside_the_home():
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        if HOME in path.parents or "migrations" in path.parts:
            continue
        if hits := offences(path.read_text()):
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}


def test_the_check_sees_each_kind():
    assert len(offences('x = {"kk": "а", "ru": "б", "en": "c"}')) == 1
    assert len(offences('for lang in ("kk", "ru", "en"): pass')) == 1
    assert len(offences('code = (get_language() or "kk")[:2]')) == 1
    assert len(offences('y = body.lang[:2]')) == 1
    assert offences('x = Text(kk="а", ru="б", en="c"); h = sha[:2]; z = ("kk", "ru")') == []
