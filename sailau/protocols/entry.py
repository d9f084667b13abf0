"""Double entry as an explicit state machine, after kiesraad/abacus. Pure Python: the service
layer loads a state, calls one transition, and stores what comes back.

Each state is a frozen dataclass holding only what is valid in it: `FirstDone` has a finalised
first entry and no second, `Different` has two finalised entries, and so on. A transition takes
a state and returns an `Outcome` with the next one; `match` picks the case, so a state that a
transition does not expect is refused, never read as if its entries were there. Entry numbers
are kept: an entry returned by a coordinator is corrected in `FirstReturned`/`SecondReturned`,
still as entry 1 or 2, by the same typist. The diagram is in docs/protocol-states.md.

Each refusal is a `TransitionError` with a stable code, e.g. `second_entry_same_user`."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from sailau.errors import Code
from sailau.law import Finding
from sailau.protocols.errors import EntryRejected, TransitionError


class State(StrEnum):
    """The stored names of the states (the `state` column of a data-entry row)."""

    EMPTY = "empty"
    FIRST_IN_PROGRESS = "first_entry_in_progress"
    FIRST_FINALISED = "first_entry_finalised"
    SECOND_IN_PROGRESS = "second_entry_in_progress"
    DIFFERENT = "entries_different"
    FIRST_RETURNED = "first_entry_returned"
    SECOND_RETURNED = "second_entry_returned"
    DEFINITIVE = "definitive"


@dataclass(frozen=True)
class Draft:
    """An unfinished entry: what has been typed so far, unchecked (cells may be text)."""

    user: int
    figures: dict
    choices: dict

    def to_json(self) -> dict:
        return {"user": self.user, "figures": self.figures, "choices": self.choices,
                "acknowledged": [], "finalised": False}


@dataclass(frozen=True)
class Entry:
    """A finalised entry: validated counts and the warnings its typist acknowledged."""

    user: int
    figures: dict
    choices: dict
    acknowledged: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"user": self.user, "figures": self.figures, "choices": self.choices,
                "acknowledged": list(self.acknowledged), "finalised": True}

    def reopened(self) -> Draft:
        """The entry back in its typist's hands, with what they typed before."""
        return Draft(self.user, self.figures, self.choices)


def from_json(d: dict | None) -> Draft | Entry | None:
    if d is None:
        return None
    if d.get("finalised"):
        return Entry(d["user"], d["figures"], d["choices"], tuple(d.get("acknowledged", ())))
    return Draft(d["user"], d["figures"], d["choices"])


# -- the states ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Empty:
    state: ClassVar[State] = State.EMPTY


@dataclass(frozen=True)
class FirstInProgress:
    first: Draft
    state: ClassVar[State] = State.FIRST_IN_PROGRESS


@dataclass(frozen=True)
class FirstDone:
    first: Entry
    state: ClassVar[State] = State.FIRST_FINALISED


# Two states may hold the same fields and differ in what may happen next: they share a
# private base for the fields, and are siblings, so that `case SecondInProgress()` never matches
# a `SecondReturned`.
@dataclass(frozen=True)
class _SecondOpen:
    first: Entry
    second: Draft


@dataclass(frozen=True)
class _BothDone:
    first: Entry
    second: Entry


@dataclass(frozen=True)
class SecondInProgress(_SecondOpen):
    state: ClassVar[State] = State.SECOND_IN_PROGRESS


@dataclass(frozen=True)
class SecondReturned(_SecondOpen):
    """A coordinator returned entry 2 to its typist, who corrects it; entry 1 stands."""

    state: ClassVar[State] = State.SECOND_RETURNED


@dataclass(frozen=True)
class Different(_BothDone):
    state: ClassVar[State] = State.DIFFERENT


@dataclass(frozen=True)
class FirstReturned:
    """A coordinator returned entry 1 to its typist, who corrects it; entry 2 stands."""

    first: Draft
    second: Entry
    state: ClassVar[State] = State.FIRST_RETURNED


@dataclass(frozen=True)
class Definitive(_BothDone):
    """Both entries, by two typists. `accepted` is the entry that became the protocol (1 when
    they are equal); `resolved_by` is the coordinator who accepted it, None when equal."""

    accepted: int = 1
    resolved_by: int | None = None
    state: ClassVar[State] = State.DEFINITIVE

    @property
    def protocol(self) -> Entry:
        return self.first if self.accepted == 1 else self.second


Status = (Empty | FirstInProgress | FirstDone | SecondInProgress | Different | FirstReturned
          | SecondReturned | Definitive)
