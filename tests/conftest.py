import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite runs two workers on two shared cores: how fast Hypothesis makes an example there
# says nothing about the code under test, so its speed checks are off (the examples and their
# shrinking are unchanged).
settings.register_profile("shared-cores", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-cores")

# Each xdist worker gets a data directory of its own, as two installations would: files written
# by one worker's test (ground truth, snapshots, reports) are never read or replaced by another's.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("SAILAU_DATA_DIR"):
    os.environ["SAILAU_DATA_DIR"] = str(Path(os.environ["SAILAU_DATA_DIR"]) / os.environ["PYTEST_XDIST_WORKER"])


@pytest.fixture
def demo_clock(monkeypatch):
    """The application's clock where `sailau demo` sets it: at the end of the replayed night of
    the 2023 election (04:00 on 20 March in Almaty), running on from there. Returns the night."""
    import datetime as dt

    from sailau import clock
    from sailau.demo.chain import Night
    from sailau.demo.synthetic import ELECTION_DATE

    night = Night.of(ELECTION_DATE)
    monkeypatch.setenv(clock.ENV, str((night.ends - dt.datetime.now(dt.UTC)).total_seconds()))
    clock.reset()
    yield night
    clock.reset()


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


@pytest.fixture(scope="session")
def _s3_bucket():
    """The S3 pass's bucket, made once (scripts/test sets SAILAU_S3_* to moto's server)."""
    from sailau.filestores import s3_enabled

    if not s3_enabled():
        return None
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ.get("SAILAU_S3_ENDPOINT_URL"),
                          aws_access_key_id=os.environ.get("SAILAU_S3_ACCESS_KEY"),
                          aws_secret_access_key=os.environ.get("SAILAU_S3_SECRET_KEY"),
                          region_name=os.environ.get("SAILAU_S3_REGION") or "us-east-1")
    try:
        client.create_bucket(Bucket=os.environ["SAILAU_S3_BUCKET"])
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return os.environ["SAILAU_S3_BUCKET"]


@pytest.fixture(autouse=True)
def _files_of_its_own_in_the_bucket(request, _s3_bucket):
    """S3 pass only: each test's files under a key prefix of its own, so that two workers' (or
    two tests') content-named objects never meet. The local pass keeps its directories."""
    if _s3_bucket is None:
        yield None
        return
    import uuid

    from sailau.filestores import storages

    settings = request.getfixturevalue("settings")
    settings.STORAGES = storages({**os.environ, "SAILAU_S3_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield settings.STORAGES


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings):
    """Page-cache keys are built from row ids, which a rolled-back test (or another xdist
    worker's database) hands out again: each test gets an empty cache of its own process."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"}}
    caches["pages"].clear()
    yield


@pytest.fixture(scope="session")
def live_server(live_server):
    """On SQLite the tests' database is in memory, and the live server's threads share it: one
    connection for all of them (when the database was set up before the server) or connections
    to one shared cache (when after). Two requests at once then fail, with "bad parameter or
    other API misuse" or "database table is locked" at once: 500s that no deployment gives,
    its database being a file, each thread with a connection of its own. Here the server
    answers one request at a time, as a database in memory can."""
    import threading

    from django.db import connections

    if connections["default"].vendor == "sqlite":
        httpd, one = live_server.thread.httpd, threading.Lock()
        app = httpd.get_app()

        def one_at_a_time(environ, start_response):
            with one:
                return app(environ, start_response)

        httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture
def browser():
    """Chromium for a page test. Load data in fixtures listed before this one: Playwright's
    event loop makes the ORM refuse to run in the test's thread afterwards."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def phone_page(browser):
    from tests.browser import PHONE

    return browser.new_page(viewport=PHONE)


@pytest.fixture(autouse=True)
def _language_of_the_site():
    """Each test starts in the site's default language and leaves it so: a test that activates
    Russian (a request through the locale middleware, a translation.activate) must not decide the
    language of the lazy messages the next test in the same worker reads."""
    from django.utils import translation

    translation.activate("kk")
    yield
    translation.activate("kk")


@pytest.fixture(autouse=True)
def _log_writer_given_back():
    """A test that ran a turn of the log's lane in its own process (`integrate_waiting`) gives
    the writer locks back: kept, on PostgreSQL, the next test's subprocesses would wait for a
    writer that is this test runner (sailau.ledger.writer)."""
    yield
    from sailau.ledger import writer

    if writer.held():
        writer.release_all()


@pytest.fixture
def env(tmp_path):
    """The environment of a `sailau` subprocess writing into this test's database: on
    PostgreSQL the test database by URL (a transactional test, so that it sees what the
    subprocess commits), on SQLite a data directory of its own."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "SAILAU_DATA_DIR": str(tmp_path / "var"), "PYTHONPATH": str(root)}
    if os.environ.get("SAILAU_DATABASE_URL", "").startswith("postgres"):
        from django.db import connection

        s = connection.settings_dict
        env["SAILAU_DATABASE_URL"] = (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:"
                                      f"{s['PORT'] or 5432}/{s['NAME']}")
    else:
        env.pop("SAILAU_DATABASE_URL", None)
    return env


# The fixtures through which a test reaches the database (each a closure of the others').
_DATABASE = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
             "live_server"}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the marks
def pytest_collection_modifyitems(config, items):
    """The object-storage pass marks `stores_files` the tests found reaching a storage on the
    local disk (tests/storeuse.py), then scripts/test selects them by that mark.

    The PostgreSQL pass (scripts/test sets SAILAU_TEST_DATABASE_ONLY) runs again only the
    tests that open the database: a test that never does (the law, the log's
    formats, a verifier on files it wrote itself) runs the same code on every backend, and the
    first pass ran it already."""
    from tests import storeuse

    storeuse.mark_listed(items)
    if not os.environ.get("SAILAU_TEST_DATABASE_ONLY"):
        return
    keep, skip = [], []
    for item in items:
        uses = item.get_closest_marker("django_db") or _DATABASE & set(item.fixturenames)
        (keep if uses else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


# Which tests reach the file storage, for the object-storage pass (tests/storeuse.py).
@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope == "function":
        return (yield)
    from tests import storeuse

    with storeuse.unwatched():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    from tests import storeuse

    storeuse.start()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    from tests import storeuse

    try:
        return (yield)
    finally:
        storeuse.record(item, storeuse.stop())
