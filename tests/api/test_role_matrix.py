"""Role × endpoint matrix, generated: every write operation of the API (from its OpenAPI
document) and every page of the URL configuration (walked recursively) is posted to by an
anonymous caller, a signed-in account with no role and a citizen. None of them may write,
unless the endpoint is in OPEN below, with its reason. A new endpoint is in the matrix by
existing: one without a permission rule answers 2xx here and fails the suite.

The cross-role cases (an operator of another station, an observer, a coordinator of another
territory) are at the end; a decider of another body is `tests/complaints/test_deciders.py`."""

import json
import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sailau.accounts.models import Role
from sailau.api.api import api
from sailau.audit.verification import head
from sailau.observation.models import Organisation
from tests.factories import (
    ContestFactory,
    RoleFactory,
    StationFactory,
    UserFactory,
    beside,
    coordinator,
    operator,
    paper,
    warnings,
)

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")

# Endpoints open BY DESIGN, and to whom: "anyone" (anonymous too) or "signed-in" (any account,
# no role needed). Everything else refuses all three callers of the matrix.
OPEN = {
    # The voter-list lookup is a read sent by POST (the ИИН stays out of URLs and logs); it
    # records the lookup in its own log.
    ("POST", "/api/voters/lookup"): "anyone",
    # Any account manages its own API tokens (an unknown id is a 404).
    ("POST", "/api/accounts/tokens"): "signed-in",
    ("DELETE", "/api/accounts/tokens/{token_id}"): "signed-in",
    # Any citizen with an account files a complaint (the law lets anyone complain).
    ("POST", "/api/complaints/"): "signed-in",
    # An organisation applies for accreditation; the applicant becomes its manager, and the
    # commission decides (the decision is not open).
    ("POST", "/api/observation/organisations"): "signed-in",
    ("POST", "/kk/observation/apply/"): "signed-in",
    # An invited observer answers their own invitation (an unknown id is a 404).
    ("POST", "/api/observation/invitations/{invitation_id}/{answer}"): "signed-in",
    # Pages: filing a complaint (anyone may complain), and the voter lookup (a read by POST
    # that logs itself, as its API twin above). Choosing the language and signing in or out
    # write no data and need no entry here.
    # Anyone signed in may volunteer to re-type scans (the citizen role is granted with it);
    # their readings need a second, independent one before they count.
    ("POST", "/api/evidence/volunteer"): "signed-in",
    ("POST", "/kk/evidence/join/"): "signed-in",
    # A witness delivers its cosignature of the published log: it is no account, its Ed25519
    # signature by a key the election names is what is checked (a stranger's is refused).
    ("POST", "/api/log/{election}/cosignature"): "anyone",
    ("POST", "/kk/complaints/file/"): "anyone",
    ("POST", "/kk/voters/"): "anyone",
}
LOGIN_PAGES = re.compile(r"/(login|logout)/$")


def api_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return sorted((m.upper(), p) for p, ops in paths.items() for m in ops if m in WRITES)


def _walk(resolver: URLResolver, prefix: str):
    for p in resolver.url_patterns:
        part = str(p.pattern)
        if isinstance(p, URLResolver):
            # The API is enumerated from its own schema; Django's admin has its own staff check.
            if p.namespace in ("api", "admin"):
                continue
            # i18n_patterns: the resolver's pattern is the current language's prefix.
            yield from _walk(p, prefix + part.lstrip("^"))
        elif isinstance(p, URLPattern):
            yield prefix + part


def page_routes() -> list[str]:
    return sorted({"/" + r for r in _walk(get_resolver(), "")})


def test_the_enumeration_finds_the_endpoints_it_must():
    """Guards the generator itself: if it silently found nothing, the matrix would pass."""
    ops = api_operations()
    assert ("PUT", "/api/protocols/{station}/{contest}/entry/{n}") in ops
    assert ("POST", "/api/accounts/roles") in ops and len(ops) >= 25
    pages = page_routes()
    assert "/kk/entry/<str:station_id>/<str:contest_id>/resolve/" in pages
    assert "/kk/complaints/staff/<str:receipt>/" in pages and len(pages) >= 40
    known = set(ops) | {("POST", p) for p in pages}
    assert not set(OPEN) - known, "an OPEN entry names no endpoint"


