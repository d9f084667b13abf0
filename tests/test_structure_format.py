"""docs/structure-format.md says what `sailau structure import` reads and refuses: its examples
(a presidential election as JSON, a referendum as CSV files) import as written, and each
refusal it documents (a change to an example, then the line printed) is refused with that
line. A changed message, column or rule fails here until the document says it too."""

import copy
import json
import re
from pathlib import Path

import pytest

from sailau.elections import structure

DOC = Path(__file__).parents[1] / "docs" / "structure-format.md"
TEXT = DOC.read_text()


def _examples() -> dict[str, str]:
    """{name: text} of every block the document marks `<!-- example: NAME -->`."""
    return {name: body for name, body in re.findall(
        r"<!-- example: (\S+) -->\s*```[a-z]*\n(.*?)```", TEXT, flags=re.DOTALL)}


def _refusals() -> list[tuple[str, list[str], str]]:
    """(example, its changes, the line printed) of every ```refusal block."""
    out = []
    for block in re.findall(r"```refusal\n(.*?)```", TEXT, flags=re.DOTALL):
        lines = block.strip().splitlines()
        expected = lines[-1].removeprefix("=> ")
        assert lines[-1].startswith("=> "), block
        out.append((lines[0], lines[1:-1], expected))
    return out


EXAMPLES = _examples()
REFUSALS = _refusals()


def _write(tmp: Path, which: str) -> Path:
    """The example `which` (president.json or referendum/) written under `tmp`."""
    if which.endswith("/"):
        folder = tmp / which.rstrip("/")
        folder.mkdir(exist_ok=True)
        for name, body in EXAMPLES.items():
            if name.startswith(which):
                (folder / name.removeprefix(which)).write_text(body, encoding="utf-8")
        return folder
    path = tmp / which
    path.write_text(EXAMPLES[which], encoding="utf-8")
    return path


def _steps(path: str) -> list:
    """`stations[0].registered` -> ["stations", 0, "registered"]."""
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _change(doc: dict, change: str) -> None:
    op, _, rest = change.partition(" ")
    target, _, value = rest.partition(" = ")
    *where, last = _steps(target)
    node = doc
    for step in where:
        node = node[step]
    if op == "SET":
        node[last] = json.loads(value)
    elif op == "DEL":
        del node[last]
    elif op == "ADD":
        node[last].append(json.loads(value))
    else:
        raise AssertionError(f"unknown change {change!r}")


def _errors(tmp: Path, which: str, changes: list[str]) -> list[str]:
    """Every problem the import finds in the example after `changes`."""
    path = _write(tmp, which)
    try:
        if changes == ["IMPORTED"]:
            structure.import_path(path)
            structure.import_path(path)
        elif which.endswith("/"):
            for change in changes:
                op, _, arg = change.partition(" ")
                if op == "DELFILE":
                    (path / arg).unlink()
                elif op == "UTF16":
                    f = path / arg
                    f.write_bytes(f.read_text(encoding="utf-8").encode("utf-16"))
                else:  # a change of a table's row: through the document the folder reads as
                    doc = structure.read(path)
                    _change(doc, change)
                    structure.validate(doc)
            structure.validate(structure.read(path))
        else:
            doc = structure.read(path)
            for change in changes:
                _change(doc, change)
            structure.validate(doc)
    except structure.StructureError as exc:
        return exc.errors
    return []


def test_the_document_has_its_examples_and_refusals():
    assert {"president.json", "referendum/election.csv", "referendum/stations.csv"} <= set(
        EXAMPLES)
    assert len(REFUSALS) >= 25


@pytest.mark.django_db
def test_the_presidential_example_imports_as_documented(tmp_path):
    e = structure.import_path(_write(tmp_path, "president.json"))
    assert (e.id, e.kind) == ("example.president.2022-11-20", "president")
    assert e.stations.count() == 3 and e.commissions.count() == 6
    assert f"imported {e.id}: 3 stations, 6 commissions" in TEXT
    contest = e.contests.get()
    assert (contest.kind, contest.ruleset) == ("president", "kz-president-2022")
    assert sorted(contest.choices.values_list("key", flat=True)) == ["against_all", "c1", "c2"]
    st = e.stations.get(number=180302)
    assert (st.kind, st.registered, st.urban) == ("special", 240, True)
    assert e.commissions.get(level="district").addresses.get("ru", "") == "город Семей"
    # Each station votes in the contest of its commission's area (no electorate rows given).
    from sailau.elections.models import Electorate

    assert Electorate.objects.filter(contest=contest).count() == 3


@pytest.mark.django_db
def test_the_referendum_example_imports_from_its_csv_files(tmp_path):
    e = structure.import_path(_write(tmp_path, "referendum/"))
    assert (e.id, e.kind) == ("example.referendum.2022-06-05", "referendum")
    assert e.stations.count() == 2 and e.commissions.count() == 7
    assert f"imported {e.id}: 2 stations, 7 commissions" in TEXT
    contest = e.contests.get()
    assert contest.ruleset == "kz-referendum-2022" and contest.seats == 0
    assert sorted(contest.choices.values_list("key", flat=True)) == ["no", "yes"]
    assert e.stations.get(number=20101).addresses.get("ru", "") == "улица Абая, 89"


@pytest.mark.django_db
@pytest.mark.parametrize("which,changes,expected", REFUSALS,
                         ids=[r[2][:60] for r in REFUSALS])
def test_each_documented_refusal_is_refused_as_documented(tmp_path, which, changes, expected):
    errors = _errors(tmp_path, which, changes)
    assert any(expected in e for e in errors), errors


@pytest.mark.django_db
def test_an_unchanged_example_is_not_refused(tmp_path):
    """The refusals' test would pass on an importer refusing everything: guard it."""
    assert _errors(tmp_path, "president.json", []) == []
    assert _errors(tmp_path, "referendum/", []) == []


def test_a_change_is_applied_where_it_says():
    doc = json.loads(EXAMPLES["president.json"])
    before = copy.deepcopy(doc)
    _change(doc, "SET stations[1].registered = 7")
    assert doc["stations"][1]["registered"] == 7 and before["stations"][1]["registered"] == 240
    _change(doc, "DEL stations[2]")
    assert len(doc["stations"]) == 2
