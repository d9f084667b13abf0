"""The application's clock (sailau/clock.py): the real time, or the real time plus the offset an
installation sets (SAILAU_CLOCK_OFFSET), or the one `sailau demo` wrote to its data directory,
which every process on that directory reads."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sailau import clock

ROOT = Path(__file__).resolve().parents[1]
NIGHT_END = dt.datetime(2023, 3, 19, 22, 0, tzinfo=dt.UTC)  # 04:00 on 20 March in Almaty


@pytest.fixture
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    clock.reset()
    yield tmp_path / "var"
    clock.reset()


def setenv(monkeypatch, value: str) -> None:
    monkeypatch.setenv(clock.ENV, value)
    clock.reset()  # the offset is read once per process


def near(a: dt.datetime, b: dt.datetime, seconds: float = 5) -> bool:
    return abs((a - b).total_seconds()) < seconds


def test_unset_is_the_real_time(own_data_dir):
    assert clock.offset_seconds() == 0
    assert near(clock.now(), dt.datetime.now(dt.UTC))
    assert clock.now().tzinfo is not None


def test_the_setting_moves_now_today_and_epoch_seconds(own_data_dir, monkeypatch):
    setenv(monkeypatch, str(-86400 * 1000))
    real = dt.datetime.now(dt.UTC)
    assert near(clock.now(), real - dt.timedelta(days=1000))
    assert clock.localdate() == (clock.localtime()).date()
    assert near(clock.localtime(), real - dt.timedelta(days=1000))
    assert clock.time() == pytest.approx(real.timestamp() - 86400 * 1000, abs=5)


def test_a_setting_that_is_not_a_number_is_refused(own_data_dir, monkeypatch):
    setenv(monkeypatch, "yesterday")
    with pytest.raises(ValueError, match=clock.ENV):
        clock.now()


def test_the_demos_offset_is_read_by_every_process_on_its_data_directory(own_data_dir):
    clock.set_demo(NIGHT_END)
    assert near(clock.now(), NIGHT_END)
    # Another process on the same data directory (a helper, a command run by hand) inherits
    # nothing from the demo but reads the same clock.
    env = {k: v for k, v in os.environ.items() if k != clock.ENV}
    out = subprocess.run([sys.executable, "-c", "from sailau import clock; print(clock.now().isoformat())"],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert near(dt.datetime.fromisoformat(out.strip()), NIGHT_END, 30)
    # ... and the clock runs on from there.
    assert clock.now() > NIGHT_END


def test_the_setting_wins_over_the_demos_file(own_data_dir, monkeypatch):
    clock.set_demo(NIGHT_END)
    setenv(monkeypatch, "0")
    assert near(clock.now(), dt.datetime.now(dt.UTC))


def test_the_demos_night_is_the_elections_own():
    from sailau.demo.chain import NIGHT, Night

    night = Night.of(dt.date(2023, 3, 19))
    assert night.closing == dt.datetime(2023, 3, 19, 14, 0, tzinfo=dt.UTC)  # 20:00 in Almaty
    assert night.ends == NIGHT_END == night.closing + NIGHT
