"""A part of the demo's build that needs nothing of the rest (the Senate election beside the
Mazhilis) run in a process of its own while the build goes on: the machine's second core at
work on it, rather than after everything else.

Why a new program and not a fork: Django's database connections are not fork-safe, and the
build holds one. The part is `python -m MODULE ARGS`, which sets Django up itself; its output is
kept in a file and said by the build when the part ends (`finish`), so the build's lines stay in
their order. The kernel kills it if the build dies (`kill -9`), so a next `sailau demo`, which
builds again from the start, never finds it still writing. SQLite lets one writer at a time:
the part waits for the build's transactions (`LOCK_WAIT`), and its own are short."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

# Seconds a part waits for SQLite's write lock (the server's setting is 30): the build's
# longest transactions (the structure, the keys of ten thousand commissions) hold it for
# several seconds each, one after another.
LOCK_WAIT = 600
ENV_LOCK_WAIT = "SAILAU_BUILD_LOCK_WAIT"  # read by `setup`, in the part's process
ENV_BULK = "SAILAU_BUILD_BULK"  # the build fills a brand-new file: the part does too


class Part:
    """One part of the build, run beside it from `run`, to `finish` or `stop`. Named before it
    runs (`later`), so that the build can begin it when the other core is free and still stop
    it, or finish it, wherever it fails or ends."""

    def __init__(self, module: str, args: list[str]):
        self.module, self.args, self.proc, self.out = module, args, None, None

    def run(self) -> Part:
        from sailau.background import kill_me_with_parent
        from sailau.sqlitedb import building

        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish or stop
        env = {**os.environ, ENV_LOCK_WAIT: str(LOCK_WAIT),
               **({ENV_BULK: "1"} if building.active() else {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, *self.args], env=env, stdout=self.out,
            stderr=subprocess.STDOUT, preexec_fn=kill_me_with_parent)  # noqa: PLW1509 - main thread
        return self

    def finish(self, say=print) -> None:
        """Wait for the part and say what it said; a part that failed fails the build."""
        code = self.proc.wait()
        self.out.seek(0)
        text = self.out.read().decode("utf-8", errors="replace")
        self.out.close()
        if code != 0:
            raise RuntimeError(f"{self.module} failed (exit status {code}):\n{text[-3000:]}")
        for line in text.splitlines():
            say(line, flush=True)

    def stop(self) -> None:
        """The build failed: the part is of no use any more (nothing to stop if never run)."""
        from sailau.background import stop_processes

        if self.proc is None:
            return
        stop_processes([self.proc], seconds=2)
        self.out.close()


def later(module: str, args: list[str]) -> Part:
    """A part named now, run when its `run` is called."""
    return Part(module, args)


def setup() -> None:
    """In the part's process: Django set up on the build's database, whose write lock it waits
    for as long as the build may hold it, with the build's pragmas on a brand-new file."""
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    wait = os.environ.get(ENV_LOCK_WAIT)
    if wait:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        if "timeout" in options:  # SQLite's; PostgreSQL waits for its row locks anyway
            options["timeout"] = float(wait)
    django.setup()
    if os.environ.get(ENV_BULK) == "1":
        from sailau.sqlitedb import building

        building.for_this_process()
