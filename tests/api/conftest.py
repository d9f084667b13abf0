import pytest
from django.core import signals
from django.db import close_old_connections

from tests.chain_fixtures import chain_election, people  # noqa: F401


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests handled in this process straight through the WSGI application (schemathesis)
    would close the database connection at each request's end: inside a test's transaction
    Django's check "autocommit is not what settings say" closes it, and on PostgreSQL the next
    query fails ("the connection is closed"; SQLite's in-memory test database ignores close).
    Django's own test client disconnects the same handler for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
