"""Accounts: who am I, roles (granted by CEC administrators), tokens for scripts."""

from ninja import Router, Schema

from sailau.accounts import services
from sailau.accounts.permissions import grants
from sailau.api.auth import WRITE, user_of

router = Router(tags=["accounts"])


class RoleIn(Schema):
    username: str
    kind: str
    commission: str


class TokenIn(Schema):
    label: str = ""


@router.get("/me", auth=WRITE, summary="The user and their roles")
def me(request):
    user = user_of(request)
    return {"username": user.username,
            "roles": [{"kind": g.kind, "commission": g.commission_id, "level": g.level}
                      for g in grants(user)]}


@router.post("/roles", auth=WRITE, summary="Grant a role (CEC administrators)")
def grant(request, body: RoleIn):
    role = services.grant(user_of(request), body.username, body.kind, body.commission)
    return {"id": role.pk, "username": body.username, "kind": role.kind,
            "commission": role.commission_id}


@router.delete("/roles/{role_id}", auth=WRITE, summary="Revoke a role (CEC administrators)")
def revoke(request, role_id: int):
    services.revoke(user_of(request), role_id)
    return {"revoked": role_id}


@router.post("/tokens", auth=WRITE, summary="A bearer token for scripts, shown once")
def token(request, body: TokenIn):
    return {"token": services.issue_token(user_of(request), body.label)}
