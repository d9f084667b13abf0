"""The demo night the page tests read, built once per test process (tests/builtonce.py)."""


def demo_night(request):
    """The demo's election, 120 stations, 60 % reported, in a data directory set for the test:
    built once per process, each test given a fresh copy of it (tests/builtonce.py)."""
    from sailau.cli.demo import build
    from sailau.elections.models import Election
    from tests.builtonce import fresh

    return fresh(request, "demo-night-11-120-60",
                 lambda: build(seed=11, stations=120, reported=60, say=lambda *a, **k: None),
                 lambda e: Election.objects.get(pk=e.pk))
