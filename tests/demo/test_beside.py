"""A part of the demo's build run in a process of its own (`sailau.demo.beside`): what it says
is said when it ends, in the build's order; a part that fails fails the build."""

import pytest

from sailau.demo import beside


def test_what_a_part_says_is_said_when_it_ends():
    said = []
    beside.later("platform", []).run().finish(say=lambda line, **_: said.append(line))
    assert len(said) == 1 and said[0]


def test_a_part_that_fails_fails_the_build():
    part = beside.later("sailau.demo.no_such_part", []).run()
    with pytest.raises(RuntimeError, match="no_such_part failed"):
        part.finish()


def test_a_part_named_first_runs_only_when_asked_and_stops_unrun():
    part = beside.later("platform", [])
    assert part.proc is None
    part.stop()  # the build failed before the part was begun: nothing to stop
    said = []
    beside.later("platform", []).run().finish(say=lambda line, **_: said.append(line))
    assert len(said) == 1 and said[0]
