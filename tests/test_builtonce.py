"""A build kept once per process (tests/builtonce.py) gives each test the database and the data
directory as they were after it: a test's writes (rows, files) are not seen by the next one, and
what the process remembered of them is forgotten. Every module-level container of the
application that starts empty is either forgotten at each copy or kept for a stated reason, so
that a new memo is never left remembering a test that is gone."""

import ast
import importlib
from pathlib import Path

import pytest

from tests import builtonce, storeuse

ROOT = Path(__file__).resolve().parents[1]
EMPTY = {"dict", "set", "list", "defaultdict", "OrderedDict", "deque"}


def _state(name: str, value: ast.expr) -> bool:
    """A container that starts empty, or a private one in lower case (`keptcache._generation`,
    a list of one): what a module keeps, not a table it was written with."""
    if isinstance(value, ast.Call):
        return isinstance(value.func, ast.Name) and value.func.id in EMPTY and not value.args
    if not isinstance(value, ast.Dict | ast.Set | ast.List):
        return False
    items = value.keys if isinstance(value, ast.Dict) else value.elts
    return not items or (name.startswith("_") and not name.isupper())


def _module_containers() -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / "sailau").rglob("*.py")):
        if "migrations" in path.parts or path.name == "settings.py":
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and not target.id.startswith("__") and _state(target.id, value):
                found.add((module.removesuffix(".__init__"), target.id))
    return found


def test_every_container_of_the_application_is_forgotten_or_kept_for_a_reason():
    listed = {(m, n) for m, names in builtonce.FORGOTTEN.items() for n in names}
    kept = {(m, n) for m, names in builtonce.KEPT.items() for n in names}
    assert not listed & kept
    found = _module_containers()
    assert len(found) > 20  # the reading finds them
    assert found - listed - kept == set(), "forget them at each copy (FORGOTTEN) or say why not"
    assert listed - found == set() and kept - found == set()  # no name left from older code
    for module, names in builtonce.FORGOTTEN_CALLS.items():
        for name in names:
            assert callable(getattr(importlib.import_module(module), name).cache_clear)


@pytest.mark.django_db(transaction=True)
def test_each_test_gets_the_build_back_and_not_the_last_ones_writes(request):
    from sailau.elections.models import Election
    from sailau.paths import data_dir
    from sailau.publish.pipeline import batches
    from tests.factories import ElectionFactory

    if not builtonce.copies_possible():
        pytest.skip("kept only on SQLite and the local disk")
    made = []

    def build():
        made.append(1)
        (data_dir() / "kept.txt").write_text("built")
        data_dir().with_name(data_dir().name + "-beside").mkdir()
        return ElectionFactory(id="kz.built.once")

    def again(e):
        return Election.objects.get(pk=e.pk)

    name = f"self-test-{request.node.name}"
    try:
        storeuse.start()
        first = builtonce.fresh(request, name, build, again)
        assert storeuse.stop() == set()
        # the test writes: a row changed and one added, a file changed, one added, a memo
        Election.objects.filter(pk=first.pk).update(synthetic=not first.synthetic)
        ElectionFactory(id="kz.written.by.a.test")
        (data_dir() / "kept.txt").write_text("written")
        (data_dir() / "new.txt").write_text("written")
        batches._STATION_IDS[first.pk] = ["remembered"]

        storeuse.start()
        second = builtonce.fresh(request, name, build, again)
        assert storeuse.stop() == set()
        assert made == [1]  # built once
        assert second.synthetic == first.synthetic
        assert list(Election.objects.values_list("pk", flat=True)) == [first.pk]
        assert (data_dir() / "kept.txt").read_text() == "built"
        assert not (data_dir() / "new.txt").exists()
        assert data_dir().with_name(data_dir().name + "-beside").is_dir()
        assert first.pk not in batches._STATION_IDS
    finally:
        builtonce._kept.pop(name, None)


@pytest.mark.django_db(transaction=True)
def test_a_test_spared_the_build_still_counts_the_storages_it_reached(request):
    from django.core.files.storage import storages

    if not builtonce.copies_possible():
        pytest.skip("kept only on SQLite and the local disk")

    def build():
        storages["snapshots"]

    name = f"self-test-{request.node.name}"
    try:
        for _ in range(2):  # built, then given back: the same storages either way
            storeuse.start()
            builtonce.fresh(request, name, build, lambda r: r)
            assert storeuse.stop() == {"snapshots"}
    finally:
        builtonce._kept.pop(name, None)
