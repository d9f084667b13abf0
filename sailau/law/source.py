"""Where a piece of the law comes from. Its own module because every part of the law cites
sources (rule sets, deadlines, eligibility) and the rule set in turn carries the deadlines and
eligibility rules: kept here, none of them imports another in a circle."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    used_for: str = ""  # what this source establishes in the rule set

    def to_json(self) -> dict:
        return {"title": self.title, "url": self.url, "used_for": self.used_for}
