"""The double-entry machine driven by hypothesis through random sequences of drafts,
finalisations, discards and resolutions by a handful of users (no database). Whatever the
order, three things hold: a definitive protocol has two different typists whose entries are
equal unless a coordinator who typed neither accepted one; a coordinator never resolves an entry
of their own; and an entry keeps its number and its typist through corrections."""

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sailau.protocols import entry
from sailau.protocols.errors import TransitionError

USERS = st.integers(1, 4)
NUMBERS = st.sampled_from([1, 2])
# Few values, so that two typists often agree and often do not.
FIGURES = st.fixed_dictionaries({"a": st.integers(0, 1), "b": st.integers(0, 1)})


class DoubleEntry(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.status = entry.Empty()
        self.typist: dict[int, int] = {}  # entry number -> who has typed it since it started

    def _typed(self, n: int, user: int, out: entry.Outcome) -> None:
        # Whoever continues an entry is the one who started it, under the same number.
        assert self.typist.setdefault(n, user) == user
        self.status = out.status

    @rule(n=NUMBERS, user=USERS, figures=FIGURES)
    def save_draft(self, n, user, figures):
        try:
            out = entry.save_draft(self.status, n, user, figures, {})
        except TransitionError:
            return
        self._typed(n, user, out)

    @rule(n=NUMBERS, user=USERS, figures=FIGURES)
    def finalise(self, n, user, figures):
        try:
            out = entry.finalise(self.status, n, user, figures, {}, [])
        except TransitionError as exc:
            if isinstance(exc, entry.SecondEntrySameUser):
                assert n == 2 and self.status.first.user == user
            return
        self._typed(n, user, out)
        if isinstance(out.status, entry.Definitive):
            assert out.accepted == out.status.protocol

    @rule(n=NUMBERS, user=USERS)
    def discard(self, n, user):
        try:
            out = entry.discard(self.status, n, user)
        except TransitionError:
            return
        assert self.typist.pop(n) == user
        self.status = out.status

    @rule(coordinator=USERS, action=st.sampled_from(entry.RESOLUTIONS))
    def resolve(self, coordinator, action):
        before = self.status
        try:
            out = entry.resolve(before, coordinator, action)
        except TransitionError:
            return
        assert isinstance(before, entry.Different)
        assert coordinator not in (before.first.user, before.second.user)
        self.status = out.status

    @invariant()
    def entries_keep_their_number_and_typist(self):
        for n, e in enumerate(entry.entries(self.status), start=1):
            if e is not None:
                assert self.typist[n] == e.user
            else:
                assert n not in self.typist

    @invariant()
    def two_typists_whenever_there_are_two_entries(self):
        first, second = entry.entries(self.status)
        if first is not None and second is not None:
            assert first.user != second.user

    @invariant()
    def definitive_means_equal_or_resolved_by_someone_else(self):
        s = self.status
        if isinstance(s, entry.Definitive):
            assert isinstance(s.first, entry.Entry) and isinstance(s.second, entry.Entry)
            if s.resolved_by is None:
                assert entry.differences(s.first, s.second) == () and s.accepted == 1
            else:
                assert s.resolved_by not in (s.first.user, s.second.user)
                assert entry.differences(s.first, s.second) != ()

    @invariant()
    def stored_form_loads_back(self):
        s = self.status
        first, second = entry.entries(s)
        assert entry.load(s.state.value, first and first.to_json(), second and second.to_json(),
                          getattr(s, "accepted", None), getattr(s, "resolved_by", None)) == s


DoubleEntry.TestCase.settings = settings(max_examples=300, stateful_step_count=30,
                                         deadline=None)
TestDoubleEntry = DoubleEntry.TestCase
