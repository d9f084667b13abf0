import numpy as np
import pytest
from scipy.stats import binom

from sailau.analysis.integer_percentages import (
    integer_percentage_test,
    integer_probability,
    is_integer_percentage,
    kept_stations,
)
from sailau.analysis.sources import load

from .conftest import data_file, synthetic_election


def test_integer_boundaries_are_exact():
    # 241/2000 = 12.05% is on the boundary (included); 242/2000 = 12.1% is not; 1/3 = 33.33% is not
    assert is_integer_percentage(np.array([241, 242, 240, 1, 0]), np.array([2000, 2000, 2000, 3, 10])).tolist() \
        == [True, False, True, False, True]
    # 12.0500001% just outside: 100*k/n - 12 > 0.05 for k=2411, n=20000 (12.055%)
    assert not is_integer_percentage(np.array([2411]), np.array([20000]))[0]


@pytest.mark.parametrize("n,p", [(100, 0.3), (157, 0.61), (1000, 0.5), (2345, 0.07), (3001, 0.99), (500, 0.0)])
def test_probability_matches_brute_force(n, p):
    k = np.arange(n + 1)
    brute = binom.pmf(k, n, p)[is_integer_percentage(k, np.full(n + 1, n))].sum()
    assert integer_probability(np.array([n]), np.array([p]))[0] == pytest.approx(brute, abs=1e-9)


def test_kept_filter_follows_the_definition():
    reg = np.array([100, 99, 1000, 1000, 1000, 1000])
    bal = np.array([99, 50, 991, 990, 500, 500])
    cnt = np.array([99, 50, 991, 990, 0, 100])
    lead = np.array([10, 10, 10, 10, 0, 100])
    assert kept_stations(reg, bal, cnt, lead).tolist() == [True, False, False, True, False, False]


def test_exact_and_binomial_resampling_give_the_same_null():
    e = synthetic_election(n=3000, seed=4)
    args = (e["registered"], e["ballots"], e["counted"], e["leader"])
    exact = integer_percentage_test(*args, resamples=400, seed=1)["summary"]
    direct = integer_percentage_test(*args, resamples=400, seed=2, method="binomial")["summary"]
    assert exact["observed"] == direct["observed"]
    # two Monte Carlo means, each with standard error sd/sqrt(400)
    assert abs(exact["expected"] - direct["expected"]) < 4 * exact["sd"] * np.sqrt(2 / 400)
    assert direct["sd"] == pytest.approx(exact["sd"], rel=0.2)


def test_clean_election_has_no_excess_and_rounded_one_does():
    clean = synthetic_election(n=6000, seed=5)
    z = integer_percentage_test(clean["registered"], clean["ballots"], clean["counted"], clean["leader"])["summary"]["z"]
    assert abs(z) < 4
    rigged = synthetic_election(n=6000, seed=5, integer=0.1)
    out = integer_percentage_test(rigged["registered"], rigged["ballots"], rigged["counted"], rigged["leader"],
                                  groups=rigged["region"])
    assert out["summary"]["z"] > 6
    assert sum(g["observed"] for g in out["summary"]["groups"].values()) == out["summary"]["observed"]
    assert set(out["summary"]["groups"]) == {"R0", "R1", "R2", "R3"}
    # per-station flags line up with the stations
    assert out["stations"]["integer_share"].sum() == out["summary"]["observed_share"]


PUBLISHED = {  # Kobak, Shpilkin & Pshenichnikov 2016, via ../shared/data/README.md
    "2011": {"kept": 86_718, "observed": 17_803, "excess": 1003.5, "sd": 113.1},
    "2018": {"kept": 91_152, "observed": 19_271, "excess": 1708.8, "sd": 116.5},
}


@pytest.mark.slow
@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_reproduces_published_russian_figures(year):
    s = load(data_file("russia", f"{year}.csv.zip"))
    out = integer_percentage_test(s.registered, s.ballots, s.counted, s.leader_votes)["summary"]
    want = PUBLISHED[year]
    assert out["stations_kept"] == want["kept"]
    assert out["observed"] == want["observed"]
    # both excesses are Monte Carlo estimates with standard error sd/sqrt(1000) each
    assert abs(out["excess"] - want["excess"]) < 3 * want["sd"] * np.sqrt(2 / 1000)
    assert out["sd"] == pytest.approx(want["sd"], rel=0.1)
