"""The double-entry state machine on its own (no database)."""

import pytest

from sailau.law import Finding
from sailau.protocols import entry
from sailau.protocols.entry import State, Status
from sailau.protocols.errors import EntryRejected, TransitionError

FIG = {"a": 1, "b": 2}
CHO = {"x": 3}
WARN = Finding("W201", "warning", ("a",), {"kk": "", "ru": "", "en": "more found than issued"})
ERR = Finding("F101", "error", ("a",), {"kk": "", "ru": "", "en": "ballots do not add up"})


def first_done(user=1):
    return entry.finalise(Status(), 1, user, FIG, CHO, []).status


def refused(code, fn, *args):
    with pytest.raises(TransitionError) as exc:
        fn(*args)
    assert exc.value.code == code
    return exc.value


def test_equal_entries_become_definitive():
    s = entry.save_draft(Status(), 1, 1, {"a": "1"}, {}).status
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
    assert "different user" in err.message


def test_entry_of_another_typist_is_refused():
    s = entry.save_draft(Status(), 1, 1, {}, {}).status
    refused(entry.OTHER_TYPIST, entry.save_draft, s, 1, 2, {}, {})
    s = entry.save_draft(first_done(1), 2, 2, {}, {}).status
    refused(entry.OTHER_TYPIST, entry.finalise, s, 2, 3, FIG, CHO, [])


def test_order_of_entries():
    refused(entry.NO_FIRST_ENTRY, entry.save_draft, Status(), 2, 1, {}, {})
    refused(entry.ALREADY_FINALISED, entry.save_draft, first_done(), 1, 1, {}, {})
    refused(entry.BAD_ENTRY_NUMBER, entry.save_draft, Status(), 3, 1, {}, {})


def test_different_entries_wait_for_a_coordinator():
    out = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, [])
    assert out.status.state == State.DIFFERENT
    assert out.differences == ("figures.b",)
    refused(entry.AWAITING_COORDINATOR, entry.save_draft, out.status, 2, 2, {}, {})
    refused(entry.OWN_ENTRY, entry.resolve, out.status, 2, entry.ACCEPT_FIRST)
    done = entry.resolve(out.status, 9, entry.ACCEPT_SECOND)
    assert done.status.state == State.DEFINITIVE and done.accepted.figures["b"] == 5
    refused(entry.IS_DEFINITIVE, entry.save_draft, done.status, 1, 1, {}, {})


def test_returned_entry_goes_back_to_its_typist():
    diff = entry.finalise(first_done(1), 2, 2, {"a": 1, "b": 5}, CHO, []).status
    back = entry.resolve(diff, 9, entry.RETURN_FIRST).status
    # The second entry is kept as the reference; typist 1 types again, as entry 2.
    assert back.state == State.SECOND_IN_PROGRESS
    assert back.first.user == 2 and back.first.finalised
    assert back.second.user == 1 and not back.second.finalised
    refused(entry.OTHER_TYPIST, entry.finalise, back, 2, 3, FIG, CHO, [])
    out = entry.finalise(back, 2, 1, {"a": 1, "b": 5}, CHO, [])
    assert out.status.state == State.DEFINITIVE


def test_errors_block_and_warnings_need_acknowledgement():
    with pytest.raises(EntryRejected) as exc:
        entry.finalise(Status(), 1, 1, FIG, CHO, [ERR, WARN], ["F101", "W201"])
    assert exc.value.code == "entry_has_errors"
    with pytest.raises(EntryRejected) as exc:
        entry.finalise(Status(), 1, 1, FIG, CHO, [WARN], [])
    assert exc.value.code == "warnings_not_acknowledged"
    out = entry.finalise(Status(), 1, 1, FIG, CHO, [WARN], ["W201", "W999"])
    assert out.status.first.acknowledged == ("W201",)  # only what was raised is stored


def test_discard_own_unfinished_entry_only():
    s = entry.save_draft(Status(), 1, 1, {}, {}).status
    refused(entry.NOTHING_TO_DISCARD, entry.discard, s, 1, 2)
    assert entry.discard(s, 1, 1).status == Status()
    s2 = entry.save_draft(first_done(1), 2, 2, {}, {}).status
    assert entry.discard(s2, 2, 2).status.state == State.FIRST_FINALISED


def test_resolve_needs_differing_entries():
    refused(entry.NOT_DIFFERENT, entry.resolve, first_done(), 9, entry.ACCEPT_FIRST)
