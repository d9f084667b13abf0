import pytest


@pytest.fixture(scope="session")
def small_synthetic():
    """A small synthetic election (pure data, no database)."""
    from sailau.demo.synthetic import build

    return build(seed=7, stations=120)


@pytest.fixture
def small_election(db, small_synthetic):
    """The small synthetic election loaded into the test database."""
    from sailau.demo.load import load

    return load(small_synthetic)


@pytest.fixture
def small_structure(db, small_synthetic):
    """The small synthetic election's structure alone, without results."""
    from sailau.elections import structure

    return structure.write(structure.validate(small_synthetic.structure()))
