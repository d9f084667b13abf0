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


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings):
    """Page-cache keys are built from row ids, which a rolled-back test (or another xdist
    worker's database) hands out again: each test gets an empty cache of its own process."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"}}
    caches["pages"].clear()
    yield
