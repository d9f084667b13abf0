import numpy as np
import pytest

from sailau.analysis import klimek, shpilkin
from sailau.analysis.distribution import shape, sobyanin_sukhovolsky
from sailau.analysis.scoring import precision_recall

from .conftest import synthetic_election


def test_precision_recall():
    out = precision_recall({"a", "b", "c", "d"}, {"a", "b", "e"})
    assert (out["true_positives"], out["false_positives"], out["false_negatives"]) == (2, 2, 1)
    assert out["precision"] == 0.5 and out["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert out["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), abs=1e-4)
    assert precision_recall(set(), {"a"})["precision"] is None


def _fit(e):
    return klimek.fit(e["ballots"] / e["registered"], e["leader"] / e["counted"])


def test_klimek_finds_no_fraud_in_a_clean_election():
    out = _fit(synthetic_election(n=8000, seed=2))
    assert out["f_i"] + out["f_e"] < 0.05
    assert out["station_flag"].mean() < 0.01


def test_klimek_flags_stuffed_stations_with_good_precision_and_recall():
    e = synthetic_election(n=8000, stuffed=0.1, seed=3)
    out = _fit(e)
    assert 0.05 < out["f_i"] + out["f_e"] < 0.2
    flagged = set(e["station"][out["station_flag"]])
    score = precision_recall(flagged, e["stuffed_ids"])
    assert score["precision"] > 0.8 and score["recall"] > 0.6, score


def test_shpilkin_estimates_stuffed_votes():
    clean = synthetic_election(n=8000, seed=6)
    c = shpilkin.excess_votes(clean["registered"], clean["ballots"], clean["counted"], clean["leader"])
    assert abs(c["excess"]) < 0.02 * clean["leader"].sum()
    e = synthetic_election(n=8000, stuffed=0.1, seed=6)
    out = shpilkin.excess_votes(e["registered"], e["ballots"], e["counted"], e["leader"])
    assert out["excess"] == pytest.approx(e["stuffed_votes"], rel=0.25)
    assert 0.5 < out["clean_turnout_peak"] < 0.6
    assert len(out["histogram"]["leader"]) == 200


def test_sobyanin_sukhovolsky_slope_and_shape():
    clean = synthetic_election(n=8000, seed=7)
    ss = sobyanin_sukhovolsky(clean["registered"], clean["ballots"], clean["leader"], clean["counted"])
    assert ss["leader_slope"] == pytest.approx(ss["leader_share"], abs=0.1)
    e = synthetic_election(n=8000, stuffed=0.2, seed=7)
    ss = sobyanin_sukhovolsky(e["registered"], e["ballots"], e["leader"], e["counted"])
    assert ss["leader_slope"] > 0.8 and ss["others_slope"] < 0.2
    bimodal = shape(np.r_[np.random.default_rng(0).normal(0.4, 0.05, 5000), np.full(1500, 0.99)])
    assert bimodal["dip_p"] < 0.01 and shape(clean["ballots"] / clean["registered"])["dip_p"] > 0.05
