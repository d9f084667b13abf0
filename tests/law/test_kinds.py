"""Contest kinds as objects (`sailau.law.kinds`): what each owns, and that nothing outside the
law branches on a kind's name."""

import ast
import re
from pathlib import Path

import pytest

import sailau
from sailau.law import LawInputError, get_ruleset, kinds
from sailau.law.outcomes.totals import contest_outcome
from sailau.law.outcomes.types import PartyListOutcome, ReferendumOutcome, SingleWinnerOutcome

ROOT = Path(sailau.__file__).parent
NAMES = "|".join(kinds.KINDS)
# A test of a kind's name: `kind == "party_list"`, `"president" != c.kind`, `kind !== "..."`
# (the viewer), `filter(kind="referendum")`, `c.kind = 'single_member'` in SQL, and the old
# constant `Contest.SINGLE_MEMBER` in a comparison or a query.
BRANCH = re.compile(
    rf"""(==|!=)=?\s*["']({NAMES})["']"""
    rf"""|["']({NAMES})["']\s*(==|!=)"""
    rf"""|\bkind(__in)?=["'\[(]*({NAMES})["']"""
    rf"""|\.kind\s*=\s*'({NAMES})'"""
    r"""|(==|!=|kind=)\s*Contest\.SINGLE_MEMBER""")
# Where a kind's name may be tested: its object; and a reader of snapshots published before
# contests said whether they are districts (the viewer reads those as it did).
ALLOWED = {"law/kinds.py": 0, "publish/static_site/viewer.js": 1}


def _branches() -> dict[str, list[str]]:
    out = {}
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".html", ".js") or "migrations" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        hits = [f"{rel}:{i}: {line.strip()}"
                for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if BRANCH.search(line)]
        if hits:
            out[rel] = hits
    return out


def test_no_branch_on_a_kind_name_outside_its_object():
    found = _branches()
    extra = {rel: hits for rel, hits in found.items()
             if rel not in ALLOWED or (ALLOWED[rel] and len(hits) > ALLOWED[rel])}
    assert not extra, "branch on the kind's object, not its name:\n" + "\n".join(
        h for hits in extra.values() for h in hits)


def test_the_grep_finds_the_branches_it_forbids():
    for line in ('if contest.kind == "party_list":', "x if c['kind'] != 'referendum' else y",
                 'return c.kind !== "single_member";', 'contests.filter(kind="president")',
                 "ORDER BY c.kind = 'single_member'", "exclude(kind=Contest.SINGLE_MEMBER)",
                 '{% if r.contest.kind == "referendum" %}'):
        assert BRANCH.search(line), line
    for line in ('KIND = "party_list"', 'kind = "referendum"', '"kind": "single_member", "ruleset": "kz-smd-2023"',
                 'if contest.contest_kind.by_list:'):
        assert not BRANCH.search(line), line


def test_every_kind_a_rule_set_governs_is_registered_with_its_outcome_type():
    from sailau.law import all_rulesets

    for rs in all_rulesets():
        for name in rs.contest_kinds:
            assert name in kinds.KINDS, (rs.name, name)
    assert kinds.get("party_list").outcome_type is PartyListOutcome
    assert kinds.get("single_member").outcome_type is SingleWinnerOutcome
    assert kinds.get("president").outcome_type is SingleWinnerOutcome
    assert kinds.get("referendum").outcome_type is ReferendumOutcome


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(LawInputError, match="'senate_x' is not a contest kind"):
        kinds.get("senate_x")


def test_the_kinds_form_is_the_rule_sets():
    assert kinds.SINGLE_MEMBER.form("kz-smd-2023") is get_ruleset("kz-smd-2023").form(
        "single_member")
    with pytest.raises(LawInputError):
        kinds.PRESIDENT.form("kz-smd-2023")


class Facts:
    """Counts the reads: a kind must read only what its outcome needs."""

    def __init__(self):
        self.read = []

    def seats(self):
        self.read.append("seats")
        return 4

    def registration_order(self):
        self.read.append("registration_order")
        return ["b", "a", "gone"]

    def regions(self):
        self.read.append("regions")
        return {"r1": ({"voters_on_list": 10, "invalid": 1, "both_marked": 0},
                       {"yes": 6, "no": 2})}


