"""Errors raised by the law package. Each carries the path of the input field at fault, so a
command line, a form or an API can point at it (`votes.Amanat`, `regions.Abai.yes`...).
They are `BadInput`s of the one error model (sailau.errors, Django-free like this package)."""

from sailau.errors import BadInput, Code


class LawInputError(BadInput, ValueError):
    """Input that a rule set cannot work with: a missing field, a negative count, an unknown name.
    `message` is the bare text; str() names the field too."""

    def __init__(self, field: str, message: str):
        super().__init__(Code.BAD_INPUT, message, field or None)

    def text(self, lang: str | None = None) -> str:
        t = super().text(lang)
        return f"{self.field}: {t}" if self.field and lang in (None, "en") else t


class UnknownRuleSet(LawInputError, LookupError):
    """No rule set by that name."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        super().__init__("ruleset", f"no rule set named {name!r}; known: {', '.join(known)}")


class ProtocolInputError(LawInputError):
    """A protocol's raw figures cannot be read (negative, not an integer, a line missing)."""
