"""docs/architecture.md draws the publication pipeline ("## The publication pipeline"): the
stages, the process that runs each, what wakes it, what it writes, and a table of the folders of
`sailau/publish/`. The drawing must stay the code's: every module it names exists, every
subpackage and module of `publish/` is in the table (under its own folder), every interval it
names is in `publish/pipeline/timing.py`, and what it says of who reads whom among the
subpackages is what they import; what it says wakes each stage is the code that wakes it."""

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
    assert {"FALLBACK", "MIN_GAP", "PRUNE_EVERY"} <= named
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


def _woken_by(section: str, stage: str) -> set[str]:
    """The modules the drawing names after "woken by:" in the block of `stage` (its heading,
    `[2 build files]`), up to "writes:", in the right-hand column."""
    block = section[section.index(stage):]
    lines, out, on = block.splitlines()[1:], [], False
    for line in lines:
        if line.strip().startswith("["):  # the next stage
            break
        right = line[34:].strip() if not line[:34].strip() else ""
        if right.startswith("woken by:"):
            on = True
        elif right.startswith("writes:") or (on and not right):
            break
        if on:
            out.append(right)
    return set(re.findall(r"`([a-z_]+/[a-z_/]*\.py)`", " ".join(out)))


def _calling(function: str, argument: str | None = None) -> set[str]:
    """The modules of `sailau/` (as `app/module.py`) that call `wake.<function>` (with the
    constant first argument `argument`, when given)."""
    out = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == function
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "wake"
                    and (argument is None or (node.args and isinstance(node.args[0], ast.Constant)
                                              and node.args[0].value == argument))):
                out.add(str(path.relative_to(ROOT)))
    return out


def test_what_the_drawing_says_wakes_each_stage_is_what_wakes_it():
    """Each stage's "woken by:" names the modules whose writes wake it: the log's lane, those
    that write leaves and rounds that ask for a checkpoint; the batches, those that write
    leaves and those that wake them (`wake.stage_written("batches")`); the national lane, those
    that wake it."""
    section = _section(DOC.read_text())
    leaves = _calling("leaves_written")
    assert leaves == {"ledger/outbox.py"}  # the parser finds the calls
    assert _woken_by(section, "[1 sequence/integrate]") == leaves | _calling("asking")
    assert _woken_by(section, "[2 build files]") == leaves | _calling("stage_written", "batches")
    assert _woken_by(section, "[5 national tables]") == _calling("stage_written", "national")
    assert _calling("stage_written", "national")  # (not two empty sets)


def test_the_woken_by_parser_sees_a_module_missing():
    section = ("## The publication pipeline\n\n [2 build files]   process: x\n"
               "   `publish/pipeline/publisher.py`\n"
               + " " * 34 + "woken by: a step time (`protocols/chain.py`); else\n"
               + " " * 34 + "every `timing.FALLBACK`\n" + " " * 34 + "writes: `x/y.py`\n")
    assert _woken_by(section, "[2 build files]") == {"protocols/chain.py"}
    assert _woken_by(section, "[2 build files]") != _calling("stage_written", "batches")