def test_each_kind_reads_only_the_facts_it_needs_and_builds_its_input():
    f = Facts()
    data = kinds.PARTY_LIST.input("kz-maslikhat-2023", {"invalid": 3},
                                  {"a": 10, "b": 20, "against_all": 2},
                                  kinds.PARTY_LIST.context(f))
    assert f.read == ["registration_order", "seats"]
    assert data == {"votes": {"a": 10, "b": 20}, "invalid": 3, "against_all": 2,
                    "registration_order": ["b", "a"], "seats": 4}

    f = Facts()
    data = kinds.SINGLE_MEMBER.input("kz-smd-2023", {"invalid": 1}, {"x": 5},
                                     kinds.SINGLE_MEMBER.context(f))
    assert f.read == []
    assert data == {"votes": {"x": 5}, "invalid": 1, "against_all": 0}

    f = Facts()
    data = kinds.REFERENDUM.input("kz-referendum-2022", {}, {}, kinds.REFERENDUM.context(f))
    assert f.read == ["regions"]
    assert data == {"regions": {"r1": {"registered": 10, "yes": 6, "no": 2, "both": 0,
                                       "invalid": 1}}}


def test_contest_outcome_decides_through_the_kind():
    out = contest_outcome("kz-maslikhat-2023", "party_list", {"invalid": 0},
                          {"a": 60, "b": 40}, Facts(), final=True, reported=1, expected=1)
    assert out.result.seats == {"a": 2, "b": 2}  # 4 seats from the facts, Hare: 2.4 and 1.6
    out = contest_outcome("kz-smd-2023", "single_member", {}, {}, Facts(), final=False,
                          reported=0, expected=1)
    assert out.result is None and "votes" in out.error


def test_how_a_result_reads_and_its_nist_shape():
    assert kinds.PARTY_LIST.by_list and not kinds.PARTY_LIST.one_seat(1)
    assert kinds.SINGLE_MEMBER.one_seat(1) and kinds.SINGLE_MEMBER.district
    assert kinds.PRESIDENT.office == "president" and not kinds.PRESIDENT.district
    assert kinds.REFERENDUM.measure and not kinds.REFERENDUM.one_seat(1)
    assert kinds.named(district=True) == ["single_member", "senate"]
    assert kinds.PARTY_LIST.nist_selection("p1") == {
        "@type": "ElectionResults.PartySelection", "PartyIds": ["party-p1"]}
    assert kinds.SINGLE_MEMBER.nist_selection("p1") == {
        "@type": "ElectionResults.CandidateSelection", "EndorsementPartyIds": ["party-p1"]}
    assert kinds.PARTY_LIST.nist_fields(69) == {"@type": "ElectionResults.PartyContest"}
    assert kinds.PRESIDENT.nist_fields(1) == {"@type": "ElectionResults.CandidateContest",
                                              "VotesAllowed": 1, "NumberElected": 1}


def test_the_body_a_kind_elects_by_where_its_contest_is_held():
    # A list or a district elects the body of its commission's area (a district: its parent's).
    assert kinds.PARTY_LIST.elects("cec") is kinds.MAZHILIS
    assert kinds.PARTY_LIST.elects("territorial", "cec") is kinds.MASLIKHAT
    assert kinds.PARTY_LIST.elects("district", "territorial") is kinds.MASLIKHAT
    assert kinds.SINGLE_MEMBER.elects("smd", "cec") is kinds.MAZHILIS
    assert kinds.SINGLE_MEMBER.elects("smd", "territorial") is kinds.MASLIKHAT
    assert kinds.SINGLE_MEMBER.elects("smd", "district") is kinds.MASLIKHAT
    # Its own body wherever it is held: a region's Senate seat is no maslikhat's.
    assert kinds.SENATE.elects("territorial", "cec") is kinds.SENATE_SEATS
    assert kinds.PRESIDENT.elects("cec") is kinds.PRESIDENCY
    assert kinds.REFERENDUM.elects("cec") is kinds.QUESTION
    assert [b.name for b in kinds.BODIES.values() if b.local] == ["maslikhat"]
    # The candidacy rules' offices are the bodies' names.
    assert kinds.PRESIDENT.office == "president" and kinds.SENATE.office == "senate"
    assert kinds.named(office=None) == ["party_list", "single_member"]
    with pytest.raises(LawInputError, match="elects no body"):
        kinds.PARTY_LIST.elects("precinct", "district")
    with pytest.raises(LawInputError, match="single-member district under a None"):
        kinds.SINGLE_MEMBER.elects("smd")


