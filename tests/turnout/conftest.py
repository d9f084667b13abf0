import pytest


@pytest.fixture(autouse=True)
def _any_time_of_day(request):
    """The tests of reporting, its checks and its pages report many hours at one moment: the
    hour's window (`services.in_its_window`) is judged only in the tests that ask for
    `reporting_clock` (test_window.py), which set the clock themselves. A MonkeyPatch of its own,
    so that a test's `monkeypatch.undo()` keeps it."""
    if "reporting_clock" in request.fixturenames:
        yield
        return
    from sailau.turnout import services

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "in_its_window", lambda station, hour: None)
        yield
