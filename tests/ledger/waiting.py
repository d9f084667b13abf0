"""A stage's or the writer's wait for a wake-up, in a thread of its own, for the tests that count
wake-ups: `woken` is set once `inbox.wait(fallback)` returns, `got` is what it returned."""

import threading

FALLBACK = 60.0  # the fallback in these tests: a wake-up is what ends a wait, never the clock


class Waiting:
    def __init__(self, inbox, fallback: float = FALLBACK):
        self.inbox, self.fallback, self.got = inbox, fallback, None
        self.woken = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        self.got = self.inbox.wait(self.fallback)
        self.woken.set()