def test_an_elections_kinds_are_the_bodies():
    from sailau.elections.models import Election

    assert Election.KINDS == [(b.name, b.label) for b in kinds.BODIES.values()]
    assert [k for k, _ in Election.KINDS] == ["mazhilis", "president", "maslikhat",
                                              "referendum", "kurultai", "senate"]
    for kind in kinds.KINDS.values():
        bodies = {kind.elects(level, "cec") for level in (*kinds.AREA_BODY, "smd")}
        assert bodies <= set(kinds.BODIES.values()), kind.name


# A function outside the law that tests a commission's level and names a body (its name as a
# string, a candidacy office, or one of the law's body objects) infers the body from the level.
LEVELS = {"cec", "territorial", "district", "smd", "CEC", "TERRITORIAL", "DISTRICT", "SMD"}
BODY_NAMES = set(kinds.BODIES) - set(kinds.KINDS)  # a kind's name is the other test's
BODY_OBJECTS = {name for name, v in vars(kinds).items() if isinstance(v, kinds.Body)}


def _tests_a_level(node) -> bool:
    """`x.level == Commission.CEC`, `level in ("territorial", ...)`, `c.get("level") != "cec"`,
    `filter(level=Commission.SMD)`, `level__in=(...)`."""
    def names_a_level(n) -> bool:
        return any((isinstance(x, ast.Constant) and x.value in LEVELS)
                   or (isinstance(x, ast.Attribute) and x.attr in LEVELS
                       and isinstance(x.value, ast.Name) and x.value.id == "Commission")
                   for x in ast.walk(n))

    if isinstance(node, ast.Compare):
        return names_a_level(node)
    if isinstance(node, ast.keyword) and node.arg and "level" in node.arg.split("__"):
        return names_a_level(node.value)
    return False


def _names_a_body(node) -> bool:
    return ((isinstance(node, ast.Constant) and isinstance(node.value, str)
             and node.value in BODY_NAMES)
            or (isinstance(node, ast.Attribute) and (node.attr == "office"
                                                     or node.attr in BODY_OBJECTS))
            or (isinstance(node, ast.keyword) and node.arg == "office"))


def _infers_a_body(source: str) -> list[str]:
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        inner = list(ast.walk(fn))
        if any(_tests_a_level(n) for n in inner) and any(_names_a_body(n) for n in inner):
            out.append(f"{fn.name}:{fn.lineno}")
    return out


def test_no_module_outside_the_law_infers_the_body_from_a_commission_level():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("law/") or "migrations" in path.parts:
            continue
        found += [f"{rel}: {f}" for f in _infers_a_body(path.read_text(encoding="utf-8"))]
    assert not found, "read the body from `ContestKind.elects`:\n" + "\n".join(found)


def test_the_body_grep_finds_the_inferences_it_forbids():
    inferred = ["""
def office(c):
    if c.commission.level == Commission.CEC:
        return "mazhilis"
    return "maslikhat"
""", """
def ids(qs):
    for cid, level in qs.filter(kind__in=kinds.named(office=None)):
        if level in (Commission.TERRITORIAL, Commission.DISTRICT):
            yield cid
""", """
def smd(c, parent):
    if parent.get("level") == "cec":
        return kinds.MAZHILIS
""", """
def f(contest):
    return contest.contest_kind.office or Contest.objects.filter(commission__level="smd")
"""]
    for source in inferred:
        assert _infers_a_body(source), source
    read = ["""
def office(c):
    return c.contest_kind.elects(c.commission.level, None).name
""", """
def area(c):
    if c.level == Commission.DISTRICT:
        return c.id
""", """
def young(office):
    return office == "maslikhat"
"""]
    for source in read:
        assert not _infers_a_body(source), source
