"""The layers are described once, in docs/architecture.md, and that table must be `LAYERS` of
tests/test_imports.py: same number of layers, same apps in each, numbered from 0 at the bottom."""

import importlib.util
import re
from pathlib import Path

HERE = Path(__file__).parent
DOC = HERE.parent / "docs" / "architecture.md"


def _imports_test():
    # Loaded by path: the tests are not a package (pytest runs them with --import-mode=importlib).
    spec = importlib.util.spec_from_file_location("_layers", HERE / "test_imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _layers_of_the_test() -> list[set[str]]:
    return _imports_test().LAYERS


def _late_of_the_doc(text: str) -> set[tuple[str, str]]:
    """The rows of the table under "| runs | the code of | ...": its first two `names`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| runs | the code of |"))
    pairs = set()
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        pairs.add((cells[0], cells[1]))
    return pairs


def _layers_of_the_doc(text: str) -> dict[int, set[str]]:
    """The table under "| layer | apps | why here |": its first column's number, and every
    `name` in backticks of its second."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if re.fullmatch(r"\|\s*layer\s*\|\s*apps\s*\|.*", line))
    layers = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        number = int(re.match(r"\d+", cells[0]).group())
        assert number not in layers, f"layer {number} is twice in the table"
        layers[number] = set(re.findall(r"`([^`]+)`", cells[1]))
    return layers


def test_the_layer_table_is_the_tests_layers():
    doc = _layers_of_the_doc(DOC.read_text())
    layers = _layers_of_the_test()
    assert sorted(doc) == list(range(len(layers))), "the table's layers are not 0..N-1 of LAYERS"
    for number, apps in enumerate(layers):
        assert doc[number] == apps, (
            f"layer {number}: docs/architecture.md says {sorted(doc[number])}, "
            f"tests/test_imports.py says {sorted(apps)}")


def test_the_parser_reads_a_wrong_table_as_wrong():
    table = ("| layer | apps | why here |\n|---|---|---|\n"
             "| 1 (top) | `web`, `cli` | x |\n| 0 (bottom) | `errors` | y |\n\nafter\n")
    assert _layers_of_the_doc(table) == {1: {"web", "cli"}, 0: {"errors"}}


def test_the_dependencies_no_import_shows_are_the_tests():
    """...which `tests/test_imports.py` finds in the source (`LATE`, `_late`)."""
    imports = _imports_test()
    assert _late_of_the_doc(DOC.read_text()) == imports.LATE == imports._late()


def test_what_the_doc_says_verify_imports_is_what_it_imports():
    """"it imports the law, the forensics, the log's formats and the languages"."""
    imports = _imports_test()
    used = {imports._app(b) for a, targets in imports._graph().items()
            if imports._app(a) == "verify" for b in targets} - {"verify"}
    assert used == {"law", "analysis", "tlog", "languages"}
    said = "it imports the law, the forensics (the names of a station table's columns), the " \
        "log's formats and the languages"
    assert said in " ".join(DOC.read_text().split())


# A write of the ORM: a row created, changed or deleted.
WRITES = re.compile(r"""\.objects\.(create|bulk_create|get_or_create|update_or_create)\("""
                    r"""|\.objects\.[^#\n]*\.(update|delete)\(|\.(save|delete)\(\)""")


def test_pages_and_the_api_write_through_services():
    """"views.py (pages), sailau/api/<app>.py (the API): writes go through a service"."""
    root = HERE.parent / "sailau"
    views = [*root.glob("api/*.py"), *root.glob("*/views.py"), *root.glob("*/*_views.py"),
             *root.glob("*/views/*.py")]
    found = [f"{p.relative_to(root)}:{i}: {line.strip()}" for p in sorted(set(views))
             for i, line in enumerate(p.read_text().splitlines(), 1) if WRITES.search(line)]
    assert found == []
    assert "writes go through a service" in DOC.read_text()


def test_the_write_pattern_sees_a_write():
    assert WRITES.search("up = Upload.objects.create(camera=camera)")
    assert WRITES.search("Upload.objects.filter(pk=up.pk).update(state=Upload.DONE)")
    assert WRITES.search("scan.save()") and not WRITES.search("checksum[0].update(piece)")
