"""`sailau serve`: the site and the API for what is under SAILAU_DATA_DIR, with granian.

Granian's HTTP side is Rust; Python runs only the WSGI application, in a pool of threads per
worker process. On this project's 2-core benchmark it answered snapshot files 2.5× and cached
station pages 1.1× as fast as gunicorn's threaded workers (BENCHMARKS.md, "Publication")."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from sailau.background import kill_me_with_parent, stop_processes

PARENT_ENV = "SAILAU_SERVE_PARENT"
THREADS_ENV = "SAILAU_SERVE_THREADS"  # how many threads `sailau.wsgi.rsgi_application` runs
# The threads a worker runs the application in. Granian serves `sailau.wsgi.rsgi_application`:
# a request's body is read on the worker's event loop (sailau.bodyfirst, with a size limit and
# a deadline) and only then does the request take a thread, so clients sending bodies a byte a second hold no thread
# (under granian's WSGI mode each held one, and 70 such clients stopped the site). A thread is
# held while the application runs and while a long answer streams. Each thread keeps its own
# database connection (`CONN_MAX_AGE`): PostgreSQL's `max_connections` must exceed workers x
# threads (docs/operations.md).
THREADS = 32
# Requests a worker takes at once, bodies still arriving included (granian's `backpressure`;
# its default, 1024 shared between the workers, let 1,024 clients that sent headers and then
# nothing stop a one-worker site until the body deadline cut them off). A waiting request costs
# a socket and a coroutine; the open-files limit is raised to let the sockets be opened.
REQUESTS_PER_WORKER = 4096
# Headers come in one packet from any real client: one that has not sent them in 10 s is
# cut off (granian's default waits 30 s), so idle connections do not pile up.
HEADER_READ_MS = 10_000
# Seconds a worker has to finish its requests once told to stop, before it is killed: Ctrl-C
# reaches the workers too, and one interrupted in its threads never finishes stopping.
WORKER_STOP_SECONDS = 5
# Granian warns at start, in a paragraph, that THREADS is many threads for the cores: it is
# meant (see THREADS), so the warning, which a person starting the demo cannot act on, is left
# out. Only that message: granian's others are shown.
THREADS_WARNING = "Configuration allows spawning up to"


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the site and the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: one per core)")
    p.add_argument("--threads", type=int, default=THREADS,
                   help=f"most threads per worker running the application (default {THREADS})")
    p.add_argument("--no-publish", action="store_true",
                   help="do not start the background publisher (`sailau publish --follow`)")
    p.set_defaults(func=lambda a: serve(a.host, a.port, a.workers, a.threads,
                                        publish=not a.no_publish))


def server(target: str, host: str, port: int, workers: int, threads: int = THREADS):
    """The granian server of `target` (an RSGI application's "module:name", as
    `sailau.wsgi:rsgi_application`) with the limits above: what `serve` runs, and what its tests
    hold slow clients against. `threads` reaches the workers through the environment."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    os.environ[THREADS_ENV] = str(threads)
    raise_open_files(workers * REQUESTS_PER_WORKER + 1024)
    return Granian(target, address=host, port=port, interface=Interfaces.RSGI,
                   workers=workers, backpressure=REQUESTS_PER_WORKER,
                   http1_settings=HTTP1Settings(header_read_timeout=HEADER_READ_MS),
                   websockets=False, respawn_failed_workers=True, log_access=False,
                   workers_kill_timeout=WORKER_STOP_SECONDS)


class _NotTheThreadsWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(THREADS_WARNING)


def quiet_about_threads() -> None:
    """Leave out granian's warning about THREADS (its logger is "_granian"; granian sets its
    handlers when a server is made, not its filters, so this holds for every server after)."""
    granian_log = logging.getLogger("_granian")
    if not any(isinstance(f, _NotTheThreadsWarning) for f in granian_log.filters):
        granian_log.addFilter(_NotTheThreadsWarning())


