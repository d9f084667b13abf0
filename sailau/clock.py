"""The application's clock: what "now" and "today" are for everything a person sees or a deadline
reads (complaints' filing dates and terms, recordings' retention, scans' upload times, a
protocol's step times, observers' reports, voting windows, the results' "as of").

`now()` is the real time plus an offset the installation sets:

- SAILAU_CLOCK_OFFSET, seconds (may be negative, e.g. -116000000), when it is set;
- otherwise the offset `sailau demo` wrote to SAILAU_DATA_DIR/demo/clock.json when it built its
  election, so that its "now" falls on the election night it replays. A file in the data
  directory rather than an inherited variable: the demo's server, publisher and helpers read it,
  and so does a command a person runs by hand in another terminal on the same data
  (`sailau video expire --dry-run`), which inherits nothing from the demo;
- otherwise none: the real time, which is what production uses.

The offset is read once per process (`reset()` forgets it).

What stays on the real time, and should not use this clock: measurements of durations
(`time.monotonic`, `time.perf_counter`), lock leases, tokens' and sessions' expiry, login
lockouts, cache ages and the publisher's intervals, and the published log's cosignatures and
its witnesses (`sailau.ledger.cosign`, `sailau.witness`): a witness elsewhere signs at its own
real time, and a signed timestamp must be one. The one exception is the demo's own witnesses,
which replay the night with the rest of it: `sailau demo` gives them this offset
(`sailau witness --clock-offset`), so that the leaves' `at` and the witnesses' timestamps, which
bound when each leaf entered the log, read one clock."""

import contextlib
import datetime as dt
import json
import os
import time as _time

from sailau.paths import data_dir

ENV = "SAILAU_CLOCK_OFFSET"
_offset: dt.timedelta | None = None  # read on first use: an environment read per call costs more


def demo_path():
    """Where `sailau demo` keeps the offset of its replayed night."""
    return data_dir() / "demo" / "clock.json"


def offset() -> dt.timedelta:
    """The installation's offset from the real time (zero: the real time)."""
    global _offset
    if _offset is None:
        _offset = dt.timedelta(seconds=_read(os.environ.get(ENV)))
    return _offset


def offset_seconds() -> float:
    return offset().total_seconds()


def _read(setting: str | None) -> float:
    if setting is not None and setting.strip():
        try:
            return float(setting)
        except ValueError:
            raise ValueError(f"{ENV}: a number of seconds, got {setting!r}") from None
    path = demo_path()
    if path.exists():
        return float(json.loads(path.read_text())["offset_seconds"])
    return 0.0


def now() -> dt.datetime:
    """The application's current moment, aware, in UTC (as `django.utils.timezone.now`)."""
    return dt.datetime.now(dt.UTC) + offset()


def time() -> float:
    """`now()` as seconds since the epoch (for code that dates by `time.time()`)."""
    return _time.time() + offset_seconds()


def localdate() -> dt.date:
    """Today in the installation's time zone (as `django.utils.timezone.localdate`)."""
    return localtime().date()


def localtime() -> dt.datetime:
    """`now()` in the installation's time zone (Django's TIME_ZONE; the system's outside
    Django, as in the tools that run without it)."""
    from django.conf import settings

    if settings.configured:
        from django.utils import timezone

        return timezone.localtime(now())
    return now().astimezone()


def set_demo(moment: dt.datetime) -> dt.timedelta:
    """Make `moment` the application's "now" from this instant on, for this process and every
    later one on the same data directory (written for the demo); returns the offset."""
    from sailau.paths import write_atomic

    seconds = round((moment - dt.datetime.now(dt.UTC)).total_seconds(), 3)
    path = demo_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"offset_seconds": seconds, "set_to": moment.isoformat()}))
    reset()
    return dt.timedelta(seconds=seconds)


def reset() -> None:
    """Forget the offset read so far (the next call reads the setting and the file again)."""
    global _offset
    _offset = None


@contextlib.contextmanager
def showing(moment: dt.datetime):
    """Inside the block this process's clock shows `moment` and runs on from it, then returns
    to the installation's. For the demo's build, which replays what happened before its night
    (the commissions register their own keys days before the polls close); one thread only."""
    global _offset
    saved = offset()
    _offset = moment - dt.datetime.now(dt.UTC)
    try:
        yield
    finally:
        _offset = saved
