"""docs/architecture.md draws the publication pipeline ("## The publication pipeline"): the
stages, the process that runs each, what wakes it, what it writes, and a table of the folders of
`sailau/publish/`. The drawing must stay the code's: every module it names exists, every
subpackage and module of `publish/` is in the table (under its own folder), every interval it
names is in `publish/pipeline/timing.py`, and what it says of who reads whom among the
subpackages is what they import."""

import ast
import re
from pathlib import Path

import sailau
from sailau.publish.pipeline import timing

HERE = Path(__file__).parent
DOC = HERE.parent / "docs" / "architecture.md"
ROOT = Path(sailau.__file__).parent
PUBLISH = ROOT / "publish"


def _section(text: str) -> str:
    start = text.index("## The publication pipeline")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def _named_paths(section: str) -> set[str]:
    """Every `app/…` path in backticks (a module or a folder of `sailau/`)."""
    return {name for name in re.findall(r"`([a-z_]+/[a-z_/]*(?:\.py)?)`", section)
            if (ROOT / name.split("/")[0]).is_dir()}


def _table(section: str) -> dict[str, set[str]]:
    """The folder table: `publish/<sub>/` -> the modules in its row."""
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `publish/") and len(cells) == 3:
            folder = cells[0].strip("`")
            rows[folder] = set(re.findall(r"`([a-z_]+\.py)`", cells[2]))
    return rows


def _modules_by_folder() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in PUBLISH.rglob("*.py"):
        if "migrations" in path.parts or path.name == "__init__.py":
            continue
        folder = "publish/" + "".join(f"{p}/" for p in path.relative_to(PUBLISH).parts[:-1])
        out.setdefault(folder, set()).add(path.name)
    return out


def _subpackage_imports() -> set[tuple[str, str]]:
    """(subpackage, what it imports of publish/ outside itself): another subpackage, or one of
    the app's own modules by its file's name (`models.py`)."""
    def where(module: str) -> str | None:
        parts = module.split(".")
        if parts[:2] != ["sailau", "publish"] or len(parts) < 3:
            return None
        if (PUBLISH / parts[2]).is_dir():
            return parts[2]
        return f"{parts[2]}.py" if (PUBLISH / f"{parts[2]}.py").exists() else None

    pairs = set()
    for path in PUBLISH.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(PUBLISH).parts
        if len(rel) == 1:
            continue  # the app's own modules read whatever they show
        mine = rel[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found = {where(t) for t in targets} - {None}
            if node.__class__ is ast.ImportFrom and node.module == "sailau.publish":
                found = {where(f"sailau.publish.{a.name}") for a in node.names} - {None}
            pairs |= {(mine, f) for f in found if f != mine}
    return pairs


def test_every_module_the_drawing_names_exists():
    named = _named_paths(_section(DOC.read_text()))
    assert {"publish/pipeline/batches.py", "ledger/wake.py"} <= named  # the parser reads it
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, f"docs/architecture.md names what is not in sailau/: {missing}"


def test_every_folder_and_module_of_publish_is_in_the_table():
    assert _table(_section(DOC.read_text())) == _modules_by_folder()


def test_every_interval_the_drawing_names_is_in_timing():
    named = set(re.findall(r"`timing\.([A-Z_]+)`", _section(DOC.read_text())))
    assert {"POLL", "LOG_POLL", "PRUNE_EVERY"} <= named
    assert not {n for n in named if not hasattr(timing, n)}


def test_who_reads_whom_is_what_the_subpackages_import():
    """"the subpackages are layers, `storage/` below `files/` below `pages/` below `pipeline/`
    ... The pages read `files/` and the app's model; the pipeline reads `files/` and `storage/`,
    and ... the search index (`pages/search.py`); `files/` reads `storage/` ...; `storage/`
    reads no other subpackage, and nothing in the subpackages reads the app's `views.py` or
    `api.py`"."""
    pairs = _subpackage_imports()
    assert pairs == {
        ("pages", "files"), ("pages", "models.py"), ("pipeline", "files"),
        ("pipeline", "storage"), ("pipeline", "pages"), ("files", "storage")}
    layers = ["storage", "files", "pages", "pipeline"]
    upward = {(a, b) for a, b in pairs if b in layers and layers.index(b) >= layers.index(a)}
    assert not upward, f"a subpackage reads one of its own layer or above: {upward}"


def test_the_table_parser_sees_a_missing_module():
    section = ("## The publication pipeline\n\n| folder | what | modules |\n|---|---|---|\n"
               "| `publish/pipeline/` | the rounds | `batches.py` |\n\n## Next\n")
    assert _table(_section(section)) == {"publish/pipeline/": {"batches.py"}}
    assert _table(_section(section)) != _modules_by_folder()
