"""The catalogue: names, dates, sources, forms; the example inputs; no Django in sailau.law."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sailau.law import LawInputError, UnknownRuleSet, all_rulesets, get_ruleset

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "outcome"
REQUIRED = {"kz-mazhilis-2023", "kz-mazhilis-2021", "kz-smd-2023", "kz-maslikhat-2023",
            "kz-president-2022", "kz-referendum-2022", "kz-referendum-constitutional-2022",
            "kz-kurultai-2026"}


def test_catalogue_holds_the_required_rule_sets():
    names = [rs.name for rs in all_rulesets()]
    assert REQUIRED <= set(names)
    assert len(names) == len(set(names))
    dates = [rs.date for rs in all_rulesets()]
    assert dates == sorted(dates)


@pytest.mark.parametrize("rs", all_rulesets(), ids=lambda rs: rs.name)
def test_every_rule_set_is_documented_and_complete(rs):
    assert rs.title and rs.sources and rs.contest_kinds
    for kind in rs.contest_kinds:
        form = rs.form(kind)
        assert form.kind == kind and form.relations
    desc = rs.describe()
    json.dumps(desc)  # JSON-ready
    assert desc["date"] == rs.date.isoformat()


def test_kurultai_says_what_is_assumed():
    rs = get_ruleset("kz-kurultai-2026")
    assert any("ASSUMED" in a for a in rs.assumptions)
    assert rs.parameters["seats"] == 145


def test_unknown_rule_set_and_kind():
    with pytest.raises(UnknownRuleSet) as exc:
        get_ruleset("kz-mazhilis-1999")
    assert exc.value.field == "ruleset" and "kz-mazhilis-2023" in exc.value.message
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-mazhilis-2023").form("president")
    assert exc.value.field == "kind"


@pytest.mark.parametrize("rs", all_rulesets(), ids=lambda rs: rs.name)
def test_each_rule_set_has_a_working_example(rs):
    path = EXAMPLES / f"{rs.name}.json"
    assert path.exists(), f"no example input for {rs.name}"
    out = rs.outcome(json.loads(path.read_text(encoding="utf-8")))
    json.dumps(out)
    assert out["ruleset"] == rs.name


def test_official_2023_example_file():
    data = json.loads((EXAMPLES / "kz-mazhilis-2023.json").read_text(encoding="utf-8"))
    seats = get_ruleset("kz-mazhilis-2023").outcome(data)["seats"]
    assert list(seats.values()) == [40, 8, 6, 6, 5, 4, 0]


def test_law_package_does_not_import_django():
    code = ("import sys, json, sailau.law, sailau.law.rulesets; "
            "from sailau.law import all_rulesets; "
            "[rs.outcome(json.load(open(f'examples/outcome/{rs.name}.json'))) for rs in all_rulesets()]; "
            "import sailau.cli.law; "
            "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
