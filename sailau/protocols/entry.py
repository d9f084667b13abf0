"""Double entry as an explicit state machine, after kiesraad/abacus. Pure Python: the service
layer loads a `Status`, calls one transition, and stores what comes back.

    Empty → FirstEntryInProgress → FirstEntryFinalised → SecondEntryInProgress
          → Definitive            (the two entries are equal, field by field)
          → EntriesDifferent      (a coordinator accepts one, or returns one to its typist)

Each refusal is a `TransitionError` with a stable code, e.g. `second_entry_same_user`."""

from dataclasses import dataclass, field, replace
from enum import StrEnum

from sailau.law import Finding
from sailau.protocols.errors import EntryRejected, TransitionError


class State(StrEnum):
    EMPTY = "empty"
    FIRST_IN_PROGRESS = "first_entry_in_progress"
    FIRST_FINALISED = "first_entry_finalised"
    SECOND_IN_PROGRESS = "second_entry_in_progress"
    DIFFERENT = "entries_different"
    DEFINITIVE = "definitive"


@dataclass(frozen=True)
class Entry:
    user: int
    figures: dict
    choices: dict
    acknowledged: tuple[str, ...] = ()
    finalised: bool = False

    def to_json(self) -> dict:
        return {"user": self.user, "figures": self.figures, "choices": self.choices,
                "acknowledged": list(self.acknowledged), "finalised": self.finalised}

    @classmethod
    def from_json(cls, d: dict | None) -> "Entry | None":
        if d is None:
            return None
        return cls(d["user"], d["figures"], d["choices"], tuple(d.get("acknowledged", ())),
                   d.get("finalised", False))


@dataclass(frozen=True)
class Status:
    state: State = State.EMPTY
    first: Entry | None = None
    second: Entry | None = None


@dataclass(frozen=True)
class Outcome:
    status: Status
    event: str  # draft_saved, first_finalised, definitive, entries_different, ...
    accepted: Entry | None = None  # the entry that became definitive
    differences: tuple[str, ...] = field(default=())


# Transition errors, by code.
SAME_USER = "second_entry_same_user"
OTHER_TYPIST = "entry_taken"
ALREADY_FINALISED = "entry_already_finalised"
NO_FIRST_ENTRY = "first_entry_not_finalised"
AWAITING_COORDINATOR = "entries_different"
IS_DEFINITIVE = "definitive"
NOT_DIFFERENT = "nothing_to_resolve"
OWN_ENTRY = "coordinator_typed_entry"
BAD_ENTRY_NUMBER = "entry_number"
NOTHING_TO_DISCARD = "nothing_to_discard"


def _refuse(code: str, message: str):
    raise TransitionError(message, code)


def _slot(status: Status, n: int, user: int) -> None:
    """May `user` type entry number `n` now? Raises the named refusal if not."""
    s = status.state
    if n not in (1, 2):
        _refuse(BAD_ENTRY_NUMBER, f"entry number must be 1 or 2, not {n}")
    if s == State.DEFINITIVE:
        _refuse(IS_DEFINITIVE, "the protocol is definitive: it changes only by an amendment")
    if s == State.DIFFERENT:
        _refuse(AWAITING_COORDINATOR, "the two entries differ: a coordinator must resolve them")
    if n == 1:
        if s == State.FIRST_IN_PROGRESS and status.first.user != user:
            _refuse(OTHER_TYPIST, "the first entry is being typed by another user")
        if s in (State.FIRST_FINALISED, State.SECOND_IN_PROGRESS):
            _refuse(ALREADY_FINALISED, "the first entry is already finalised")
        return
    if s in (State.EMPTY, State.FIRST_IN_PROGRESS):
        _refuse(NO_FIRST_ENTRY, "the second entry needs a finalised first entry")
    if status.first.user == user:
        _refuse(SAME_USER, "the second entry needs a different user from the first")
    if s == State.SECOND_IN_PROGRESS and status.second.user != user:
        _refuse(OTHER_TYPIST, "the second entry is being typed by another user")


