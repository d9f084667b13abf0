"""A lane of the publisher that dies (kill -9, out of memory) is started again by `follow`: the
batches write the log meanwhile, but nobody else asks the witnesses to cosign it or rewrites the
tables of the whole country."""

import subprocess
import sys

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