STATES: dict[State, type] = {cls.state: cls for cls in (
    Empty, FirstInProgress, FirstDone, SecondInProgress, Different, FirstReturned,
    SecondReturned, Definitive)}


def load(state: str, first: dict | None, second: dict | None, accepted: int | None = None,
         resolved_by: int | None = None) -> Status:
    """A state from its stored form (the columns of a data-entry row)."""
    cls = STATES[State(state)]
    if cls is Empty:
        return Empty()
    if cls in (FirstInProgress, FirstDone):
        return cls(from_json(first))
    if cls is Definitive:
        return Definitive(from_json(first), from_json(second), accepted or 1, resolved_by)
    return cls(from_json(first), from_json(second))


def entries(status: Status) -> tuple[Draft | Entry | None, Draft | Entry | None]:
    """(entry 1, entry 2) as far as the state has them."""
    return getattr(status, "first", None), getattr(status, "second", None)


@dataclass(frozen=True)
class Outcome:
    status: Status
    event: str  # draft_saved, first_finalised, definitive, entries_different, ...
    accepted: Entry | None = None  # the entry that became definitive
    differences: tuple[str, ...] = field(default=())


# -- refusals --------------------------------------------------------------------------------
SAME_USER = Code.SECOND_ENTRY_SAME_USER
OTHER_TYPIST = Code.ENTRY_TAKEN
ALREADY_FINALISED = Code.ENTRY_ALREADY_FINALISED
NO_FIRST_ENTRY = Code.FIRST_ENTRY_NOT_FINALISED
AWAITING_COORDINATOR = Code.ENTRIES_DIFFERENT
IS_DEFINITIVE = Code.DEFINITIVE
NOT_DIFFERENT = Code.NOTHING_TO_RESOLVE
OWN_ENTRY = Code.COORDINATOR_TYPED_ENTRY
BAD_ENTRY_NUMBER = Code.ENTRY_NUMBER
NOTHING_TO_DISCARD = Code.NOTHING_TO_DISCARD
BAD_RESOLUTION = Code.RESOLUTION


class SecondEntrySameUser(TransitionError):
    """The second entry must be typed by someone other than the first typist: that is what
    makes it a check."""

    code = SAME_USER


def _refuse(code: str, message: str):
    raise TransitionError(message=message, code=code)


def _typing(status: Status, n: int, user: int) -> Draft | Entry | None:
    """May `user` type entry number `n` now? Returns the entry they continue (None for a new
    one), or raises the named refusal."""
    if n not in (1, 2):
        _refuse(BAD_ENTRY_NUMBER, f"entry number must be 1 or 2, not {n}")
    match status, n:
        case Definitive(), _:
            _refuse(IS_DEFINITIVE, "the protocol is definitive: it changes only by an amendment")
        case Different(), _:
            _refuse(AWAITING_COORDINATOR, "the two entries differ: a coordinator must resolve "
                                          "them")
        case Empty(), 1:
            return None
        case (FirstInProgress(first=mine) | FirstReturned(first=mine)), 1:
            if mine.user != user:
                _refuse(OTHER_TYPIST, "entry 1 is being typed by another user")
            return mine
        case (FirstDone() | SecondInProgress() | SecondReturned()), 1:
            _refuse(ALREADY_FINALISED, "the first entry is already finalised")
        case (Empty() | FirstInProgress()), 2:
            _refuse(NO_FIRST_ENTRY, "the second entry needs a finalised first entry")
        case FirstReturned(), 2:
            _refuse(ALREADY_FINALISED, "the second entry stands; entry 1 is being corrected")
        case (FirstDone(first=first) | SecondInProgress(first=first)
              | SecondReturned(first=first)), 2:
            if first.user == user:
                raise SecondEntrySameUser(
                    message="the second entry needs a different user from the first")
            mine = getattr(status, "second", None)
            if mine is not None and mine.user != user:
                _refuse(OTHER_TYPIST, "entry 2 is being typed by another user")
            return mine
    raise AssertionError(f"unhandled {status!r}, entry {n}")  # pragma: no cover


def save_draft(status: Status, n: int, user: int, figures: dict, choices: dict) -> Outcome:
    """Keep what has been typed so far (not checked: it may be incomplete)."""
    _typing(status, n, user)
    draft = Draft(user, figures, choices)
    match status:
        case Empty() | FirstInProgress():
            return Outcome(FirstInProgress(draft), "draft_saved")
        case FirstReturned(second=second):
            return Outcome(FirstReturned(draft, second), "draft_saved")
        case FirstDone(first=first) | SecondInProgress(first=first):
            return Outcome(SecondInProgress(first, draft), "draft_saved")
        case SecondReturned(first=first):
            return Outcome(SecondReturned(first, draft), "draft_saved")
    raise AssertionError(f"unhandled {status!r}")  # pragma: no cover


