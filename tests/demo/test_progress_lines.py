"""What `sailau demo` prints while the night goes on is read by a person: counts in words,
never a Python dict."""

from collections import Counter

from sailau.demo.night import described
from sailau.scans.backfill import said


def test_the_nights_progress_in_words():
    line = described(Counter({"entry_ok": 1204, "slips_caught_by_checks": 9, "entry_409": 3,
                              "stations_definitive": 40, "failed:TimeoutError": 1,
                              "left_for_visitors": 2, "signature_ok": 600}))
    assert line.startswith("1,204 entries typed, 9 slips caught by the checks, ")
    assert "600 protocols signed" in line and "2 protocols left for visitors" in line
    assert "refused: 3 entries (HTTP 409)" in line
    assert "steps failed: 1 (TimeoutError)" in line
    assert "{" not in line and "_" not in line and "stations_definitive" not in line
    assert described(Counter()) == "nothing done yet"


def test_the_scans_progress_in_words():
    line = said({"matched": 940, "needs_reading": 60}, 87.4)
    assert line == "scans: 1,000 uploaded in 87 s (matched 940, needs reading 60)"
