"""Errors raised by the law package. Each carries the path of the input field at fault, so a
command line, a form or an API can point at it (`votes.Amanat`, `regions.Abai.yes`...).
They are `BadInput`s of the one error model (sailau.errors, Django-free like this package)."""

from __future__ import annotations

from sailau.errors import BadInput


class LawInputError(BadInput, ValueError):
    """Input that a rule set cannot work with: a missing field, a negative count, an unknown name.
    `message` is the bare text; str() names the field too."""

    def text(self, lang: str | None = None) -> str:
        t = super().text(lang)
        return f"{self.field}: {t}" if self.field and lang in (None, "en") else t


class UnknownRuleSet(LawInputError, LookupError):
    """No rule set by that name."""

    @classmethod
    def named(cls, name: str, known: list[str]) -> UnknownRuleSet:
        return cls(field="ruleset", message=f"no rule set named {name!r}; known: "
                                            f"{', '.join(known)}", detail={"name": name})


class ProtocolInputError(LawInputError):
    """A protocol's raw figures cannot be read (negative, not an integer, a line missing)."""
