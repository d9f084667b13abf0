"""The shape of the imports, read from the source with `ast` (every import, also those inside
functions, since a function-level import is still a dependency): no circle of modules, no
circle of apps (so the apps form layers and nothing imports up into a higher one), and the law
stays pure Python."""

import ast
from collections import defaultdict
from pathlib import Path

import sailau

ROOT = Path(sailau.__file__).parent
# Circles that exist and are to be removed; the tests fail on any other circle, and on one of
# these once it is gone (so that it is struck off here):
KNOWN_MODULE_CIRCLES = []
KNOWN_APP_CIRCLES = []

# The apps in layers, lowest first (docs/architecture.md): an app imports only from apps in the
# layers below its own. A module or app not named here is held only by the circle tests.
LAYERS = [
    {"languages"},  # the one list of languages, texts written in code, Kazakh in Latin script
    # tools that know nothing of elections; the error model and lazy messages; the order of
    # SQLite's one write lock
    {"errors", "i18n", "paths", "background", "sharedcache", "clientaddr", "paging", "tlog",
     "sqlitedb", "formats"},
    # where large files live; every uploaded file, judged (its refusals are the error model's);
    # sealed private keys; "now"
    {"filestores", "uploads", "sealing", "clock", "tabledownload"},
    {"law"},  # the law as pure Python
    {"analysis"},  # the forensics, whose turnout and shares are the law's (`law/figures.py`)
    {"verify"},  # checking a snapshot without the server: pure Python, no Django
    {"audit", "witness"},  # the hash-chained audit log (held to the log by verify); a witness
    {"ledger"},  # the published log: outbox, integrator, log key, cosignatures
    {"elections", "register"},  # the election's structure; the national register's files
    {"accounts"},  # roles and who may do what
    {"ratewindow"},  # counting requests per account and address (its counters: accounts')
    {"protocols", "voters"},  # the double entry and its chain; the voter lists
    {"scans", "integrity", "complaints", "finance", "candidates", "turnout"},
    {"observation"},
    {"evidence"},  # volunteers' readings of the scans and observers' photos
    {"video"},  # cameras and recordings of the count
    # read side: what the public sees, snapshots, downloads; its folders (pipeline, files, pages,
    # storage) are drawn in docs/architecture.md and held to it by tests/test_pipeline_doc.py
    {"publish"},
    {"api", "demo", "settings"},  # every API router; the synthetic election
    # pages and commands; the server's front that reads bodies before Django runs
    {"web", "cli", "urls", "bodyfirst"},
    {"wsgi", "__main__"},
]

# Dependencies no import statement shows, declared here so that the checks see them: a module
# loaded by its name (`importlib.import_module`), a model by its app's label (`apps.get_model`),
# a registry or a signal a higher app fills when Django starts (`logged.SCAN_HASHES.append(f)`,
# `signal.connect(f)`). (module whose code runs the other's, module it runs): each goes up or
# sideways, which an import could not, and each is found in the source (`_late`), so a new one
# fails until it is declared here and in docs/architecture.md ("Dependencies no import shows").
LATE = {
    # criteria I10, I14, I15, I17, I18 and I23: each part's inputs, loaded by name
    # (`integrity.service.INPUT_PROVIDERS`), skipped while that part is not installed
    ("sailau.integrity.service", "sailau.observation.integrity"),
    ("sailau.integrity.service", "sailau.evidence.integrity"),
    ("sailau.integrity.service", "sailau.video.integrity"),
    ("sailau.integrity.service", "sailau.turnout.integrity"),
    # the scans' checks in the integrity report and its cache key (criterion I11)
    ("sailau.integrity.service", "sailau.scans.models"),
    # a protocol leaf's scan hashes, lent by the scans app (`protocols.logged.SCAN_HASHES`)
    ("sailau.protocols.logged", "sailau.scans.logged"),
    # granting or revoking an observer's role links or unlinks the observer record
    ("sailau.accounts.signals", "sailau.observation.services"),
    # a second round created: its totals of the first round's protocols
    ("sailau.elections.rounds", "sailau.protocols.apps"),
}


def _modules(root: Path = ROOT) -> dict[str, Path]:
    out = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, modules) -> set[str]:
    """Everything `path` imports, as dotted names. `from pkg import sub` is an import of the
    module `pkg.sub` when there is one, and always of `pkg` itself: the statement reads `sub`
    from the package, whose `__init__` is a module like any other (the name `pkg` stands for
    it). Only the parents of a plain `import pkg.sub.mod` are left out: Python runs them
    first, whoever imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names
                      if f"{node.module}.{a.name}" in modules}
    return names


def _graph(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the sailau modules it imports (a package's `__init__` under the package's
    name). A module that names its own package in `from pkg import x` depends on the package's
    `__init__`: if that `__init__` imports the module, they form a circle."""
    modules = _modules(root)
    graph = defaultdict(set)
    for name, path in modules.items():
        graph[name] = {t for t in _imports(path, modules) if t in modules and t != name}
    return graph


