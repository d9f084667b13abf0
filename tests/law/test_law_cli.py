"""`sailau rules` and `sailau outcome`: output, exit codes, messages naming the field."""

import argparse
import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from sailau.cli import CommandError
from sailau.cli import law as law_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_2023 = ROOT / "examples" / "outcome" / "kz-mazhilis-2023.json"


def run(*argv):
    """The command module alone, without the other parts' commands."""
    parser = argparse.ArgumentParser()
    law_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    out = io.StringIO()
    with redirect_stdout(out):
        code = args.func(args)
    return code, out.getvalue()


def test_outcome_prints_json():
    code, out = run("outcome", "kz-mazhilis-2023", str(EXAMPLE_2023))
    assert code == 0
    assert json.loads(out)["seats"]["Amanat"] == 40


def test_rules_lists_names_dates_and_sources():
    code, out = run("rules")
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("kz-mazhilis-2023 "))
    assert "2023-03-19" in line and "party_list" in line
    assert "source:" in out
    # The period each governs, open-ended or closed, and the rule set of a second round.
    assert "2023-03-19 to now" in line
    line = next(ln for ln in out.splitlines() if ln.startswith("kz-president-2019 "))
    assert "2019-06-09 to 2021-05-24" in line
    assert "second round: kz-president-2019-round2" in out
    code, out = run("rules", "--json")
    listed = json.loads(out)
    assert {"name", "date", "sources", "assumptions"} <= set(listed[0])


@pytest.mark.parametrize("content, needle", [
    ('{"votes": {"A": -1}}', "votes.A"),
    ('{"votes": {"A": 1}, "seats": 5}', "seats"),
    ('{"vots": {"A": 1}}', "vots"),
    ('{"votes": ', "not JSON"),
])
def test_outcome_bad_input_is_a_command_error(tmp_path, content, needle):
    path = tmp_path / "in.json"
    path.write_text(content)
    with pytest.raises(CommandError) as exc:
        run("outcome", "kz-mazhilis-2023", str(path))
    assert needle in str(exc.value)


def test_unknown_rule_set_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match="ruleset"):
        run("outcome", "kz-nothing", str(EXAMPLE_2023))
    with pytest.raises(CommandError, match="does not exist"):
        run("outcome", "kz-mazhilis-2023", str(tmp_path / "none.json"))


def test_end_to_end_exit_codes(tmp_path):
    good = subprocess.run([sys.executable, "-m", "sailau", "outcome", "kz-mazhilis-2023",
                           str(EXAMPLE_2023)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["seats"]["JSDP"] == 4
    bad = tmp_path / "bad.json"
    bad.write_text('{"votes": {"A": 1, "B": "many"}}')
    done = subprocess.run([sys.executable, "-m", "sailau", "outcome", "kz-mazhilis-2023",
                           str(bad)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "votes.B" in done.stderr and "Traceback" not in done.stderr