def on_interrupt(srv, then: Callable[[], None]) -> None:
    """On the first Ctrl-C or SIGTERM, say "stopping…" at once and call `then` (the demo stops
    its helpers there, while granian stops its workers), then stop as granian does. Granian
    sets its own handlers as it starts, from this attribute."""
    stop = srv.signal_handler_interrupt
    said = threading.Event()

    def interrupted(*args, **kwargs):
        if not said.is_set():
            said.set()
            print("stopping…", flush=True)
            then()
        stop(*args, **kwargs)

    srv.signal_handler_interrupt = interrupted


def raise_open_files(wanted: int) -> None:
    """The open-files limit (inherited by the workers) raised towards `wanted`, as far as the
    system's hard limit lets an unprivileged process (systemd's soft limit is 1024)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(host: str, port: int, workers: int | None = None, threads: int = THREADS,
          publish: bool = True, stopping: Callable[[], None] = lambda: None) -> int:
    """Serve until Ctrl-C or SIGTERM; `stopping` is called as soon as one arrives."""
    from sailau.cli.django_setup import setup
    from sailau.languages import catalogue

    catalogue.compile_all()  # pages in every language, however the checkout was installed
    setup()  # migrate once here, not in every worker
    from django.db import connections

    # Workers must not share the parent's database connection (PostgreSQL answered one
    # worker's query on another's socket under load when they did).
    connections.close_all()

    # Snapshot files keep pace with the protocols: one publisher beside the workers (a
    # process of its own, so its batches never hold a worker's interpreter). What it says (a
    # manifest and its seconds, a witness not answering) goes to its own log, not the console,
    # where two lines a second would bury the server's.
    follower = None
    if publish:
        with open_publisher_log() as log:
            follower = subprocess.Popen([sys.executable, "-m", "sailau", "publish", "--follow"],
                                        stdout=log, stderr=subprocess.STDOUT,
                                        # one thread still runs here, so a preexec_fn is safe
                                        preexec_fn=kill_me_with_parent)  # noqa: PLW1509
        print(f"publishing; its log: {publisher_log()}", flush=True)
    # Each worker imports sailau.wsgi, which sees this and ties the worker's life to ours.
    os.environ[PARENT_ENV] = str(os.getpid())
    print(f"serving at http://{host}:{port}/", flush=True)
    try:
        srv = server("sailau.wsgi:rsgi_application", host, port,
                     workers or os.cpu_count() or 1, threads)
        quiet_about_threads()
        on_interrupt(srv, lambda: (stopping(), follower and follower.terminate()))
        srv.serve()
    finally:
        # Granian's handlers stay set after it stops: a second Ctrl-C interrupts what is left
        # of stopping (the demo's last publication round) instead of doing nothing.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if follower is not None:  # its batch ends cleanly on SIGTERM; an unfinished one is
            stop_processes([follower], seconds=30)  # published again by the next run
    return 0


PUBLISHER_LOG_MAX = 20 * 2**20  # bytes; beyond, the log is kept as `.1` and begun again


def publisher_log():
    """The background publisher's log, in the data directory."""
    from sailau.paths import data_dir

    return data_dir() / "publisher.log"


def open_publisher_log():
    """The publisher's log opened for appending (the previous one kept as `.1` when large)."""
    path = publisher_log()
    if path.exists() and path.stat().st_size > PUBLISHER_LOG_MAX:
        path.replace(path.with_name(path.name + ".1"))
    return open(path, "a", buffering=1)  # (the child keeps its own copy)


def die_with_parent() -> None:
    """In a server worker: end when `sailau serve`'s main process ends, even by `kill -9`
    (which gives it no chance to stop its workers). Otherwise orphaned workers go on serving
    and a restarted server binds beside them. Linux's PR_SET_PDEATHSIG has the kernel kill
    us; a thread that watches our parent covers other systems and a worker started by a
    thread of the parent that ended."""
    parent = os.environ.get(PARENT_ENV)
    if not parent or not parent.isdigit() or int(parent) == os.getpid():
        return
    parent_pid = int(parent)
    kill_me_with_parent()

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)

    if os.getppid() != parent_pid:  # the parent died before we got here
        os.kill(os.getpid(), signal.SIGKILL)
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