def _aliases(tree: ast.AST, modules) -> dict[str, str]:
    """name -> the sailau module it stands for, in one file (`from sailau.x import y`)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sailau"):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                out[a.asname or a.name] = full if full in modules else node.module
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.asname and a.name in modules:
                    out[a.asname] = a.name
    return out


def _late(root: Path = ROOT) -> set[tuple[str, str]]:
    """(module that runs, module it runs) of every dependency no import shows (`LATE`), between
    two apps: a sailau module named in a file that calls `import_module`, `get_model("app",
    ...)`'s models, and `<module>.<NAME>.append(f)` / `<module>.<signal>.connect(f)` (the
    registry's or signal's module runs `f`'s)."""
    modules = _modules(root)
    pairs = set()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        alias = _aliases(tree, modules)
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        called = {c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                  for c in calls}
        if "import_module" in called:
            pairs |= {(name, n.value) for n in ast.walk(tree)
                      if isinstance(n, ast.Constant) and n.value in modules and "." in n.value}
        for c in calls:
            f = c.func
            if not isinstance(f, ast.Attribute):
                continue
            if f.attr == "get_model" and c.args and isinstance(c.args[0], ast.Constant):
                pairs.add((name, f"sailau.{c.args[0].value}.models"))
            elif (f.attr in ("append", "connect") and isinstance(f.value, ast.Attribute)
                  and isinstance(f.value.value, ast.Name) and f.value.value.id in alias
                  and c.args and (f.attr == "connect" or f.value.attr.isupper())):
                fn = c.args[0]
                runs = (alias.get(fn.value.id, name) if isinstance(fn, ast.Attribute)
                        and isinstance(fn.value, ast.Name)
                        else alias.get(fn.id, name) if isinstance(fn, ast.Name) else name)
                runs = runs if runs in modules else name
                pairs.add((alias[f.value.value.id], runs))
    return {(a, b) for a, b in pairs if _app(a) != _app(b)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _app(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_no_circle_of_modules():
    assert _cycles(_graph()) == KNOWN_MODULE_CIRCLES


def test_apps_form_layers():
    apps = defaultdict(set)
    for a, targets in _graph().items():
        apps[_app(a)] |= {_app(b) for b in targets if _app(b) != _app(a)}
    assert _cycles(apps) == KNOWN_APP_CIRCLES


def test_apps_import_only_lower_layers():
    layer = {app: n for n, apps in enumerate(LAYERS) for app in apps}
    upward = sorted(f"{a} -> {b}" for a, targets in _graph().items() for b in targets
                    if _app(a) in layer and _app(b) in layer
                    and layer[_app(b)] >= layer[_app(a)] and _app(a) != _app(b))
    assert not upward, "imports into the same or a higher layer (see LAYERS)"


def test_the_law_imports_only_itself():
    """...and the project's one error model (`sailau.errors`, itself without Django) and its one
    list of languages (`sailau.languages`, pure Python)."""
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("sailau.law"):
            outside = {i for i in _imports(path, modules)
                       if i.split(".")[0] in ("django", "sailau") and not i.startswith("sailau.law")
                       and i not in ("sailau.errors", "sailau.languages")}
            assert not outside, f"{name} imports {outside}"


def test_the_check_sees_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_check_sees_a_circle_through_a_package_face(tmp_path):
    """A package's `__init__` imports a module that reads a sibling through the package
    (`from pkg import sibling`): a circle, though each file imports only "downwards"."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from pkg.rules import Rule\n")
    (pkg / "rules.py").write_text("from pkg import table\n")
    (pkg / "table.py").write_text("")
    (pkg / "other.py").write_text("from pkg.table import x\nimport pkg.rules\n")
    assert _cycles(_graph(pkg)) == [["pkg", "pkg.rules"]]


def test_every_dependency_no_import_shows_is_declared():
    assert _late() == LATE, "declare it in LATE (and docs/architecture.md), or import it"


def test_what_is_loaded_by_name_exists():
    """A module or model named in a string is looked for at run time and skipped when absent
    (a part not installed): renamed, its criteria would go dark without a word."""
    modules = _modules()
    assert {b for _, b in LATE} <= set(modules)


def test_every_app_is_in_a_layer():
    apps = {_app(m) for m in _modules()} - {"sailau"}  # the package itself: its version
    assert apps - {a for layer in LAYERS for a in layer} == set()


def test_the_late_check_sees_a_registry_and_a_name(tmp_path):
    root = tmp_path / "sailau"
    for d in ("low", "high"):
        (root / d).mkdir(parents=True)
        (root / d / "__init__.py").write_text("")
    (root / "low" / "reg.py").write_text("HOOKS = []\nimport importlib\n"
                                         "importlib.import_module('sailau.high.part')\n")
    (root / "high" / "part.py").write_text("def f():\n    pass\n")
    (root / "high" / "apps.py").write_text("from sailau.low import reg\n"
                                           "from sailau.high.part import f\n"
                                           "reg.HOOKS.append(f)\n")
    assert _late(root) == {("sailau.low.reg", "sailau.high.part")}
