from tests.protocols.conftest import crew, few  # noqa: F401
