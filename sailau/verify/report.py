"""What the verifier found: every check that failed, named by file, station or level, and
counts of what held."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    check: str  # files, chain, totals, tables, outcomes, signatures, scans
    subject: str  # the file, station, commission or scan
    message: str

    def to_json(self) -> dict:
        return {"check": self.check, "subject": self.subject, "message": self.message}

    def __str__(self) -> str:
        return f"{self.check}: {self.subject}: {self.message}"


@dataclass
class Report:
    source: str
    failures: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)  # what could not be checked, not failures
    # What the run established beyond counts (the log grew from the size of the last run...)
    facts: list[Finding] = field(default_factory=list)
    # Files the run could not check because the site moved on while it read them (deleted,
    # and no longer named by the current manifest): the run did not finish, nothing failed
    unfinished: list[Finding] = field(default_factory=list)
    held: Counter = field(default_factory=Counter)  # check -> how many things held
    scans: list[dict] = field(default_factory=list)
    # each station's current protocol: the key that signed it, when it was registered, who
    # confirmed it, whether the server holds it, was registered late or revoked since
    signers: list[dict] = field(default_factory=list)

    def fail(self, check: str, subject: str, message: str) -> None:
        self.failures.append(Finding(check, subject, message))

    def note(self, check: str, subject: str, message: str) -> None:
        self.notes.append(Finding(check, subject, message))

    def fact(self, check: str, subject: str, message: str) -> None:
        self.facts.append(Finding(check, subject, message))

    def could_not_finish(self, check: str, subject: str, message: str) -> None:
        self.unfinished.append(Finding(check, subject, message))

    def ok(self, check: str, n: int = 1) -> None:
        self.held[check] += n

    @property
    def passed(self) -> bool:
        """Nothing read was found wrong (the run may still not have finished)."""
        return not self.failures

    @property
    def finished(self) -> bool:
        return not self.unfinished

    def to_json(self) -> dict:
        return {"source": self.source, "ok": self.passed and self.finished,
                "finished": self.finished,
                "unfinished": [f.to_json() for f in self.unfinished],
                "facts": [f.to_json() for f in self.facts],
                "first_failure": self.failures[0].to_json() if self.failures else None,
                "failures": [f.to_json() for f in self.failures],
                "notes": [f.to_json() for f in self.notes],
                "held": dict(sorted(self.held.items())), "scans": self.scans,
                "signers": self.signers}
