"""A second publisher says it is waiting for the publication lock, instead of waiting silently,
and says when it has it."""

import pytest

from sailau.publish.pipeline import publisher
from sailau.publish.storage import publisher_state
from tests.factories import ElectionFactory

pytestmark = pytest.mark.django_db


def test_a_second_publisher_says_it_waits_for_the_lock_and_when_it_has_it(snapshot_dir,
                                                                         monkeypatch):
    from sailau.publish.pipeline import batches

    monkeypatch.setattr(batches, "LOCK_PATIENCE", 0)  # given up at once: the rounds counted
    election = ElectionFactory()
    said, rounds = [], []
    held = publisher_state.exclusive(election.id)
    assert held.__enter__()  # another publisher's lock

    def stop():
        rounds.append(1)
        if len(rounds) == 4:
            held.__exit__(None, None, None)  # ... which it lets go
        return len(rounds) > 6

    publisher.follow([election.id], stop=stop, poll=0.01, lane=False,
                     say=lambda text, **_: said.append(text))
    waiting = [s for s in said if "waiting for the publication lock" in s]
    assert len(waiting) == 1 and election.id in waiting[0], said
    assert any("lock is free; publishing" in s for s in said), said
