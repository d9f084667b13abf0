"""Shared helpers for the forensics tests: where the shared data lives, and a synthetic election
generator with known ballot stuffing (the ground truth the demo will later provide)."""

from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def data_file(*parts) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    return path


def synthetic_election(n=5000, stuffed=0.0, seed=1, turnout=0.55, share=0.45, integer=0.0):
    """Station counts from a clean binomial model; a fraction `stuffed` of stations then gets
    30–90% of its non-voters' ballots added for the leader, and a fraction `integer` has its
    leader's votes set to give a round percentage. Returns arrays and the stuffed station ids."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 3000, n)
    t = np.clip(rng.normal(turnout, 0.07, n), 0.05, 0.95)
    s = np.clip(rng.normal(share, 0.07, n), 0.05, 0.95)
    ballots = rng.binomial(registered, t)
    leader = rng.binomial(ballots, s)
    ids = np.array([f"S{i:05d}" for i in range(n)], dtype=object)
    bad = rng.random(n) < stuffed
    extra = (rng.uniform(0.3, 0.9, n) * (registered - ballots)).astype(np.int64) * bad
    ballots = ballots + extra
    leader = leader + extra
    rounded = rng.random(n) < integer
    target = np.round(100 * leader / ballots) / 100
    leader = np.where(rounded, np.round(target * ballots).astype(np.int64), leader)
    return {"station": ids, "registered": registered, "ballots": ballots, "counted": ballots.copy(),
            "leader": leader, "stuffed_ids": set(ids[bad]), "stuffed_votes": int(extra.sum()),
            "region": np.array([f"R{i % 4}" for i in range(n)], dtype=object)}


def write_csv(path: Path, election: dict) -> Path:
    import polars as pl

    pl.DataFrame({"id": list(election["station"]), "region": list(election["region"]),
                  "N": election["registered"], "cast": election["ballots"],
                  "winner": election["leader"]}).write_csv(path)
    return path


@pytest.fixture
def clean_election():
    return synthetic_election(stuffed=0.0)


@pytest.fixture
def stuffed_election():
    return synthetic_election(stuffed=0.1)
