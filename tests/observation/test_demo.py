"""The demo's observation: about a tenth of stations observed, and the falsifications injected
upstream show up as differences between observers' copies and the official protocols."""

import itertools
import json

import pytest

from sailau.observation import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(election, small_synthetic):
    from sailau.observation.demo import generate

    # Every station observed, so that the one rewritten station of the small election is seen.
    # The ground truth is passed, not read from the shared data directory's file.
    truth = json.loads(json.dumps(small_synthetic.truth))
    counts = generate(election, seed=3, share=1.0, truth=truth)
    return counts, truth


def test_rewritten_protocols_show_as_differences(election, generated):
    from sailau.observation.compare import compared

    counts, truth = generated
    rows = compared(m.ObserverCopy.objects.all())
    assert len(rows) == counts["copies"] > 0
    rewritten = {s for s, t in truth.items() if "rewritten_upstream" in t["kinds"]}
    observed_rewritten = {r["station"] for r in rows} & rewritten
    assert observed_rewritten, "the sample should reach the rewritten territory"
    assert counts["copies_different"] == sum(r["status"] == "different" for r in rows)
    for r in rows:
        if r["station"] in rewritten:
            assert r["status"] == "different"
            paper = truth[r["station"]]["paper"]["choices"]
            assert all(d["part"] == "choices" and d["copy"] == paper[d["line"]]
                       for d in r["differences"])
            # votes were moved to the leader: the official figure is higher there
            lead = next(d for d in r["differences"] if d["line"] == "amanat")
            assert lead["by"] > 0
        else:
            assert r["status"] == "equal", r


def test_demo_shape(election, generated):
    counts, _ = generated
    stations = election.stations.count()
    assert counts["deployed"] == stations
    assert m.Accreditation.objects.filter(status="refused").exclude(reasons="").exists()
    assert m.Accreditation.objects.filter(status="pending").exists()
    assert m.ChecklistSubmission.objects.filter(stage="counting").count() == counts["deployed"]
    # Every observer is deployed where the sample put them.
    sample = m.PvtSample.objects.get()
    assert set(sample.stations.values_list("station_id", flat=True)) == set(
        m.Deployment.objects.values_list("station_id", flat=True))


def test_demo_is_reproducible_and_replaces_itself(election, generated):
    from sailau.observation.demo import generate

    before = sorted(m.ObserverCopy.objects.values_list("station_id", "choices"))
    generate(election, seed=3, share=1.0, truth=generated[1])
    assert sorted(m.ObserverCopy.objects.values_list("station_id", "choices")) == before
    assert m.PvtSample.objects.count() == 1


def test_integrity_inputs_light_i10(election, generated):
    from sailau.analysis import criteria
    from sailau.integrity import table as tables
    from sailau.observation.integrity import inputs

    _, truth = generated
    contest = election.contests.get(kind="party_list")
    data = inputs(contest)
    assert set(data) == {"observer_copies", "assessments", "incidents", "observer_counts"}
    ct = tables.build(contest)
    verdicts = criteria.evaluate(ct.table, ct.leader, **data)
    lit = {v.station for v in verdicts if any(f["code"] == "I10" for f in v.flags)}
    rewritten = {s for s, t in truth.items() if "rewritten_upstream" in t["kinds"]}
    assert lit and lit == rewritten & set(data["observer_copies"])
    negative = {v.station for v in verdicts if any(f["code"] == "I14" for f in v.flags)}
    assert negative == {s for s, marks in data["assessments"].items()
                        if any(a["negative"] for a in marks)}
    # I19: the observers' counts of voters find the stations that added ballots, and only them
    counted = {v.station for v in verdicts if any(f["code"] == "I19" for f in v.flags)}
    added = {s for s, t in truth.items() if {"ballot_stuffing", "turnout_100"} & set(t["kinds"])}
    assert counted and counted == added & set(data["observer_counts"])


def test_pvt_on_the_demo(election, generated):
    from sailau.observation import pvt

    res = pvt.result(m.PvtSample.objects.get())
    est = res["estimate"]
    assert est["reported"] == m.ObserverCopy.objects.count()
    assert {c["key"] for c in res["comparison"]} >= {"amanat", "turnout"}
    for c in res["comparison"]:
        assert c["low99"] <= c["low95"] <= c["estimate"] <= c["high95"] <= c["high99"]


def test_default_deploys_to_a_tenth(election):
    from sailau.observation.demo import generate

    counts = generate(election, seed=1, truth={})
    assert counts["deployed"] == round(0.1 * election.stations.count())


def test_counts_of_voters_catch_the_stuffed_stations(election, generated):
    """The observers' closing counts miss the ballots added (the ground truth's
    `ballots_added`): criterion I19 flags the stuffed stations where an observer counted, and
    no clean one."""
    from sailau.analysis import criteria
    from sailau.integrity import table as tables
    from sailau.observation.integrity import inputs

    _, truth = generated
    contest = election.contests.get(kind="party_list")
    data = inputs(contest)
    counted = set(data["observer_counts"])
    assert {r["moment"] for rows in data["observer_counts"].values() for r in rows} == {
        "arrival", "during", "departure"}
    stuffed = {s for s, t in truth.items() if "ballot_stuffing" in t["kinds"]} & counted
    assert stuffed and all(truth[s]["ballots_added"] > 0 for s in stuffed)
    ct = tables.build(contest)
    verdicts = criteria.evaluate(ct.table, ct.leader, observer_counts=data["observer_counts"])
    lit = {v.station for v in verdicts if "I19" in v.codes}
    assert len(lit & stuffed) >= 0.9 * len(stuffed)
    assert not lit - set(truth), "a clean station's count is within the observers' slips"


def test_demo_badges_are_not_a_sequence(generated):
    """A badge is checked by its number on the public check page: the demo's must not be
    guessable from one another (they were D003000000, D003000001, ...)."""
    badges = sorted(m.Observer.objects.values_list("badge", flat=True))
    assert len(badges) >= 5 and len(set(badges)) == len(badges)
    numbers = [int(b[1:]) for b in badges]
    assert all(b[0] == "D" and len(b) == 13 for b in badges)
    gaps = [b - a for a, b in itertools.pairwise(numbers)]
    assert min(gaps) > 1000, gaps[:10]
