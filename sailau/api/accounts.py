"""Accounts: who am I, roles (granted by CEC administrators), tokens for scripts."""

import datetime as dt

from ninja import Router, Schema

from sailau.accounts import services
from sailau.accounts.permissions import grants
from sailau.api.auth import WRITE, user_of

router = Router(tags=["accounts"])


class RoleIn(Schema):
    username: str
    kind: str
    scope: str = ""  # a commission id, org:ID, ELECTION:BODY, or nothing for a citizen
    commission: str = ""  # the older name of a commission scope


class TokenIn(Schema):
    label: str = ""
    days: int | None = None  # how long it works (default SAILAU_TOKEN_DAYS, 30)


class TokenOut(Schema):
    id: int
    label: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


@router.get("/me", auth=WRITE, summary="The user and their roles")
def me(request):
    user = user_of(request)
    return {"username": user.username,
            "roles": [{"kind": g.kind, "commission": g.commission_id, "level": g.level,
                       "election": g.election_id, "organisation": g.organisation_id,
                       "body": g.body} for g in grants(user)]}


@router.post("/roles", auth=WRITE, summary="Grant a role (CEC administrators)")
def grant(request, body: RoleIn):
    role, _ = services.grant(user_of(request), body.username, body.kind,
                             body.scope or body.commission)
    return services.describe(role)


@router.delete("/roles/{role_id}", auth=WRITE, summary="Revoke a role (CEC administrators)")
def revoke(request, role_id: int):
    services.revoke_id(user_of(request), role_id)
    return {"revoked": role_id}


@router.post("/tokens", auth=WRITE, summary="A bearer token for scripts, shown once")
def token(request, body: TokenIn):
    row, token = services.issue_token(user_of(request), body.label, body.days)
    return {"token": token, "id": row.pk, "expires_at": row.expires_at}


@router.get("/tokens", auth=WRITE, response=list[TokenOut],
            summary="My tokens (never the token itself)")
def tokens(request):
    return list(services.tokens_of(user_of(request)))


@router.delete("/tokens/{token_id}", auth=WRITE, response=TokenOut,
               summary="Revoke one of my tokens")
def revoke_token(request, token_id: int):
    return services.revoke_token(user_of(request), token_id)
