"""Slow results recomputed off the request: one thread per job in a process, one process per job
on the machine (a lock file), so that visitors are answered from the last result at once and the
work is never done twice at the same time. The integrity report and the audit log's verification
both use it."""

from __future__ import annotations

import argparse
import fcntl
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

_running: set[str] = set()
_running_lock = threading.Lock()


def run_once(lock: Path, job: Callable[[], object]) -> bool:
    """Run `job` unless another process holds `lock` (then False: that one does the work)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        job()
        return True


def start(name: str, job: Callable[[], object]) -> bool:
    """Run `job` on a thread unless one named `name` is already at it in this process (then
    False). The thread closes its own database connection when done."""
    with _running_lock:
        if name in _running:
            return False
        _running.add(name)

    def run():
        from django.db import connection

        try:
            job()
        finally:
            connection.close()
            with _running_lock:
                _running.discard(name)

    threading.Thread(target=run, daemon=True, name=name).start()
    return True


def kill_me_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (elsewhere: nothing): a child
    process (the publisher, its national lane, a server worker) never outlives a `kill -9` of
    the process that started it, which would otherwise leave it writing beside a restart."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def helper_process(parent: int) -> None:
    """Set up a process a command starts to share its work (`spawn`, so a new program): it dies
    with the command (`kill_me_with_parent`), and has Django without migrating (the command
    has). `parent`: the command's process id, as the command gave it: one read here, once
    this program has started, would be init's if the command was killed meanwhile, and the
    helper would then wait for work for ever."""
    import os

    kill_me_with_parent()
    if os.getppid() != parent:  # the command died before the kernel was asked
        os._exit(1)
    # Django as `sailau.cli.django_setup.setup(migrate=False)` sets it up, from below the
    # commands' layer (tests/test_imports.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    import django

    django.setup()


def helper_pool(workers: int = 1):
    """A pool of `workers` processes set up by `helper_process`, for work a command shares with
    the machine's other core. A new program each (`spawn`), not a fork of the command, which
    holds a database connection. Started at once (a pool starts its processes at its first
    job: it is given one that does nothing), so that Django is set up in them, a second or so,
    while the command goes on to what it does before it has work for them."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=helper_process, initargs=(os.getpid(),))
    for _ in range(workers):
        pool.submit(_ready)
    return pool


def _ready() -> None:
    """A helper process's first job: none (`helper_pool`)."""


def stop_processes(processes, seconds: float = 5) -> None:
    """Stop child processes (`subprocess.Popen`s): SIGTERM to every one still running at once,
    which each takes as "finish what you are doing and end", then SIGKILL to those still
    running `seconds` later, so that stopping never waits for long on one that does not."""
    running = [p for p in processes if p.poll() is None]
    for p in running:
        p.terminate()
    deadline = time.monotonic() + seconds
    for p in running:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:  # killed below
            pass
    for p in running:
        if p.poll() is None:
            p.kill()
            p.wait()


def demo_side_process() -> threading.Event:
    """Set up a process `sailau demo` starts beside its server (the scans' backfill, the
    cameras' recordings, the observers' photos): Django without migrating (the demo has), a
    lower priority than the web server's, and an event set by SIGTERM or Ctrl-C (the demo
    stopping: both reach the whole process group) for its loop to end on. A second Ctrl-C
    interrupts at once."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    django.setup()
    os.nice(10)  # the web server's visitors first
    stop = threading.Event()

    def interrupted(*_):
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, interrupted)
    return stop


def demo_side_main[T](argv: list[str] | None, *, prog: str, until_done: str,
                   run: Callable[[argparse.Namespace, threading.Event], T],
                   summary: Callable[[T, float], str],
                   arguments: Callable[[argparse.ArgumentParser], object] = lambda ap: None,
                   ) -> int:
    """The `main` of a process beside the demo's server: ELECTION, `--seed` and `--until-done`
    (`until_done` is its help; `arguments` adds more), the process set up as
    `demo_side_process` does, then `run(args, stop)` until it is done or stopped, and one line,
    `summary(result, seconds)`, said also when stopped: the demo's output then tells how far
    each got. Stopping is not a failure: exit 0."""
    ap = argparse.ArgumentParser(prog=prog)
    ap.add_argument("election")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--until-done", action="store_true", help=until_done)
    arguments(ap)
    a = ap.parse_args(argv)
    try:
        stop = demo_side_process()
        t0 = time.perf_counter()
        result = run(a, stop)
    except KeyboardInterrupt:  # before the handler was set, or a second Ctrl-C
        return 0
    print(summary(result, time.perf_counter() - t0) + ("; stopped" if stop.is_set() else ""),
          flush=True)
    return 0