def discard(status: Status, n: int, user: int) -> Outcome:
    """Drop one's own unfinished entry. An entry returned for correction is corrected, not
    discarded: the other entry was typed against it."""
    match status, n:
        case FirstInProgress(first=mine), 1 if mine.user == user:
            return Outcome(Empty(), "entry_discarded")
        case SecondInProgress(first=first, second=mine), 2 if mine.user == user:
            return Outcome(FirstDone(first), "entry_discarded")
    _refuse(NOTHING_TO_DISCARD, f"there is no unfinished entry {n} of yours to discard")


def acknowledge_check(findings: list[Finding], acknowledged) -> tuple[str, ...]:
    """Errors block; every warning must be acknowledged. Returns the acknowledged codes that
    apply (acknowledging a warning that is not raised is harmless and not stored)."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise EntryRejected(
            message="the entry has errors: " + ", ".join(f.code for f in errors) + " (correct the "
                    "figures, or, if the paper protocol says so, have the commission correct it)",
            code=Code.ENTRY_HAS_ERRORS, detail={"findings": [f.to_json() for f in findings]})
    warnings = [f.code for f in findings if f.severity == "warning"]
    missing = [c for c in warnings if c not in set(acknowledged or ())]
    if missing:
        raise EntryRejected(message="warnings must be acknowledged: " + ", ".join(missing),
                            code=Code.WARNINGS_NOT_ACKNOWLEDGED,
                            detail={"findings": [f.to_json() for f in findings]})
    return tuple(warnings)


def differences(a: Draft | Entry, b: Draft | Entry) -> tuple[str, ...]:
    """Field-by-field comparison: the paths that differ (`figures.lost`, `choices.amanat`)."""
    out = []
    for part in ("figures", "choices"):
        x, y = getattr(a, part), getattr(b, part)
        out += [f"{part}.{k}" for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    return tuple(out)


def _compared(first: Entry, second: Entry) -> Outcome:
    diff = differences(first, second)
    if not diff:
        return Outcome(Definitive(first, second), "definitive", first)
    return Outcome(Different(first, second), "entries_different", differences=diff)


def finalise(status: Status, n: int, user: int, figures: dict, choices: dict,
             findings: list[Finding], acknowledged=()) -> Outcome:
    """Finish entry `n` with validated figures and the findings of the control relations."""
    _typing(status, n, user)
    done = Entry(user, figures, choices, acknowledge_check(findings, acknowledged))
    match status:
        case Empty() | FirstInProgress():
            return Outcome(FirstDone(done), "first_finalised")
        case FirstReturned(second=second):
            return _compared(done, second)
        case FirstDone(first=first) | SecondInProgress(first=first) | SecondReturned(first=first):
            return _compared(first, done)
    raise AssertionError(f"unhandled {status!r}")  # pragma: no cover


ACCEPT_FIRST, ACCEPT_SECOND = "accept_first", "accept_second"
RETURN_FIRST, RETURN_SECOND = "return_first", "return_second"
RESOLUTIONS = (ACCEPT_FIRST, ACCEPT_SECOND, RETURN_FIRST, RETURN_SECOND)


def resolve(status: Status, coordinator: int, action: str) -> Outcome:
    """A coordinator settles differing entries: accept one as definitive, or return one to its
    typist, who corrects it as the same entry number while the other stands."""
    match status:
        case Different(first=first, second=second):
            pass
        case _:
            _refuse(NOT_DIFFERENT, f"nothing to resolve: the entry is {status.state.value}")
    if action not in RESOLUTIONS:
        _refuse(BAD_RESOLUTION, f"action must be one of {', '.join(RESOLUTIONS)}, not "
                                f"{action!r}")
    if coordinator in (first.user, second.user):
        _refuse(OWN_ENTRY, "a coordinator cannot resolve entries they typed themselves")
    match action:
        case "accept_first":
            return Outcome(Definitive(first, second, 1, coordinator), "definitive", first)
        case "accept_second":
            return Outcome(Definitive(first, second, 2, coordinator), "definitive", second)
        case "return_first":
            return Outcome(FirstReturned(first.reopened(), second), "entry_returned")
        case _:
            return Outcome(SecondReturned(first, second.reopened()), "entry_returned")
