"""Campaign finance: every limit at its boundary (the limit passes, one tenge more is flagged),
forbidden sources, and bad input naming the row and the column (`sailau finance check`)."""

import json
from pathlib import Path

import pytest

from sailau.cli import main
from sailau.law import get_ruleset
from sailau.law.finance_check import FinanceInputError, check_csv

RULES = get_ruleset("kz-mazhilis-2023").finance_rules
HEADER = "recipient,recipient_kind,direction,source_kind,donor,amount_kzt,date\n"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "finance" / "report-2023.csv"


def report(*rows: str) -> dict:
    return check_csv(HEADER + "\n".join(rows) + "\n", RULES)


def codes(result: dict) -> list[str]:
    return [v["code"] for v in result["violations"]]


def test_the_2023_limits_come_from_the_rule_set_with_sources():
    d = RULES.describe()
    assert (d["individual_donor_limit"], d["organisation_donor_limit"]) == (7_000_000, 35_000_000)
    assert d["own_funds_limit"] == {"party": 350_000_000, "candidate": 14_000_000}
    assert d["donations_total_limit"] == {"party": 700_000_000, "candidate": 35_000_000}
    assert d["donor_limit_applies_to"] == "donor_total_per_recipient_campaign"
    assert any("TOTAL to one recipient" in a for a in d["assumptions"])
    assert {"foreign", "anonymous", "state"} <= set(d["forbidden_sources"])
    assert d["sources"] and all(s["used_for"] for s in d["sources"])
    assert get_ruleset("kz-smd-2023").finance_rules is RULES
    with pytest.raises(LookupError):
        get_ruleset("kz-president-2022").finance_rules  # noqa: B018


# (recipient kind, source, limit, code): each limit at the boundary and one tenge over it.
DONOR_LIMITS = [("individual", 7_000_000, "individual_donor_limit"),
                ("organisation", 35_000_000, "organisation_donor_limit"),
                ("party", 35_000_000, "organisation_donor_limit")]


@pytest.mark.parametrize("source,limit,code", DONOR_LIMITS)
@pytest.mark.parametrize("kind", ["party", "candidate"])
def test_donor_limit_is_on_the_donors_total(kind, source, limit, code):
    half = limit // 2
    rows = [f"R,{kind},income,{source},Donor A,{half},2023-02-20",
            f"R,{kind},income,{source},donor  a,{limit - half},2023-03-01"]
    assert codes(report(*rows)) == []
    rows[1] = f"R,{kind},income,{source},DONOR A,{limit - half + 1},2023-03-01"
    result = report(*rows)
    # a candidate's donations total is 35 million too: one organisation over it breaks both
    both = limit + 1 > RULES.donations_total_limit[kind]
    assert codes(result) == (["donations_total_limit", code] if both else [code])
    v = result["violations"][-1]
    assert (v["recipient"], v["donor"], v["limit"], v["amount"], v["rows"]) == \
        ("R", "Donor A", limit, limit + 1, [2, 3])


@pytest.mark.parametrize("kind,limit", [("party", 350_000_000), ("candidate", 14_000_000)])
def test_own_funds_limit(kind, limit):
    ok = report(f"R,{kind},income,own,,{limit - 1},2023-02-18", f"R,{kind},income,own,,1,2023-03-17")
    assert codes(ok) == [] and ok["recipients"]["R"]["own_funds"] == limit
    over = report(f"R,{kind},income,own,,{limit},2023-02-18", f"R,{kind},income,own,,1,2023-03-17")
    assert codes(over) == ["own_funds_limit"]
    assert over["violations"][0]["amount"] == limit + 1
    assert over["violations"][0]["limit"] == limit


@pytest.mark.parametrize("kind,limit", [("party", 700_000_000), ("candidate", 35_000_000)])
def test_donations_total_limit(kind, limit):
    each = 5_000_000
    n, rest = divmod(limit, each)
    rows = [f"R,{kind},income,individual,Donor {i},{each},2023-02-20" for i in range(n)]
    if rest:
        rows.append(f"R,{kind},income,individual,Donor last,{rest},2023-02-20")
    assert codes(report(*rows)) == []
    over = report(*rows, f"R,{kind},income,organisation,One more LLP,1,2023-02-21")
    assert codes(over) == ["donations_total_limit"]
    assert (over["violations"][0]["amount"], over["violations"][0]["limit"]) == (limit + 1, limit)
    assert over["recipients"]["R"]["donations"] == limit + 1


@pytest.mark.parametrize("source", ["foreign", "state", "anonymous"])
def test_forbidden_sources_are_flagged_whatever_the_amount(source):
    result = report(f"P,party,income,{source},Someone,1,2023-02-20")
    assert codes(result) == ["forbidden_source"]
    assert result["violations"][0]["source_kind"] == source
    assert result["violations"][0]["limit"] == 0


