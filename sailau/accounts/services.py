"""Granting and revoking roles: CEC administrators only, each change audited."""

from django.contrib.auth import get_user_model
from django.db import transaction

from sailau import audit
from sailau.accounts import permissions as perm
from sailau.accounts.models import ApiToken, Role
from sailau.elections.models import Commission


class AccountError(Exception):
    status = 422
    code = "bad_input"

    def __init__(self, field: str, message: str):
        self.message = f"{field}: {message}"
        self.detail = {"field": field}
        super().__init__(self.message)

    def to_json(self) -> dict:
        return {"error": self.code, "message": self.message, **self.detail}


@transaction.atomic
def grant(admin, username: str, kind: str, commission_id: str) -> Role:
    commission = Commission.objects.filter(pk=commission_id).first()
    if commission is None:
        raise AccountError("commission", f"no commission {commission_id!r}")
    perm.require_admin(admin, commission.election_id)
    if kind not in Role.LEVELS:
        raise AccountError("kind", f"must be one of {', '.join(Role.LEVELS)}, not {kind!r}")
    if commission.level not in Role.LEVELS[kind]:
        raise AccountError("commission", f"a {kind} cannot belong to a {commission.level} "
                           "commission")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise AccountError("username", f"no user {username!r}")
    role, created = Role.objects.get_or_create(user=user, kind=kind, commission=commission)
    if created:
        audit.append(perm.username(admin), "role.granted", commission_id,
                     {"user": username, "kind": kind})
    return role


@transaction.atomic
def revoke(admin, role_id: int) -> None:
    role = Role.objects.select_related("commission", "user").filter(pk=role_id).first()
    if role is None:
        raise AccountError("role", f"no role {role_id}")
    perm.require_admin(admin, role.commission.election_id)
    role.delete()
    audit.append(perm.username(admin), "role.revoked", role.commission_id,
                 {"user": role.user.username, "kind": role.kind})


def issue_token(user, label: str = "") -> str:
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed("log in to get a token")
    return ApiToken.issue(user, label[:100])
