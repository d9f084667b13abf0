from tests.chain_fixtures import chain_election, people  # noqa: F401
