"""The PVT maths without a database: the NDI handbook's sample size, allocation and drawing,
the ratio estimator against a direct computation, and the coverage of its intervals."""

import math

import numpy as np
import pytest

from sailau.analysis import pvt


def test_peru_2001_sample_size():
    # NDI handbook (Estok, Nevitte, Cowan 2002), Peru 2001: N = 14,570,774, P = .5, E = .0032,
    # Z = 2.58 -> 160,717.27 voters (printed there as 160,717); a sample size is rounded up, or
    # the margin is missed.
    out = pvt.sample_size(14_570_774, 0.5, 0.0032, 2.58)
    assert out["voters"] == 160_718
    assert out["voters_exact"] == pytest.approx(160_717.27, abs=0.01)


def test_stations_from_turnout_and_station_size():
    out = pvt.sample_size(1_000_000, 0.5, 0.01, 1.96, turnout=0.5, station_size=1000)
    n = 0.25 / (0.01 ** 2 / 1.96 ** 2 + 0.25 / 1_000_000)
    assert out["voters"] == math.ceil(n)
    assert out["registered_to_cover"] == math.ceil(out["voters"] / 0.5)
    assert out["stations"] == math.ceil(out["voters"] / (0.5 * 1000))


def test_sample_size_is_rounded_up():
    # 9,596.32 voters needed: 9,596 would miss the margin.
    out = pvt.sample_size(12_000_000, 0.5, 0.01, 1.96)
    assert out["voters_exact"] == pytest.approx(9596.32, abs=0.01)
    assert out["voters"] == 9597


def test_small_population_needs_almost_everyone():
    # The finite-population term: for N small the sample approaches N.
    assert pvt.sample_size(100, 0.5, 0.01, 2.58)["voters"] in (99, 100)


@pytest.mark.parametrize("kwargs,field", [
    ({"registered": 0}, "registered"), ({"p": 1.0}, "p"), ({"margin": 0}, "margin"),
    ({"z": -1}, "z"), ({"turnout": 1.5}, "turnout"), ({"station_size": 0}, "station-size")])
def test_bad_input_names_the_field(kwargs, field):
    args = {"registered": 1000, "p": 0.5, "margin": 0.01, "z": 1.96, **kwargs}
    with pytest.raises(pvt.PvtInputError) as e:
        pvt.sample_size(**args)
    assert e.value.field == field


def test_bad_input_reads_in_each_language_naming_the_field():
    with pytest.raises(pvt.PvtInputError) as e:
        pvt.sample_size(1000, 1.0, 0.01, 1.96)
    assert e.value.text("kk") == "p: 0 мен 1 аралығындағы үлес, шеттерін қоспағанда"
    assert e.value.text("ru") == "p: доля строго между 0 и 1"
    assert str(e.value) == "p: a proportion strictly between 0 and 1"
    assert e.value.said["ru"] == "доля строго между 0 и 1"  # for a caller naming the field
    with pytest.raises(pvt.PvtInputError) as e:
        pvt.draw(["a", "b"], 3, seed=1)
    assert e.value.text("ru") == "size: от 1 до 2 имеющихся участков"


def test_allocation_is_proportional_with_two_per_stratum():
    alloc = pvt.allocate({"a": 1000, "b": 100, "c": 10}, 111)
    assert sum(alloc.values()) == 111
    assert alloc["c"] >= 2 and alloc["a"] > alloc["b"] > alloc["c"] - 1
    assert pvt.allocate({"a": 3, "b": 1}, 4) == {"a": 3, "b": 1}  # never more than a stratum has
    with pytest.raises(pvt.PvtInputError):
        pvt.allocate({"a": 3}, 4)


def test_draw_is_reproducible_and_order_free():
    units = [f"s{i:04d}" for i in range(500)]
    strata = ["u" if i % 3 else "r" for i in range(500)]
    a = pvt.draw(units, 50, seed=11, strata=strata)
    b = pvt.draw(units[::-1], 50, seed=11, strata=strata[::-1])
    assert a == b and len(a) == 50 and len({u for u, _ in a}) == 50
    assert a != pvt.draw(units, 50, seed=12, strata=strata)
    counts = {h: sum(1 for _, x in a if x == h) for h in "ur"}
    assert counts == {"u": 33, "r": 17}  # 333 and 167 of 500: proportional


