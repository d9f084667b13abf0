"""Move the texts a module writes as `Text(kk=..., ru=..., en=...)` into the catalogues.

    .venv/bin/python scripts/texts_to_catalogue.py sailau/law/forms.py [more modules]

Each call of `Text` whose three texts are constants (keywords or in the order kk, ru, en)
becomes `T("<its English>")`, with `T = texts("<context>")` after the module's imports (the
context is the module's dotted name within sailau: "law.forms"), and its Kazakh and Russian go
to the end of `sailau/locale/{kk,ru}/LC_MESSAGES/django.po` as entries with that `msgctxt` (at
the end, as a whole block each, as the catalogues are merged). A text made from variables stays
as it is. A call is left as it is, and named, when one English reads two ways in one module, or
the catalogue already reads it otherwise, or a comment sits inside it. Run `ruff check --fix` on
the modules after it (an import of `Text` left unused)."""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sailau"
TRANSLATED = ("kk", "ru")
WIDTH = 100


def context_of(path: Path) -> str:
    return ".".join(path.resolve().relative_to(PACKAGE).with_suffix("").parts)


def _catalogue(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po"


def _constant_texts(call: ast.Call) -> dict[str, ast.Constant] | None:
    """{lang: node} when `call` is Text(...) with kk, ru and en constants and nothing else."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "Text"):
        return None
    nodes: dict[str, ast.expr] = dict(zip(("kk", "ru", "en"), call.args))
    if len(call.args) > 3 or any(k.arg is None for k in call.keywords):
        return None
    nodes.update({k.arg: k.value for k in call.keywords})
    if set(nodes) != {"kk", "ru", "en"} or not all(
            isinstance(n, ast.Constant) and isinstance(n.value, str) for n in nodes.values()):
        return None
    return nodes  # type: ignore[return-value]


LANGUAGE_CODES = {"kk", "kk-latn", "ru", "en"}


def _field_name(expr: ast.expr) -> str | None:
    """A template field's name for an f-string's expression: `n` for n, `error` for
    out.error, `list_position` for v['list_position'], `date` for appealed.date.isoformat(),
    `len_header` for len(header); None for anything else, or for an expression that names a
    language (`what['kk']`, `contest.name('kk')`: each language reads its own)."""
    if any(isinstance(n, ast.Constant) and n.value in LANGUAGE_CODES for n in ast.walk(expr)):
        return None
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and str(
            expr.slice.value).isidentifier():
        return str(expr.slice.value)
    if isinstance(expr, ast.Call) and not expr.keywords:
        if isinstance(expr.func, ast.Attribute) and not expr.args:
            return _field_name(expr.func.value)
        if isinstance(expr.func, ast.Name) and len(expr.args) == 1 and isinstance(
                expr.args[0], ast.Name):
            return f"{expr.func.id}_{expr.args[0].id}".lstrip("_")
    return None


def _template(node: ast.expr) -> tuple[str, dict[str, str]] | None:
    """An f-string as a `str.format` template and its fields {name: expression}: `f"row {n}"`
    is ("row {n}", {"n": "n"}), `f"{out.error}"` ("{error}", {"error": "out.error"}). None for
    a field that is not a name or an attribute (`{what['kk']}` reads a language of its own)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}"), {}
    if not isinstance(node, ast.JoinedStr):
        return None
    parts, fields = [], {}
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(value.value.replace("{", "{{").replace("}", "}}"))
            continue
        expr = value.value
        name = _field_name(expr)
        spec = value.format_spec
        if name is None or fields.get(name, ast.unparse(expr)) != ast.unparse(expr) or (
                spec is not None and not all(isinstance(v, ast.Constant) for v in spec.values)):
            return None
        fields[name] = ast.unparse(expr)
        conversion = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[value.conversion]
        parts.append("{" + name + conversion + (
            ":" + "".join(v.value for v in spec.values) if spec is not None else "") + "}")
    return "".join(parts), fields


