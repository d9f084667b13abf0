"""The national lane as a whole takes at most 1/LANE_COST_FACTOR of a core: woken without end
(a batch's snapshot every moment) and with work each round, it rests (factor - 1) times its
round's time before the next, instead of running round after round."""

import threading
import time

from sailau.publish.pipeline import national_lane as lane


class _AlwaysWoken:
    def wait(self, timeout):  # a wake-up is always waiting
        return {"e"}

    def close(self):
        pass


def test_a_lane_woken_without_end_keeps_to_its_share_of_a_core(monkeypatch):
    rounds = []

    def a_round(eid, national):
        rounds.append(time.perf_counter())
        time.sleep(0.05)  # a round's work
        return None, {}
    monkeypatch.setattr(lane.wake, "StageInbox", lambda stage: _AlwaysWoken())
    monkeypatch.setattr(lane.chores, "elections", lambda ids: ["e"])
    monkeypatch.setattr(lane.chores, "prune_now", lambda ids, last, say: last)
    monkeypatch.setattr(lane, "rewrite_national", a_round)
    monkeypatch.setattr(lane, "_next_due", lambda eid, national: 1.0)
    done = threading.Event()
    t = threading.Thread(target=lane._national_lane, args=(["e"], done, 1.0, print))
    t.start()
    time.sleep(1.5)
    done.set()
    t.join(5)
    # At 0.05 s a round and a factor of 3: a round every 0.15 s at most, about 10 in 1.5 s; run
    # round after round it was about 30.
    assert 2 <= len(rounds) <= 1.5 / (0.05 * lane.LANE_COST_FACTOR) + 2, len(rounds)