def save_draft(status: Status, n: int, user: int, figures: dict, choices: dict) -> Outcome:
    """Keep what has been typed so far (not checked: it may be incomplete)."""
    _slot(status, n, user)
    draft = Entry(user, figures, choices)
    if n == 1:
        return Outcome(Status(State.FIRST_IN_PROGRESS, draft, None), "draft_saved")
    return Outcome(Status(State.SECOND_IN_PROGRESS, status.first, draft), "draft_saved")


def discard(status: Status, n: int, user: int) -> Outcome:
    """Drop one's own unfinished entry."""
    mine = status.first if n == 1 else status.second
    in_progress = {1: State.FIRST_IN_PROGRESS, 2: State.SECOND_IN_PROGRESS}.get(n)
    if status.state != in_progress or mine is None or mine.user != user:
        _refuse(NOTHING_TO_DISCARD, f"there is no unfinished entry {n} of yours to discard")
    if n == 1:
        return Outcome(Status(), "entry_discarded")
    return Outcome(Status(State.FIRST_FINALISED, status.first, None), "entry_discarded")


def acknowledge_check(findings: list[Finding], acknowledged) -> tuple[str, ...]:
    """Errors block; every warning must be acknowledged. Returns the acknowledged codes that
    apply (acknowledging a warning that is not raised is harmless and not stored)."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise EntryRejected(
            "the entry has errors: " + ", ".join(f.code for f in errors) + " (correct the "
            "figures, or, if the paper protocol says so, have the commission correct it)",
            "entry_has_errors", findings=[f.to_json() for f in findings])
    warnings = [f.code for f in findings if f.severity == "warning"]
    missing = [c for c in warnings if c not in set(acknowledged or ())]
    if missing:
        raise EntryRejected("warnings must be acknowledged: " + ", ".join(missing),
                            "warnings_not_acknowledged",
                            findings=[f.to_json() for f in findings])
    return tuple(warnings)


def differences(a: Entry, b: Entry) -> tuple[str, ...]:
    """Field-by-field comparison: the paths that differ (`figures.lost`, `choices.amanat`)."""
    out = []
    for part in ("figures", "choices"):
        x, y = getattr(a, part), getattr(b, part)
        out += [f"{part}.{k}" for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    return tuple(out)


def finalise(status: Status, n: int, user: int, figures: dict, choices: dict,
             findings: list[Finding], acknowledged=()) -> Outcome:
    """Finish entry `n` with validated figures and the findings of the control relations."""
    _slot(status, n, user)
    acks = acknowledge_check(findings, acknowledged)
    done = Entry(user, figures, choices, acks, True)
    if n == 1:
        return Outcome(Status(State.FIRST_FINALISED, done, None), "first_finalised")
    diff = differences(status.first, done)
    if not diff:
        return Outcome(Status(State.DEFINITIVE, status.first, done), "definitive", status.first)
    return Outcome(Status(State.DIFFERENT, status.first, done), "entries_different",
                   differences=diff)


ACCEPT_FIRST, ACCEPT_SECOND = "accept_first", "accept_second"
RETURN_FIRST, RETURN_SECOND = "return_first", "return_second"
RESOLUTIONS = (ACCEPT_FIRST, ACCEPT_SECOND, RETURN_FIRST, RETURN_SECOND)


def resolve(status: Status, coordinator: int, action: str) -> Outcome:
    """A coordinator settles differing entries: accept one as definitive, or return one to its
    typist, who corrects it against the other (kept as the finalised first entry)."""
    if status.state != State.DIFFERENT:
        _refuse(NOT_DIFFERENT, f"nothing to resolve: the entry is {status.state.value}")
    if action not in RESOLUTIONS:
        _refuse("resolution", f"action must be one of {', '.join(RESOLUTIONS)}, not {action!r}")
    if coordinator in (status.first.user, status.second.user):
        _refuse(OWN_ENTRY, "a coordinator cannot resolve entries they typed themselves")
    if action == ACCEPT_FIRST:
        return Outcome(replace(status, state=State.DEFINITIVE), "definitive", status.first)
    if action == ACCEPT_SECOND:
        return Outcome(replace(status, state=State.DEFINITIVE), "definitive", status.second)
    kept, returned = ((status.second, status.first) if action == RETURN_FIRST
                      else (status.first, status.second))
    return Outcome(Status(State.SECOND_IN_PROGRESS, kept, replace(returned, finalised=False)),
                   "entry_returned")