def _formatted_texts(call: ast.Call) -> tuple[dict[str, str], dict[str, str]] | None:
    """({lang: template}, fields) when `call` is Text(...) of f-strings (and constants) in kk,
    ru and en whose fields are names or attributes, one expression each."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "Text") or len(call.args) > 3:
        return None
    if any(k.arg is None for k in call.keywords):
        return None
    nodes = dict(zip(("kk", "ru", "en"), call.args)) | {k.arg: k.value for k in call.keywords}
    if set(nodes) != {"kk", "ru", "en"} or not any(
            isinstance(n, ast.JoinedStr) for n in nodes.values()):
        return None
    templates, fields = {}, {}
    for lang, node in nodes.items():
        made = _template(node)
        if made is None or any(fields.get(k, v) != v for k, v in made[1].items()):
            return None
        templates[lang] = made[0]
        fields |= made[1]
    return templates, fields


def _literal(text: str, room: int) -> str:
    """`text` as double-quoted literals, one a line, each at most `room` wide where the words
    allow (split after a space)."""
    def quoted(piece: str) -> str:
        return '"' + piece.replace("\\", "\\\\").replace('"', '\\"').replace(
            "\n", "\\n") + '"'
    pieces, current = [], ""
    for word in text.split(" "):
        candidate = current + (" " if current else "") + word if current or word else " "
        if current and len(quoted(candidate + " ")) > room:
            pieces.append(current + " ")
            current = word
        else:
            current = candidate
    pieces.append(current)
    return "\n".join(quoted(p) for p in pieces)


def _comment_lines(source: str) -> set[int]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {t.start[0] for t in tokens if t.type == tokenize.COMMENT}


def _offset(lines: list[bytes], lineno: int, col: int) -> int:
    return sum(len(line) for line in lines[:lineno - 1]) + col


def _rewrite(line_start: str, segment: str, indent: int, after: str) -> str:
    """`T(<segment>)` for a call that starts after `line_start` on its line, the segment's
    continuation lines (an implicit concatenation) aligned under its first; on a line of its
    own when it would not fit (`after`: what follows the call on its last line)."""
    parts = [p.strip() for p in segment.splitlines()]
    column = len(line_start) + 2
    inline = "T(" + ("\n" + " " * column).join(parts) + ")"
    if all(column + len(p) + 1 <= WIDTH for p in parts) and column + len(parts[-1]) + 1 + len(
            after) <= WIDTH:
        return inline
    inner = indent + 4
    if not all(inner + len(p) + 1 <= WIDTH for p in parts):
        return inline  # the text is longer than a line wherever it starts
    return "T(\n" + " " * inner + ("\n" + " " * inner).join(parts) + ")"


def convert(path: Path) -> tuple[list[polib.POEntry], list[str]]:
    """Rewrite one module; its catalogue entries and what it left as it was."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    context = context_of(path)
    comments = _comment_lines(source)
    known = {lang: {(e.msgid): e.msgstr for e in polib.pofile(str(_catalogue(lang)))
                    if e.msgctxt == context} for lang in TRANSLATED}
    calls = []  # (call, {lang: text}, the English's source or None, fields to format)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if constants := _constant_texts(node):
            calls.append((node, {k: v.value for k, v in constants.items()},
                          ast.get_source_segment(source, constants["en"]), {}))
        elif formatted := _formatted_texts(node):
            calls.append((node, formatted[0], None, formatted[1]))
    readings: dict[str, set[tuple[str, str]]] = {}
    for _, texts, _, _ in calls:
        readings.setdefault(texts["en"], set()).add((texts["kk"], texts["ru"]))
    left, entries, seen = [], [], set()
    edits = []
    for node, texts, segment, fields in calls:
        en, kk, ru = (texts[lang] for lang in ("en", "kk", "ru"))
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if not en or en == kk == ru:  # "" is a catalogue's header; one text is Text.same's
            left.append(f"{where}: {en!r} is no message")
            continue
        if len(readings[en]) > 1:
            left.append(f"{where}: {en!r} reads two ways in this module")
            continue
        if any(known[lang].get(en) not in (None, text) for lang, text in (("kk", kk), ("ru", ru))):
            left.append(f"{where}: {en!r} reads otherwise in the catalogue")
            continue
        if comments & set(range(node.lineno, node.end_lineno + 1)):
            left.append(f"{where}: a comment inside the call")
            continue
        edits.append((node, en, segment, fields))
        if en not in seen and en not in known["kk"]:
            seen.add(en)
            entries.append((en, kk, ru))
    if not edits:
        return [], left
    lines = source.encode("utf-8").splitlines(keepends=True)
    out = source.encode("utf-8")
    for node, en, segment, fields in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset),
                                            reverse=True):
        start = _offset(lines, node.lineno, node.col_offset)
        end = _offset(lines, node.end_lineno, node.end_col_offset)
        line = lines[node.lineno - 1]
        line_start = line[:node.col_offset].decode("utf-8")
        indent = len(line) - len(line.lstrip())
        after = lines[node.end_lineno - 1][node.end_col_offset:].decode("utf-8").rstrip()
        formats = (".format(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")"
                   if fields else "")
        if segment is None:  # an f-string's template, written as a literal
            room = WIDTH - len(line_start) - 3
            segment = _literal(en, room if room >= 40 else WIDTH - indent - 6)
        new = (_rewrite(line_start, segment, indent, formats + after) + formats).encode("utf-8")
        out = out[:start] + new + out[end:]
    text = out.decode("utf-8")
    path.write_text(_with_spelling(text, context), encoding="utf-8")
    by_lang = {lang: [] for lang in TRANSLATED}
    for en, kk, ru in entries:
        for lang, msgstr in (("kk", kk), ("ru", ru)):
            by_lang[lang].append(polib.POEntry(
                msgctxt=context, msgid=en, msgstr=msgstr,
                occurrences=[(str(path.relative_to(ROOT)), "")]))
    return by_lang, left


def _with_spelling(source: str, context: str) -> str:
    """The module with `texts` imported and `T = texts("<context>")` after its imports."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    ours = next((n for n in imports if isinstance(n, ast.ImportFrom)
                 and n.module == "sailau.languages"), None)
    if any(isinstance(n, ast.Assign) and ast.unparse(n) == f"T = texts('{context}')"
           for n in tree.body):
        return source  # moved before: its spelling is there
    last = imports[-1].end_lineno
    lines.insert(last, f'\nT = texts("{context}")\n')
    if ours is not None:
        names = sorted({a.name for a in ours.names} | {"texts"}, key=str.lower)
        if "Text" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}:
            names = [n for n in names if n != "Text"] or ["texts"]
        first = ours.lineno - 1
        del lines[first:ours.end_lineno]
        lines.insert(first, "from sailau.languages import " + ", ".join(names) + "\n")
    else:
        lines.insert(last, "from sailau.languages import texts\n")
    return "".join(lines)


def _append(lang: str, entries: list[polib.POEntry]) -> None:
    if not entries:
        return
    with _catalogue(lang).open("a", encoding="utf-8") as po:
        for entry in entries:
            po.write("\n" + entry.__unicode__(wrapwidth=78).rstrip("\n") + "\n")


def main(paths: list[str]) -> int:
    for name in paths:
        by_lang, left = convert(Path(name).resolve())
        for lang, entries in (by_lang or {}).items():
            _append(lang, entries)
        print(f"{name}: {len((by_lang or {}).get('kk', []))} entries", file=sys.stderr)
        for line in left:
            print("  left: " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
