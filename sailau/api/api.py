"""The NinjaAPI object, its one error handler, and the routers of each part.

Every refusal answers one shape, `ErrorOut` (sailau.api.errors): a `SailauError` raised anywhere
below, a request that does not match the schema (ninja's ValidationError), a missing object
(Http404, `get_object_or_404`), a refused login or role (ninja's HttpError, Django's
PermissionDenied). No API module catches errors to re-shape them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from sailau.api.errors import ERROR_DESCRIPTIONS, ErrorOut, error_statuses
from sailau.errors import (
    BadInput,
    Code,
    Forbidden,
    NotFound,
    RateLimited,
    SailauError,
    Unauthorized,
)
from sailau.i18n import answer_lang


class SailauAPI(NinjaAPI):
    def get_openapi_schema(self, **kw):
        """Declares on every operation the error answers it can give (see `error_statuses`)."""
        schema = super().get_openapi_schema(**kw)
        ops = {self.get_openapi_operation_id(op): op for r in self._get_bound_routers()
               for view in r.path_operations.values() for op in view.operations}
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        for methods in schema["paths"].values():
            for method, o in methods.items():
                op = ops.get(o.get("operationId"))
                params = o.get("parameters") or []
                for status in error_statuses(
                        method, bool(params or o.get("requestBody")),
                        any(p.get("in") == "path" for p in params), bool(o.get("security")),
                        bool(op is not None and op.throttle_objects)):
                    o["responses"].setdefault(status, {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}}})
        return schema


api = SailauAPI(title="Sailau", version="1",
                description="Open election results: protocols, double entry, amendments, "
                            "tallies, chronometry and the audit log. Every error answers one "
                            "shape, `ErrorOut`, with a stable code in `error`.",
                urls_namespace="api")


@api.exception_handler(SailauError)
def _refusal(request, exc: SailauError):
    lang = answer_lang(request)
    with translation.override(lang):
        body = exc.to_json(lang)
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
               "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors]
    first = errors[0] if errors else {"field": None, "message": "invalid request"}
    text = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"]
                     for e in errors)
    return _refusal(request, BadInput(code=Code.BAD_INPUT, message=text or first["message"],
                                      field=first["field"],
                                      detail={"errors": errors}))


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _refusal(request, NotFound(code=Code.NOT_FOUND, message=str(exc) or "not found"))


@api.exception_handler(PermissionDenied)
def _denied(request, exc: PermissionDenied):
    return _refusal(request, Forbidden(code=Code.NOT_ALLOWED, message=str(exc) or "not allowed"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        return _refusal(request, Unauthorized(code=Code.UNAUTHORIZED,
                                              message="sign in or send a bearer "
                                                                 "token"))
    if isinstance(exc, Throttled) or exc.status_code == 429:
        return _refusal(request, RateLimited(code=Code.RATE_LIMITED, message=str(exc)))
    if exc.status_code == 403:
        return _refusal(request, Forbidden(code=Code.NOT_ALLOWED, message=str(exc)))
    if exc.status_code == 400:  # a body that cannot be parsed: input that cannot be used
        return _refusal(request, BadInput(code=Code.BAD_INPUT, message=str(exc)))
    return _refusal(request, SailauError(code=Code.BAD_INPUT, message=str(exc),
                                         status=exc.status_code))


def _routers() -> None:
    from sailau.api import (
        accounts,
        audit,
        candidates,
        chronometry,
        commission_keys,
        complaints,
        elections,
        evidence,
        finance,
        health,
        log,
        observation,
        protocols,
        tallies,
        turnout,
        video,
        voters,
    )

    api.add_router("/protocols/", protocols.router)
    api.add_router("/tallies/", tallies.router)
    api.add_router("/chronometry/", chronometry.router)
    api.add_router("/audit/", audit.router)
    api.add_router("/accounts/", accounts.router)
    api.add_router("/publish/", "sailau.publish.api.router")
    api.add_router("/complaints/", complaints.router)
    api.add_router("/observation/", observation.router)
    api.add_router("/voters/", voters.router)
    api.add_router("/finance/", finance.router)
    api.add_router("/candidates/", candidates.router)
    api.add_router("/evidence/", evidence.router)
    api.add_router("/elections/", elections.router)
    api.add_router("/video/", video.router)
    api.add_router("/turnout/", turnout.router)
    api.add_router("/log/", log.router)
    api.add_router("/keys/", commission_keys.router)
    api.add_router("/health", health.router)


_routers()