def test_ratio_estimator_matches_the_textbook_formula():
    rng = np.random.default_rng(1)
    big_n, n = 400, 40
    x = rng.integers(200, 900, n).astype(float)
    y = np.floor(x * rng.uniform(0.3, 0.6, n))
    est = pvt.estimate(y[:, None], x, ["a"], ["all"] * n, {"all": big_n})
    r = y.sum() / x.sum()
    # Cochran (6.9): v(R) = (1 - f) / (n x̄²) · Σ (y - R x)² / (n - 1)
    v = (1 - n / big_n) / (n * x.mean() ** 2) * ((y - r * x) ** 2).sum() / (n - 1)
    iv = est.shares["a"]
    assert iv.estimate == pytest.approx(r)
    assert iv.se == pytest.approx(math.sqrt(v))
    # the interval is r ± t·se on the logit scale, t at about n - 1 = 39 degrees of freedom
    # (2.02): a little wider than the textbook 1.96 (see `pvt._bounds`)
    assert 2 * 1.959964 * math.sqrt(v) < iv.high95 - iv.low95 < 2 * 2.1 * math.sqrt(v)
    assert iv.low99 < iv.low95 < iv.estimate < iv.high95 < iv.high99


def test_a_census_has_no_sampling_error():
    x = np.array([100.0, 200, 300, 400])
    y = np.array([[50.0], [80], [90], [300]])
    est = pvt.estimate(y, x, ["a"], ["h1", "h1", "h2", "h2"], {"h1": 2, "h2": 2})
    assert est.shares["a"].estimate == pytest.approx(520 / 1000)
    assert est.shares["a"].se == pytest.approx(0)


def test_compare_flags_official_results_outside():
    est = pvt.Estimate(10, 10, 100, shares={"a": pvt.Interval(0.5, 0.01, 0.48, 0.52, 0.474, 0.526)})
    rows = {r["key"]: r for r in pvt.compare(est, {"a": 0.5})}
    assert rows["a"]["status"] == "inside" and not rows["a"]["flagged"]
    assert pvt.compare(est, {"a": 0.523})[0]["status"] == "outside95"
    assert pvt.compare(est, {"a": 0.60})[0]["status"] == "outside99"


@pytest.fixture(scope="module")
def population():
    from sailau.demo.mazhilis2023 import LIST_KEYS
    from sailau.demo.synthetic import build

    syn = build(seed=5, stations=2000)
    list_id = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    ids = [s["id"] for s in syn.stations]
    votes = np.array([[syn.protocols[(s, list_id)]["choices"][k] for k in LIST_KEYS] for s in ids],
                     dtype=float)
    figs = [syn.protocols[(s, list_id)]["figures"] for s in ids]
    counted = votes.sum(axis=1) + np.array([f["invalid"] for f in figs])
    strata = [f"{s['territory']}|{s['urban']}" for s in syn.stations]
    return ids, votes, counted, strata, LIST_KEYS


@pytest.mark.parametrize("stratified", [True, False])
def test_coverage_of_the_95_interval(population, stratified):
    """Over many samples from one synthetic election, the 95% interval holds the true share
    about 95% of the time (and the 99% one about 99%)."""
    ids, votes, counted, strata, keys = population
    truth = votes.sum(axis=0) / counted.sum()
    index = {s: i for i, s in enumerate(ids)}
    pop = {}
    for h in (strata if stratified else ["all"] * len(ids)):
        pop[h] = pop.get(h, 0) + 1
    reps = 400
    hit95 = np.zeros(len(keys))
    hit99 = np.zeros(len(keys))
    for rep in range(reps):
        drawn = pvt.draw(ids, 250, seed=rep, strata=strata if stratified else None)
        rows = np.array([index[s] for s, _ in drawn])
        est = pvt.estimate(votes[rows], counted[rows], keys, [h for _, h in drawn], pop)
        for j, k in enumerate(keys):
            iv = est.shares[k]
            hit95[j] += iv.low95 <= truth[j] <= iv.high95
            hit99[j] += iv.low99 <= truth[j] <= iv.high99
    cover95, cover99 = hit95 / reps, hit99 / reps
    assert 0.92 <= cover95.mean() <= 0.975, cover95
    assert cover95.min() >= 0.88, cover95
    assert 0.97 <= cover99.mean() <= 1.0, cover99