# ---------------------------------------------------------------------------------------------
# A request body that passes the schema and names the world's objects (a field called `station`
# gets the station, `figures` a valid protocol...), so the call reaches the permission check
# behind it rather than stopping at the input.

def _minimal(schema: dict, defs: dict, fields: dict):
    if "$ref" in schema:
        return _minimal(defs[schema["$ref"].rsplit("/", 1)[1]], defs, fields)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _minimal(options[0], defs, fields)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _field(k, props[k], defs, fields) for k in props
                if k in schema.get("required", ()) or k in fields}
    if kind == "array":
        return [_minimal(schema.get("items", {}), defs, fields)
                for _ in range(max(1, schema.get("minItems", 0)))]
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    return {"date": "2023-03-19", "date-time": "2023-03-19T20:00:00+06:00",
            "uuid": str(uuid.uuid4())}.get(fmt, "x" * max(1, schema.get("minLength", 1)))


def _field(name: str, schema: dict, defs: dict, fields: dict):
    typed = schema.get("type") or next((s.get("type") for s in schema.get("anyOf", ())
                                        if s.get("type") != "null"), None)
    if f"{name}:{typed}" in fields:
        return fields[f"{name}:{typed}"]
    if name in fields:
        return fields[name]
    return _minimal(schema, defs, fields)


def body_for(method: str, path: str, fields: dict) -> dict:
    schema = api.get_openapi_schema()
    op = schema["paths"][path][method.lower()]
    content = (op.get("requestBody") or {}).get("content", {})
    if "application/json" in content:
        defs = schema["components"]["schemas"]
        body = _minimal(content["application/json"]["schema"], defs, fields)
        return {"data": json.dumps(body), "content_type": "application/json"}
    return {}  # multipart (a file upload): the empty form is refused before or at the check


def is_upload(method: str, path: str) -> bool:
    op = api.get_openapi_schema()["paths"][path][method.lower()]
    return "multipart/form-data" in (op.get("requestBody") or {}).get("content", {})


# ---------------------------------------------------------------------------------------------
# The world: one small election, and the three callers who may not write.

def fill(route: str, values: dict) -> str:
    """The route with its parameters ({x} for the API, <conv:x> for pages) filled in."""
    def value(m):
        name = m.group(1) or m.group(2)
        return str(values.get(name, "x"))
    return re.sub(r"\{(\w+)\}|<(?:\w+:)?(\w+)>", value, route)


@pytest.fixture
def world():
    station = StationFactory()
    far = StationFactory(election=station.election)
    contest = ContestFactory(election=station.election)
    citizen = RoleFactory(kind=Role.CITIZEN, commission=None)
    organisation = Organisation.objects.create(election=station.election, names={"kk": "Қор"},
                                               kind=Organisation.CITIZEN)
    figures, choices = paper(contest, station)
    values = {
        "station": station.id, "station_id": station.id, "contest": contest.id,
        "contest_id": contest.id, "n": 1, "election": station.election_id,
        "election_id": station.election_id, "commission_id": station.commission_id,
        "territory_id": station.territory_id, "number": station.number, "fmt": "csv",
        "level": "district", "role_id": citizen.pk, "token_id": 999999, "answer": "accept",
        "accreditation_id": 999999, "observer_id": 999999, "invitation_id": 999999,
        "uuid": uuid.uuid4(), "sample_id": 999999, "commitment_id": 999999, "pk": 999999,
        "receipt": "X",
        "badge": "X", "name": "x", "claim_id": 999999, "image_id": 999999, "task_id": 999999,
    }
    fields = {
        "election": station.election_id, "contest": contest.id, "station": station.id,
        "station:integer": station.number, "commission": station.commission_id,
        "organisation": organisation.pk, "organisation:string": str(organisation.pk),
        "kind": Role.OPERATOR, "scope": station.commission_id, "step": "protocol_signed",
        "username": citizen.user.username,
        "figures": figures, "choices": choices,
        "acknowledged": warnings(contest, figures, choices), "action": "accept_first",
    }
    return {"station": station, "far": far, "contest": contest, "values": values,
            "fields": fields,
            "callers": {"anonymous": None, "no role": UserFactory(), "citizen": citizen.user}}


