"""The NinjaAPI object, its error handlers, and the routers of each part."""

from ninja import NinjaAPI

from sailau.accounts.permissions import NotAllowed
from sailau.accounts.services import AccountError
from sailau.law import LawInputError
from sailau.protocols.errors import ChainError

api = NinjaAPI(title="Sailau", version="1",
               description="Open election results: protocols, double entry, amendments, "
                           "tallies, chronometry and the audit log.",
               urls_namespace="api")


@api.exception_handler(ChainError)
def _chain_error(request, exc: ChainError):
    return api.create_response(request, exc.to_json(), status=exc.status)


@api.exception_handler(AccountError)
def _account_error(request, exc: AccountError):
    return api.create_response(request, exc.to_json(), status=exc.status)


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc: NotAllowed):
    return api.create_response(request, {"error": exc.code, "message": exc.message}, status=403)


@api.exception_handler(LawInputError)
def _law_error(request, exc: LawInputError):
    return api.create_response(request, {"error": "bad_input", "message": str(exc),
                                         "field": exc.field}, status=422)


def _routers() -> None:
    from sailau.api import accounts, audit, chronometry, protocols, tallies

    api.add_router("/protocols/", protocols.router)
    api.add_router("/tallies/", tallies.router)
    api.add_router("/chronometry/", chronometry.router)
    api.add_router("/audit/", audit.router)
    api.add_router("/accounts/", accounts.router)
    api.add_router("/publish/", "sailau.publish.api.router")
    api.add_router("/complaints/", "sailau.complaints.api.router")
    api.add_router("/observation/", "sailau.observation.api.router")
    api.add_router("/voters/", "sailau.voters.api.router")


_routers()
