"""Errors raised by the law package. Each carries the path of the input field at fault, so a
command line, a form or an API can point at it (`votes.Amanat`, `regions.Abai.yes`...)."""


class LawInputError(ValueError):
    """Input that a rule set cannot work with: a missing field, a negative count, an unknown name."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class UnknownRuleSet(LawInputError, LookupError):
    """No rule set by that name."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        super().__init__("ruleset", f"no rule set named {name!r}; known: {', '.join(known)}")


class ProtocolInputError(LawInputError):
    """A protocol's raw figures cannot be read (negative, not an integer, a line missing)."""
