"""The precinct protocol as a form: its lines, and the control relations between them.

A relation has a stable code: `F…` relations block the entry of a protocol (errors), `W…`
relations let it through but flag it (warnings). Which is which belongs to the rule set. Figures
are the numbered lines (`voters_on_list`, ...); choices are the votes per party, candidate,
`against_all`, or `yes`/`no` on a referendum."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sailau.languages import WRITTEN, Text
from sailau.law.errors import ProtocolInputError

Severity = Literal["error", "warning"]

CHOICES = "choices"  # stands, in a relation's terms, for the sum of all choices
# The station's voters on the register before election day, given to `ProtocolForm.check` beside
# the protocol's figures (not a line of the paper) for the relations that compare with it.
REGISTERED = "registered"


@dataclass(frozen=True)
class Line:
    key: str
    number: int  # as printed on the paper form
    label: Text
    required: bool = True  # an optional line's relations are skipped when it is absent


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    lines: tuple[str, ...]
    message: Text  # with the actual numbers filled in

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "lines": list(self.lines),
                "message": dict(self.message)}


@dataclass(frozen=True, eq=False)
class Relation:
    """`test(figures, choices)` returns None when the relation holds, otherwise the numbers the
    message templates need (`{lhs}`, `{rhs}`, or named lines)."""

    code: str
    severity: Severity
    lines: tuple[str, ...]
    explanation: Text
    message: Text
    test: Callable[[Mapping[str, int], Mapping[str, int]], dict | None] = field(repr=False)
    # The side of the relation that holds the votes for the choices ("choices" and the lines
    # beside it, e.g. F102: choices + invalid), empty when it has none. The entry form lights
    # it rather than every line: one count per choice is where a typing slip is likeliest.
    votes: tuple[str, ...] = ()

    def __post_init__(self):
        if not re.fullmatch(r"[FW]\d{3}", self.code):
            raise ValueError(f"relation code {self.code!r} is not F### or W###")
        if (self.severity == "error") != self.code.startswith("F"):
            raise ValueError(f"{self.code}: F codes are errors and W codes warnings")
        for lang in WRITTEN:
            if lang not in self.explanation or lang not in self.message:
                raise ValueError(f"{self.code}: text missing in {lang}")

    def finding(self, figures: Mapping[str, int], choices: Mapping[str, int]) -> Finding | None:
        numbers = self.test(figures, choices)
        if numbers is None:
            return None
        return Finding(self.code, self.severity, self.lines,
                       Text.of(self.message).format(**numbers))

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "lines": list(self.lines),
                "explanation": dict(self.explanation)}


def total(terms: Sequence[str], figures: Mapping[str, int], choices: Mapping[str, int]) -> int:
    return sum(sum(choices.values()) if t == CHOICES else figures[t] for t in terms)


def equal(code, severity, lhs, rhs, explanation, message) -> Relation:
    """sum(lhs) = sum(rhs)."""
    def test(figures, choices):
        a, b = total(lhs, figures, choices), total(rhs, figures, choices)
        return None if a == b else {"lhs": a, "rhs": b, "diff": a - b}
    return Relation(code, severity, _keys(lhs, rhs), explanation, message, test,
                    _votes_side(lhs, rhs))


def at_most(code, severity, lhs, rhs, explanation, message) -> Relation:
    """sum(lhs) ≤ sum(rhs)."""
    def test(figures, choices):
        a, b = total(lhs, figures, choices), total(rhs, figures, choices)
        return None if a <= b else {"lhs": a, "rhs": b, "diff": a - b}
    return Relation(code, severity, _keys(lhs, rhs), explanation, message, test,
                    _votes_side(lhs, rhs))


def _votes_side(lhs, rhs) -> tuple[str, ...]:
    return next((tuple(side) for side in (lhs, rhs) if CHOICES in side), ())


def _keys(*groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for g in groups for k in g if k != CHOICES))


_INT = re.compile(r"-?\d+")


@dataclass(frozen=True, eq=False)
class ProtocolForm:
    kind: str  # contest kind: "party_list", "single_member", "president", "referendum"...
    lines: tuple[Line, ...]
    relations: tuple[Relation, ...]
    fixed_choices: tuple[str, ...] | None = None  # ("yes", "no") on a referendum
    against_all: bool = False  # has an "against all" choice

    def line(self, key: str) -> Line:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(line.key for line in self.lines)

    def relation(self, code: str) -> Relation:
        for rel in self.relations:
            if rel.code == code:
                return rel
        raise KeyError(code)

    def validate(self, figures: Mapping[str, Any], choices: Mapping[str, Any],
                 expected_choices: Sequence[str] | None = None) -> tuple[dict, dict]:
        """Raw entry (ints, or strings of digits from a form) → clean integer dicts. Refuses a
        missing required line, an unknown line, a negative or non-integer value, and choices
        that are not the contest's (`expected_choices`: the parties or candidates on the ballot,
        `against_all` being added when the form has it)."""
        if not isinstance(figures, Mapping):
            raise ProtocolInputError(field="figures", message="must be an object of line: number")
        if not isinstance(choices, Mapping):
            raise ProtocolInputError(field="choices", message="must be an object of choice: votes")
        known = set(self.keys)
        for key in figures:
            if key not in known:
                raise ProtocolInputError(field=f"figures.{key}",
                                         message=f"not a line of the {self.kind} protocol")
        clean = {}
        for line in self.lines:
            path = f"figures.{line.key}"
            if line.key not in figures or figures[line.key] in (None, ""):
                if line.required:
                    raise ProtocolInputError(
                        field=path, message=f"missing (line {line.number}: {line.label['en']})")
                continue
            clean[line.key] = _count(figures[line.key], path)

        expected = self.fixed_choices or expected_choices
        if expected is not None:
            expected = list(expected) + (["against_all"] if self.against_all else [])
            for key in choices:
                if key not in expected:
                    raise ProtocolInputError(field=f"choices.{key}",
                                             message="not a choice on this ballot")
            for key in expected:
                if key not in choices:
                    raise ProtocolInputError(field=f"choices.{key}", message="missing")
        elif "against_all" in choices and not self.against_all:
            raise ProtocolInputError(field="choices.against_all",
                                     message="this ballot has no 'against all'")
        if not choices:
            raise ProtocolInputError(field="choices", message="no votes given for any choice")
        clean_choices = {k: _count(v, f"choices.{k}") for k, v in choices.items()}
        return clean, clean_choices

    def check(self, figures: Mapping[str, int], choices: Mapping[str, int],
              registered: int | None = None) -> list[Finding]:
        """Every relation broken by these (already validated) figures, in the form's order;
        with `registered` (the station's voters on the register before election day) also the
        relations that compare line 1 with it."""
        if registered is not None:
            figures = {**figures, REGISTERED: registered}
        findings = []
        for rel in self.relations:
            if any(k not in figures for k in rel.lines):
                continue  # an optional line left out: its relations do not apply
            found = rel.finding(figures, choices)
            if found:
                findings.append(found)
        return findings

    def to_json(self) -> dict:
        return {"kind": self.kind,
                "lines": [{"key": ln.key, "number": ln.number, "label": dict(ln.label),
                           "required": ln.required} for ln in self.lines],
                "fixed_choices": list(self.fixed_choices) if self.fixed_choices else None,
                "against_all": self.against_all,
                "relations": [rel.to_json() for rel in self.relations]}


def blocking(findings: Sequence[Finding]) -> bool:
    """True when any finding is an error: the protocol cannot become definitive as entered."""
    return any(f.severity == "error" for f in findings)


def _count(value: Any, path: str) -> int:
    if isinstance(value, str) and _INT.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolInputError(field=path, message=f"must be a whole number, got {value!r}")
    if value < 0:
        raise ProtocolInputError(field=path, message=f"must not be negative, got {value}")
    return value