def test_a_donation_without_a_donor_name_is_anonymous():
    result = report("P,party,income,individual,,100,2023-02-20")
    assert codes(result) == ["forbidden_source"]
    assert result["violations"][0]["source_kind"] == "anonymous"


def test_spending_beyond_income_is_flagged_at_the_boundary():
    rows = ["C,candidate,income,own,,1000,2023-02-20", "C,candidate,spending,media,TV,1000,2023-03-01"]
    ok = report(*rows)
    assert codes(ok) == [] and ok["recipients"]["C"]["balance"] == 0
    over = report(*rows, "C,candidate,spending,print,Printer,1,2023-03-02")
    assert codes(over) == ["spending_exceeds_income"]
    assert over["violations"][0]["rows"] == [3, 4]


def test_totals_and_an_empty_report():
    assert report() == {"ruleset": "kz-finance-2023", "recipients": {}, "violations": []}
    result = check_csv(EXAMPLE.read_text(encoding="utf-8"), RULES)
    party = result["recipients"]["Example Party"]
    assert party["income"]["individual"] == 7_000_001
    assert party["spending_total"] == 120_000_000 and party["kind"] == "party"
    assert sorted(codes(result)) == ["forbidden_source", "individual_donor_limit"]


BAD = [
    ("P,party,income,own,,-5,2023-02-20", 2, "amount_kzt", "negative"),
    ("P,party,income,own,,12.5,2023-02-20", 2, "amount_kzt", "whole number"),
    ("P,party,income,own,,0,2023-02-20", 2, "amount_kzt", "zero"),
    ("P,bloc,income,own,,5,2023-02-20", 2, "recipient_kind", "'bloc'"),
    ("P,party,gift,own,,5,2023-02-20", 2, "direction", "'gift'"),
    ("P,party,income,media,,5,2023-02-20", 2, "source_kind", "'media'"),
    ("P,party,spending,own,,5,2023-02-20", 2, "source_kind", "'own'"),
    ("P,party,income,own,,5,20.02.2023", 2, "date", "YYYY-MM-DD"),
    ("P,party,income,own,,5,2023-02-17", 2, "date", "outside the campaign"),
    ("P,party,income,own,,5,2023-03-18", 2, "date", "outside the campaign"),
    (",party,income,own,,5,2023-03-01", 2, "recipient", "empty"),
    ("P,party,income,own,,5", 2, None, "cells"),
]


@pytest.mark.parametrize("row,at,column,words", BAD)
def test_bad_input_names_row_and_column(row, at, column, words):
    good = "P,party,income,own,,5,2023-02-20"
    with pytest.raises(FinanceInputError) as err:
        check_csv(HEADER + good + "\n" + row + "\n", RULES)
    assert err.value.row == at + 1 and err.value.detail["column"] == column
    assert words in str(err.value) and f"row {at + 1}" in str(err.value)
    assert f"{at + 1}-жол" in err.value.text("kk") and f"строка {at + 1}" in err.value.text("ru")


def test_bad_header_and_kind_changing_midway():
    with pytest.raises(FinanceInputError, match="lacks the column"):
        check_csv("recipient,amount_kzt\n", RULES)
    with pytest.raises(FinanceInputError, match="unknown or repeated column"):
        check_csv(HEADER.strip() + ",note\n", RULES)
    with pytest.raises(FinanceInputError, match="row 3, column recipient_kind"):
        check_csv(HEADER + "P,party,income,own,,5,2023-02-20\nP,candidate,income,own,,5,2023-02-20\n",
                  RULES)


def run(*argv, capsys=None):
    """The whole `sailau` command: its exit status, what it printed and its message."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_json_and_exits_0_with_violations(capsys):
    code, out, _ = run("finance", "check", str(EXAMPLE), "--ruleset", "kz-mazhilis-2023",
                       capsys=capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"recipients", "violations"} and data["violations"]
    assert set(data["violations"][0]) >= {"code", "recipient", "donor", "limit", "amount", "rows"}


def test_cli_bad_input_exits_2_naming_row_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "P,party,income,own,,-1,2023-02-20\n", encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes(b"recipient\xe9\n")
    for path, ruleset, words in [
            (bad, "kz-mazhilis-2023", "row 2, column amount_kzt: negative"),
            (bad, "kz-president-2022", "no campaign finance rules"),
            (tmp_path / "none.csv", "kz-mazhilis-2023", "does not exist"),
            (tmp_path / "latin1.csv", "kz-mazhilis-2023", "not UTF-8")]:
        code, out, err = run("finance", "check", str(path), "--ruleset", ruleset, capsys=capsys)
        assert (code, out) == (2, "") and words in err and "Traceback" not in err
