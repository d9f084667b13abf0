"""One home for the languages (sailau/languages): a text written in code is a `Text`, the list of
languages is `LANGUAGES` (or `WRITTEN`, `OFFICIAL`), a language code is read by `language()`, and
a text is chosen for a language by `pick` (the one fallback rule). Read from the source with
`ast`: outside sailau/languages, no dict keyed by two or more language codes, no tuple, list or
set of two or more, no code cut to two letters (`lang[:2]`: "kk-latn" would read as Cyrillic
Kazakh), and no fallback by hand (`t.get(lang, t["kk"])`, `t.get(lang) or t["en"]`)."""

import ast
from pathlib import Path

import sailau

ROOT = Path(sailau.__file__).parent
HOME = ROOT / "languages"
LANGS = {"kk", "kk-latn", "ru", "en"}
# Modules that write language codes out for a reason other than choosing: a published format's
# own list, which a new language must not change without a new version of the format.
FORMATS = {
    "tlog/leaves.py": "versions 1 and 2 of a leaf name the languages of its names and "
                      "spellings (docs/log-leaves.md; version 3 keys them by any tag)",
}


def _strings(nodes) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _lang_name(node) -> bool:
    """`lang`, `body.lang`, `get_language()`, `(get_language() or "kk")`: a language code."""
    text = ast.unparse(node)
    return "lang" in text.lower()


def _code_key(node) -> bool:
    """`t["kk"]` or `t.get("en")`: a text read in a language named in the code."""
    if isinstance(node, ast.Subscript):
        return bool(_strings([node.slice]) & LANGS)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and bool(_strings(node.args[:1]) & LANGS))


def _by_hand(node) -> bool:
    """A fallback written by hand: `t.get(lang, <default>)`, or an `or` that falls to `t["kk"]`
    or `t.get("en")`."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and len(node.args) == 2 and _lang_name(node.args[0])):
        return True
    return isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and any(
        _code_key(v) for v in node.values[1:])


def _catalogue_by_hand(node) -> bool:
    """`{k: pick(t, lang) for k, t in WORDS.items()}` or `{k: t[lang] ...}`: a catalogue of
    texts read in a language by a module of its own (page_words)."""
    if not (isinstance(node, ast.DictComp) and len(node.generators) == 1):
        return False
    it, value = node.generators[0].iter, node.value
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute)
            and it.func.attr == "items"):
        return False
    if isinstance(value, ast.Subscript):
        return _lang_name(value.slice)
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "pick")


def offences(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and len(LANGS & _strings(k for k in node.keys if k)) > 1:
            out.append(f"line {node.lineno}: a dict keyed by language codes (a Text, or the "
                       "row's spellings)")
        elif (isinstance(node, ast.Tuple | ast.List | ast.Set)
              and len(LANGS & _strings(node.elts)) > 1):
            out.append(f"line {node.lineno}: a list of languages written out (LANGUAGES, "
                       "WRITTEN, OFFICIAL)")
        elif _catalogue_by_hand(node):
            out.append(f"line {node.lineno}: a catalogue read by hand (page_words)")
        elif _by_hand(node):
            out.append(f"line {node.lineno}: a text chosen by hand (pick)")
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
              and isinstance(node.slice.upper, ast.Constant) and node.slice.upper.value == 2
              and node.slice.lower is None and _lang_name(node.value)):
            out.append(f"line {node.lineno}: a language code cut to two letters (language())")
    return out


def test_no_language_dict_tuple_or_cut_outside_the_home():
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        if (HOME in path.parents or "migrations" in path.parts
                or str(path.relative_to(ROOT)) in FORMATS):
            continue
        if hits := offences(path.read_text()):
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}


def test_the_check_sees_each_kind():
    assert len(offences('x = {"kk": "а", "ru": "б", "en": "c"}')) == 1
    assert len(offences('for lang in ("kk", "ru", "en"): pass')) == 1
    assert len(offences('code = (get_language() or "kk")[:2]')) == 1
    assert len(offences('y = body.lang[:2]')) == 1
    assert len(offences('for lang in ("kk", "ru"): pass')) == 1
    assert len(offences('x = {"kk": a, "ru": b}')) == 1
    assert len(offences('t = label.get(lang, label["kk"])')) == 1
    assert len(offences('t = label.get(lang) or label["en"]')) == 1
    assert len(offences('t = m.get(lang or "en") or m.get("en")')) == 1
    assert len(offences('t = {k: pick(v, lang) for k, v in PAGE.items()}')) == 1
    assert len(offences('t = {k: v[lang] for k, v in PAGE.items()}')) == 1
    assert offences('t = {k: v[0] for k, v in PAGE.items()}') == []
    assert offences('x = Text(kk="а", ru="б", en="c"); h = sha[:2]; z = ("kk", "x"); '
                    'y = {"kk": a}; n = c.name("en") or c.id; d = d.get(key, 0)') == []
