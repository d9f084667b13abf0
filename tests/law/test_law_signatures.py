"""The presidential signature check at its boundaries: the 1 % threshold, the two-thirds spread,
each reason a line is invalid, the sample redrawn identically from its seed."""

import datetime as dt
from dataclasses import replace

import pytest

from sailau.law import get_ruleset
from sailau.law import signatures as sig
from sailau.law.table import RowError

RULES = get_ruleset("kz-president-2022").signature_rules
DAY = dt.date(2022, 11, 1)
HEADER = "sheet,line,voter,region,date\n"


def line(row, voter, region="A", sheet=1, n=None, day=DAY):
    return sig.Line(row, sheet, n or row, voter, region, day)


def register(table):
    return lambda voter: table.get(voter)


def test_threshold_and_spread_at_their_bounds():
    # 300 voters in three regions of 100: 3 signatures needed (1 %), 2 regions of 3 (2/3), each
    # region counting from 1 valid signature (1 % of 100)
    voters = {"A": 100, "B": 100, "C": 100}
    reg = register({f"{i}": sig.Registered("A" if i < 5 else "B") for i in range(10)})
    three = [line(1, "1"), line(2, "2"), line(3, "5", "B")]
    r = sig.check(three, reg, voters, RULES)
    assert (r["required"], r["valid"], r["meets_threshold"]) == (3, 3, True)
    assert (r["regions_required"], r["regions_represented"], r["meets"]) == (2, 2, True)
    r = sig.check(three[:2], reg, voters, RULES)
    assert (r["meets_threshold"], r["meets_spread"], r["meets"]) == (False, False, False)
    r = sig.check([line(1, "1"), line(2, "2"), line(3, "3")], reg, voters, RULES)
    assert (r["meets_threshold"], r["meets_spread"]) == (True, False)  # one region only


def test_each_reason_of_invalidity():
    reg = register({"1": sig.Registered("A"), "2": sig.Registered("B"),
                    "3": sig.Registered("A", eligible=False), "9": sig.INVALID_IIN})
    lines = [line(2, "1"), line(3, "1"), line(4, "2"), line(5, "3"), line(6, "4"), line(7, "9"),
             line(8, "1", day=DAY + dt.timedelta(days=1))]
    bad = sig.reasons(lines, reg, period=(None, DAY))
    assert bad == {3: "duplicate", 4: "outside_region", 5: "not_eligible",
                   6: "not_on_register", 7: "invalid_iin", 8: "outside_period"}
    r = sig.check(lines, reg, {"A": 100, "B": 100}, RULES, period=(None, DAY))
    assert r["valid"] == 1 and r["invalid"] == 6
    assert {f["code"]: f["count"] for f in r["findings"]}["duplicate"] == 1


def test_the_sample_is_redrawn_from_its_seed():
    rules = replace(RULES, sample=10)
    reg = register({str(i): sig.Registered("A") for i in range(0, 100, 2)})  # odd: not on it
    lines = [line(i + 2, str(i)) for i in range(100)]
    a = sig.check(lines, reg, {"A": 1000}, rules, seed=7)["sample"]
    b = sig.check(lines, reg, {"A": 1000}, rules, seed=7)["sample"]
    c = sig.check(lines, reg, {"A": 1000}, rules, seed=8)["sample"]
    assert a == b and a["drawn"] != c["drawn"] and a["lines"] == 10
    assert a["projected_valid"] == 100 - 10 * a["invalid"]


@pytest.mark.parametrize("row,column", [
    ("0,1,1,A,2022-11-01", "sheet"), ("1,x,1,A,2022-11-01", "line"),
    ("1,1,12ab,A,2022-11-01", "voter"), ("1,1,1,Z,2022-11-01", "region"),
    ("1,1,1,A,2022-13-01", "date"), ("1,2,1,A,2022-11-01", "line")])
def test_bad_sheets_name_row_and_column(row, column):
    text = HEADER + "1,2,5,A,2022-11-01\n" + row + "\n"
    with pytest.raises(RowError) as e:
        sig.read_sheets(text, lambda r: r if r in ("A", "B") else None)
    assert e.value.detail == {"row": 3, "column": column}
