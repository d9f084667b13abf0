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


def test_integer_boundaries_follow_the_published_float64_computation():
    # 242/2000 = 12.1% is not integer; 1/3 = 33.33% is not; 0/10 and 240/2000 are
    assert is_integer_percentage(np.array([242, 240, 1, 0]), np.array([2000, 2000, 3, 10])).tolist() \
        == [False, True, False, True]
    assert not is_integer_percentage(np.array([2411]), np.array([20000]))[0]  # 12.055%
    # Exactly j ± 0.05 %: decided as float64 100 * k, divided by n, then |x - round(x)| <= 0.05,
    # the order of the authors' code (p1 = 100 * leader/received). 100*1519/2000 = 75.95
    # (integer) where 1519/2000*100 = 75.94999999999999 (not); 1519/2000 is a real station of
    # 2007. 241/2000 is 12.05 by one rule and 12.049999999999999 by the other: the verdicts swap.
    k, n = np.array([241, 1519, 621, 901, 1181, 839]), np.array([2000] * 6)
    assert is_integer_percentage(k, n).tolist() == [False, True, False, True, True, True]
    rng = np.random.default_rng(3)
    n = rng.integers(1, 5000, 200_000)
    k = (rng.random(200_000) * (n + 1)).astype(np.int64)
    x = 100 * k / n
    assert (is_integer_percentage(k, n) == (np.abs(x - np.round(x)) <= 0.05)).all()
    y = k / n * 100
    assert (is_integer_percentage(k, n) != (np.abs(y - np.round(y)) <= 0.05)).any()


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


# Kobak, Shpilkin & Pshenichnikov, "Integer percentages as electoral falsification
# fingerprints", The Annals of Applied Statistics 10(1), 2016, pp. 54-73.
PUBLISHED = {
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


# Stations kept and stations with an integer turnout or leader share, per election of the
# station-level data the tests read (`data_file`), under the published float64 rule (100 * k / n). 2011 and 2018 are the
# published figures above; in 2007, 2008, 2012 and 2016 one station sits exactly on the 0.05
# boundary, and computing the share first (k / n * 100) would leave it out: one station fewer.
OBSERVED = {
    "2004": (85_457, 17_393), "2007": (85_908, 17_273), "2008": (86_309, 18_394),
    "2011": (86_718, 17_803), "2012": (87_623, 18_025), "2016": (90_357, 19_068),
    "2018": (91_152, 19_271), "2020": (90_579, 21_128), "2021": (90_821, 18_879),
    "2024": (85_345, 19_375),
}


@pytest.mark.slow
@pytest.mark.parametrize("year", sorted(OBSERVED))
def test_observed_counts_per_election(year):
    s = load(data_file("russia", f"{year}.csv.zip"))
    out = integer_percentage_test(s.registered, s.ballots, s.counted, s.leader_votes, resamples=2)
    assert (out["summary"]["stations_kept"], out["summary"]["observed"]) == OBSERVED[year]
