"""The electoral law as versioned rule sets: protocol forms with their control relations, and
outcome functions (seats, winners, referendum results) in exact arithmetic. Pure Python: this
package never imports Django, so the command line, the web app and the analytics share it."""

from sailau.law.errors import LawInputError, ProtocolInputError, UnknownRuleSet
from sailau.law.protocol import Finding, Line, ProtocolForm, Relation, blocking
from sailau.law.ruleset import RuleSet
from sailau.law.source import Source

__all__ = ["Finding", "LawInputError", "Line", "ProtocolForm", "ProtocolInputError", "Relation",
           "RuleSet", "Source", "UnknownRuleSet", "all_rulesets", "blocking", "get_ruleset"]


def all_rulesets() -> list[RuleSet]:
    """Every rule set, oldest first (then by name)."""
    from sailau.law.rulesets import CATALOGUE

    return sorted(CATALOGUE.values(), key=lambda rs: (rs.date, rs.name))


def get_ruleset(name: str) -> RuleSet:
    from sailau.law.rulesets import CATALOGUE

    try:
        return CATALOGUE[name]
    except KeyError:
        raise UnknownRuleSet.named(name, sorted(CATALOGUE)) from None
