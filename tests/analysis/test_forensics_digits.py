import numpy as np
import pytest

from sailau.analysis.digits import (
    BENFORD_SECOND_MEAN,
    last_digit_test,
    second_digit_test,
    second_digits,
)
from sailau.analysis.sources import load

from .conftest import data_file


def test_second_digits():
    assert second_digits(np.array([5, 10, 19, 99, 100, 1000, 1099, 999_999, 1_000_000, 45])).tolist() \
        == [0, 9, 9, 0, 0, 0, 9, 0, 5]
    assert BENFORD_SECOND_MEAN == pytest.approx(4.187, abs=5e-4)


def test_benford_counts_pass_and_uniform_ones_fail():
    rng = np.random.default_rng(0)
    benford = (10 ** rng.uniform(1, 5, 20_000)).astype(np.int64)  # log-uniform: Benford
    ok = second_digit_test(benford)
    assert ok["consistent"] and ok["ci"][0] < ok["mean"] < ok["ci"][1]
    flat = rng.integers(100, 200, 20_000)  # second digit uniform: mean 4.5
    bad = second_digit_test(flat)
    assert not bad["consistent"] and bad["mean"] == pytest.approx(4.5, abs=0.05)


def test_last_digit_and_zero_five():
    rng = np.random.default_rng(1)
    fair = rng.integers(10, 5000, 10_000)
    assert last_digit_test(fair)["zero_five"]["p_value"] > 0.001
    rounded = np.where(rng.random(10_000) < 0.2, (fair // 5) * 5, fair)
    out = last_digit_test(rounded)
    assert out["zero_five"]["p_value"] < 1e-6 and out["zero_five"]["share"] > 0.3


def test_albania_prefectures_match_published_2bl():
    s = load(data_file("albania", "Albania2013.csv"), "csv",
             {"registered": "Registered", "ballots": "Ballots", "station": "Precincts"},
             group_by="Prefectures")
    pref = s.territories["Prefectures"]
    # the one BERAT station with zero registered voters is listed, not silently dropped
    assert [u["station"] for u in s.unusable if u["reason"].startswith("registered")] == ["3289", "4722"]
    berat = second_digit_test(s.ballots[pref == "BERAT"])
    durres = second_digit_test(s.ballots[pref == "DURRES"])
    assert berat["mean"] == pytest.approx(4.244, abs=1e-3) and berat["consistent"]
    assert durres["mean"] == pytest.approx(4.572, abs=1e-3) and not durres["consistent"]
    assert durres["n"] == 444
