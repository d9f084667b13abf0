"""The double-entry state machine on its own (no database)."""

import pytest

from sailau.law import Finding
from sailau.protocols import entry
from sailau.protocols.entry import Empty, State
from sailau.protocols.errors import EntryRejected, TransitionError

FIG = {"a": 1, "b": 2}
CHO = {"x": 3}
WARN = Finding("W201", "warning", ("a",), {"kk": "", "ru": "", "en": "more found than issued"})
ERR = Finding("F101", "error", ("a",), {"kk": "", "ru": "", "en": "ballots do not add up"})


def first_done(user=1):
    return entry.finalise(Empty(), 1, user, FIG, CHO, []).status


def refused(code, fn, *args):
    with pytest.raises(TransitionError) as exc:
        fn(*args)
    assert exc.value.code == code
    return exc.value


def test_equal_entries_become_definitive():
    s = entry.save_draft(Empty(), 1, 1, {"a": "1"}, {}).status
    assert s.state == State.FIRST_IN_PROGRESS
    s = entry.finalise(s, 1, 1, FIG, CHO, []).status
    assert s.state == State.FIRST_FINALISED
    s = entry.save_draft(s, 2, 2, {"a": 1}, {}).status
    assert s.state == State.SECOND_IN_PROGRESS
    out = entry.finalise(s, 2, 2, dict(FIG), dict(CHO), [])
    assert out.status.state == State.DEFINITIVE and out.event == "definitive"
    assert out.accepted.figures == FIG


def test_second_entry_needs_a_different_user():
    err = refused(entry.SAME_USER, entry.finalise, first_done(7), 2, 7, FIG, CHO, [])
    assert isinstance(err, entry.SecondEntrySameUser) and "different user" in err.message


def test_entry_of_another_typist_is_refused():
    s = entry.save_draft(Empty(), 1, 1, {}, {}).status
    refused(entry.OTHER_TYPIST, entry.save_draft, s, 1, 2, {}, {})
    s = entry.save_draft(first_done(1), 2, 2, {}, {}).status
    refused(entry.OTHER_TYPIST, entry.finalise, s, 2, 3, FIG, CHO, [])


def test_order_of_entries():
    refused(entry.NO_FIRST_ENTRY, entry.save_draft, Empty(), 2, 1, {}, {})
    refused(entry.ALREADY_FINALISED, entry.save_draft, first_done(), 1, 1, {}, {})
    refused(entry.BAD_ENTRY_NUMBER, entry.save_draft, Empty(), 3, 1, {}, {})


def test_different_entries_wait_for_a_coordinator():
    out = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, [])
    assert out.status.state == State.DIFFERENT
    assert out.differences == ("figures.b",)
    refused(entry.AWAITING_COORDINATOR, entry.save_draft, out.status, 2, 2, {}, {})
    refused(entry.OWN_ENTRY, entry.resolve, out.status, 2, entry.ACCEPT_FIRST)
    done = entry.resolve(out.status, 9, entry.ACCEPT_SECOND)
    assert done.status.state == State.DEFINITIVE and done.accepted.figures["b"] == 5
    refused(entry.IS_DEFINITIVE, entry.save_draft, done.status, 1, 1, {}, {})


def test_returned_entry_goes_back_to_its_typist_under_its_own_number():
    diff = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, []).status
    back = entry.resolve(diff, 9, entry.RETURN_FIRST).status
    # Entry 2 stands; typist 1 corrects entry 1, still as entry 1, starting from what they typed.
    assert back == entry.FirstReturned(entry.Draft(1, FIG, CHO), diff.second)
    refused(entry.OTHER_TYPIST, entry.finalise, back, 1, 3, FIG, CHO, [])
    refused(entry.ALREADY_FINALISED, entry.finalise, back, 2, 1, FIG, CHO, [])
    refused(entry.NOTHING_TO_DISCARD, entry.discard, back, 1, 1)
    back = entry.save_draft(back, 1, 1, {"a": 1}, {}).status
    assert back.state == State.FIRST_RETURNED
    out = entry.finalise(back, 1, 1, {"a": 1, "b": 5}, CHO, [])
    assert out.status == entry.Definitive(entry.Entry(1, {"a": 1, "b": 5}, CHO), diff.second)


def test_returned_second_entry_is_corrected_by_its_typist():
    diff = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, []).status
    back = entry.resolve(diff, 9, entry.RETURN_SECOND).status
    assert back == entry.SecondReturned(diff.first, entry.Draft(2, {"a": 1, "b": 5}, CHO))
    refused(entry.OTHER_TYPIST, entry.save_draft, back, 2, 3, {}, {})
    refused(entry.SAME_USER, entry.save_draft, back, 2, 1, {}, {})
    out = entry.resolve(entry.finalise(back, 2, 2, {"a": 1, "b": 6}, CHO, []).status, 9,
                        entry.ACCEPT_SECOND)
    assert out.status.accepted == 2 and out.status.resolved_by == 9
    assert out.accepted.figures == {"a": 1, "b": 6}


def test_states_survive_storage():
    diff = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, []).status
    for s in (Empty(), first_done(), diff, entry.resolve(diff, 9, entry.RETURN_FIRST).status,
              entry.resolve(diff, 9, entry.ACCEPT_SECOND).status):
        first, second = entry.entries(s)
        stored = (s.state.value, first and first.to_json(), second and second.to_json(),
                  getattr(s, "accepted", None), getattr(s, "resolved_by", None))
        assert entry.load(*stored) == s


def test_errors_block_and_warnings_need_acknowledgement():
    with pytest.raises(EntryRejected) as exc:
        entry.finalise(Empty(), 1, 1, FIG, CHO, [ERR, WARN], ["F101", "W201"])
    assert exc.value.code == "entry_has_errors"
    with pytest.raises(EntryRejected) as exc:
        entry.finalise(Empty(), 1, 1, FIG, CHO, [WARN], [])
    assert exc.value.code == "warnings_not_acknowledged"
    out = entry.finalise(Empty(), 1, 1, FIG, CHO, [WARN], ["W201", "W999"])
    assert out.status.first.acknowledged == ("W201",)  # only what was raised is stored


def test_discard_own_unfinished_entry_only():
    s = entry.save_draft(Empty(), 1, 1, {}, {}).status
    refused(entry.NOTHING_TO_DISCARD, entry.discard, s, 1, 2)
    assert entry.discard(s, 1, 1).status == Empty()
    s2 = entry.save_draft(first_done(1), 2, 2, {}, {}).status
    assert entry.discard(s2, 2, 2).status.state == State.FIRST_FINALISED


def test_resolve_needs_differing_entries():
    refused(entry.NOT_DIFFERENT, entry.resolve, first_done(), 9, entry.ACCEPT_FIRST)
