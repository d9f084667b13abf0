"""The publisher (`follow`) goes on through what once ended it or left it lame: a lane that dies
(kill -9, out of memory) is started again (the batches write the log meanwhile, but nobody else
asks the witnesses to cosign it or rewrites the tables of the whole country), and a database
that does not answer in time is said and asked again next round."""

import subprocess
import sys

import pytest

from sailau.publish.pipeline import publisher


def test_an_ended_lane_is_started_again_and_a_running_one_is_kept(monkeypatch):
    started, said = [], []
    monkeypatch.setattr(publisher, "_start_lane",
                        lambda ids, which="--national-lane": started.append(which) or "new")
    ended = subprocess.Popen([sys.executable, "-c", "raise SystemExit(9)"])
    ended.wait()
    assert publisher._restarted(ended, None, "--log-lane", lambda text, **kw: said.append(text)) == "new"
    assert started == ["--log-lane"] and "exit 9" in said[0]
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert publisher._restarted(running, None, "--national-lane", lambda text, **kw: said.append(text)) is running
        assert publisher._restarted(None, None, "--national-lane", lambda text, **kw: said.append(text)) is None
    finally:
        running.kill()
        running.wait()
    assert started == ["--log-lane"]


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_said_and_the_publisher_goes_on(
        snapshot_dir, monkeypatch):
    """SQLite's write lock busy past its timeout under load (or a dropped PostgreSQL
    connection) once ended `follow`, and every file of the night with it."""
    from django.db import OperationalError

    from tests.factories import ElectionFactory

    election = ElectionFactory()
    calls, said, rounds = [], [], []

    def publish_changes(eid, **kw):
        calls.append(eid)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    real_mark = publisher.change_mark

    def change_mark():
        if len(rounds) == 2:
            raise OperationalError("database is locked")
        return (real_mark(), len(rounds))  # something moved every round

    monkeypatch.setattr(publisher, "publish_changes", publish_changes)
    monkeypatch.setattr(publisher, "change_mark", change_mark)
    publisher.follow([election.id], stop=lambda: rounds.append(1) or len(rounds) > 5,
                     poll=0.01, lane=False, say=lambda text, **_: said.append(text))
    assert len(calls) >= 2, said  # published again after the failed round
    assert any("database is locked; publishing again" in s for s in said), said
    assert any("the database did not answer" in s for s in said), said