def snapshot() -> tuple:
    """Every table's row count and the audit log's head: equal before and after = no write."""
    counts = tuple(m._default_manager.count() for m in apps.get_models()
                   if m._meta.db_table != "django_session")
    return counts, head()


def client_for(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        c.force_login(user)
    return c


def refused_api(caller: str, status: int, upload: bool) -> bool:
    if caller == "anonymous":
        return status == 401
    # 403; 404 where the path names an object the world has not (an id like 999999); 422
    # only for a file upload, which the matrix sends without its file.
    return status in (403, 404) or (upload and status == 422)


def refused_page(caller: str, response, client) -> bool:
    """Refused (sign in, forbidden, not found, method not allowed), or a read page that
    ignores the method: a GET answers the same. That no write happened is checked apart."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code == 302 and "login" in response.get("Location", ""):
        return True
    return client.get(response.request["PATH_INFO"]).status_code == response.status_code


def _check(world, method, route, url, kw, refused):
    open_to = OPEN.get((method, route))
    for caller, user in world["callers"].items():
        if open_to == "anyone" or (open_to == "signed-in" and user is not None):
            continue
        client = client_for(user)  # signing in writes its own traces: before the snapshot
        before = snapshot()
        r = getattr(client, method.lower())(url, **kw)
        assert r.status_code < 500, f"{caller} {method} {url}: {r.status_code}"
        assert refused(caller, r, client), (f"{caller} {method} {url} was not refused: "
                                            f"{r.status_code}")
        assert snapshot() == before, f"{caller} {method} {url} wrote"


@pytest.mark.parametrize("method,path", api_operations())
def test_api_write_refuses_callers_without_a_role(world, method, path):
    url = fill(path, world["values"])
    upload = is_upload(method, path)
    _check(world, method, path, url, body_for(method, path, world["fields"]),
           lambda caller, r, client: refused_api(caller, r.status_code, upload))


@pytest.mark.parametrize("route", page_routes())
def test_page_post_refuses_callers_without_a_role(world, route):
    url = fill(route, world["values"])
    if LOGIN_PAGES.search(url):
        # Signing in or out writes no data (a failed sign-in re-shows the form).
        _check(world, "POST", url, url, {"data": {}}, lambda caller, r, client: r.status_code < 500)
        return
    _check(world, "POST", url, url, {"data": {}}, refused_page)


# ---------------------------------------------------------------------------------------------
# Cross-role: a role reaches only its own station, territory or kind of write.

def _finalise(client, station, contest, n=1, figures=None, choices=None):
    fig, cho = paper(contest, station)
    body = {"figures": figures or fig, "choices": choices or cho,
            "acknowledged": warnings(contest, figures or fig, choices or cho)}
    return client.post(f"/api/protocols/{station.id}/{contest.id}/entry/{n}/finalise",
                       json.dumps(body), content_type="application/json")


def test_an_operator_enters_only_their_own_station(world):
    station, contest = world["station"], world["contest"]
    other = beside(station)
    client = client_for(operator(station))
    before = snapshot()
    r = _finalise(client, other, contest)
    assert r.status_code == 403 and r.json()["error"] == "not_allowed", r.content
    draft = client.put(f"/api/protocols/{other.id}/{contest.id}/entry/1",
                       json.dumps({"figures": {}, "choices": {}}),
                       content_type="application/json")
    assert draft.status_code == 403 and snapshot() == before
    # The same call on their own station goes through: the refusal above is the role's.
    assert _finalise(client, station, contest).status_code == 200


def test_an_observer_enters_no_protocol(world):
    station, contest = world["station"], world["contest"]
    org = Organisation.objects.create(election=station.election, kind=Organisation.CITIZEN,
                                      names={"kk": "Қор"})
    observer = RoleFactory(kind=Role.OBSERVER, commission=None, organisation=org).user
    client = client_for(observer)
    before = snapshot()
    assert _finalise(client, station, contest).status_code == 403
    r = client.post(f"/kk/entry/{station.id}/{contest.id}/1/", {})
    assert refused_page("observer", r, client) and snapshot() == before


def test_a_coordinator_resolves_only_their_own_territory(world):
    station, contest, far = world["station"], world["contest"], world["far"]
    fig, cho = paper(contest, station)
    differing = dict(cho, **{k: v + (1 if i == 0 else -1 if i == 1 else 0)
                             for i, (k, v) in enumerate(cho.items())})
    assert _finalise(client_for(operator(station)), station, contest).status_code == 200
    second = _finalise(client_for(operator(station)), station, contest, 2, fig, differing)
    assert second.status_code == 200 and second.json()["state"] == "entries_different", second.content
    url = f"/api/protocols/{station.id}/{contest.id}/resolve"
    body = json.dumps({"action": "accept_first"})
    stranger = client_for(coordinator(far.territory))
    before = snapshot()
    r = stranger.post(url, body, content_type="application/json")
    assert r.status_code == 403 and snapshot() == before, r.content
    page = stranger.post(
        f"/kk/entry/{station.id}/{contest.id}/resolve/", {"action": "accept_first"})
    assert page.status_code in (302, 403, 404) and snapshot() == before
    own = client_for(coordinator(station.territory))
    assert own.post(url, body, content_type="application/json").status_code == 200


def test_a_refusal_reveals_nothing_about_a_voter_outside_the_callers_scope(world):
    """An operator asking about a voter of another station by IIN gets the answer an unknown
    IIN gets (not a refusal naming the voter's station), each ask is in the audit log, and an
    account that keeps asking is stopped."""
    import datetime as dt

    from sailau.audit.models import Record
    from sailau.register.iin import make_iin
    from sailau.voters import models as vm
    from sailau.voters import probing

    station, far = world["station"], world["far"]
    born = dt.date(1980, 5, 17)
    voter = vm.Voter.objects.create(iin=make_iin(born, "M", 1), last_name="Серікбаев",
                                    first_name="Ерлан", birth_date=born, sex="M",
                                    citizenship="KAZ", region="Астана", locality="Астана")
    vm.ListEntry.objects.create(election=station.election, voter=voter, home_station=far,
                                station=far, eligible=True, state=vm.ListEntry.ON_LIST)
    unknown = make_iin(born, "M", 2)
    client = client_for(operator(station))
    url = f"/api/voters/{station.election_id}"
    ops = (("mobile", {"reason": "illness"}), ("absentee", {}),
           ("transfers", {"station": station.number, "address": "Абая 1"}))
    for op, extra in ops:
        theirs = client.post(f"{url}/{op}", {"iin": voter.iin, **extra},
                             content_type="application/json")
        nobody = client.post(f"{url}/{op}", {"iin": unknown, **extra},
                             content_type="application/json")
        assert (theirs.status_code, theirs.json()) == (nobody.status_code, nobody.json()), op
        assert theirs.status_code == 404 and str(far.number) not in theirs.content.decode()
    asked = Record.objects.filter(action="voters.iin_not_found")
    assert asked.count() == 2 * len(ops)
    assert not any(voter.iin in json.dumps(r.payload) or unknown in json.dumps(r.payload)
                   for r in asked)
    # The voter's own station's operator is answered about them (here: the deadline is past).
    own = client_for(operator(far)).post(f"{url}/mobile", {"iin": voter.iin, "reason": "illness"},
                                         content_type="application/json")
    assert own.status_code == 422 and own.json()["error"] == "deadline_passed", own.content
    # Walking the register is stopped: past the limit even a voter of their own is refused.
    for _ in range(probing.MISS_LIMIT - 2 * len(ops)):
        client.post(f"{url}/mobile", {"iin": unknown, "reason": "illness"},
                    content_type="application/json")
    r = client.post(f"{url}/mobile", {"iin": voter.iin, "reason": "illness"},
                    content_type="application/json")
    assert r.status_code == 429 and r.json()["error"] == "rate_limited", r.content
