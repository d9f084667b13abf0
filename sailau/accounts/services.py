"""Granting and revoking roles (CEC administrators through the API, the machine's operator
through `sailau roles`), each change audited; API tokens."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from sailau import audit
from sailau.accounts import permissions as perm
from sailau.accounts import signals
from sailau.accounts.models import ELECTION_BODIES, ApiToken, Role
from sailau.elections.models import Commission, Election

# The names `sailau roles` accepts for a kind, besides the kind itself: the roles as the law
# names them. A precinct operator is an operator of a precinct commission.
ALIASES = {"cec-admin": Role.ADMIN, "precinct-operator": Role.OPERATOR,
           "manager": Role.MANAGER, "observer-manager": Role.MANAGER,
           "complaint-decider": Role.DECIDER}
from sailau.errors import BadInput
from sailau.i18n import later
from sailau.ledger import outbox


class AccountError(BadInput):
    """A role, a scope or a token that cannot be granted: the message names the field."""

    names_field = True


def kind_of(name: str) -> str:
    kind = ALIASES.get(name, name)
    if kind not in dict(Role.KINDS):
        raise AccountError(field="kind",
                           message=later(N_("must be one of %(kinds)s, not “%(name)s”"),
                                          kinds=", ".join(dict(Role.KINDS)), name=name))
    return kind


def scope_fields(kind: str, scope: str) -> dict:
    """The Role fields a scope names: a commission id (an election id for a CEC administrator
    means its CEC), `org:ID` (or the id) of an observer organisation, `ELECTION:BODY` for a court
    or the prosecutor, nothing for a citizen."""
    scope = (scope or "").strip()
    if kind == Role.CITIZEN:
        if scope:
            raise AccountError(field="scope", message=later(N_("a citizen role has no scope")))
        return {}
    if not scope:
        raise AccountError(field="scope", message=later(N_("a %(kind)s role needs a scope"),
                                                        kind=kind))
    if kind in Role.ORGANISATION_KINDS:
        # the model by the role's own field: accounts do not import observation, which is above
        Organisation = Role._meta.get_field("organisation").related_model
        pk = scope.removeprefix("org:")
        org = Organisation.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if org is None:
            raise AccountError(field="scope",
                               message=later(N_("no observer organisation “%(scope)s”"),
                                             scope=scope))
        return {"organisation": org}
    if kind == Role.DECIDER and ":" in scope:
        election_id, body = scope.rsplit(":", 1)
        if body not in ELECTION_BODIES:
            raise AccountError(field="scope", message=later(
                N_("the body must be one of %(bodies)s (a commission is named by its id), "
                   "not “%(body)s”"), bodies=", ".join(ELECTION_BODIES), body=body))
        if not Election.objects.filter(pk=election_id).exists():
            raise AccountError(field="scope", message=later(N_("no election “%(election)s”"),
                                                            election=election_id))
        return {"election_id": election_id, "body": body}
    commission = Commission.objects.filter(pk=scope).first()
    if commission is None and kind == Role.ADMIN:
        commission = Commission.objects.filter(election_id=scope, level=Commission.CEC).first()
    if commission is None:
        raise AccountError(field="scope", message=later(N_("no commission “%(scope)s”"),
                                                        scope=scope))
    return {"commission": commission}


def account(username: str):
    """The account of that name, or AccountError naming the field."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise AccountError(field="username", message=later(N_("no account “%(username)s”"),
                                                           username=username))
    return user


def _require_grantor(actor, role: Role) -> None:
    """`actor` None is the machine's operator (`sailau roles`); through the API, a CEC
    administrator of the role's election (any election for a citizen role)."""
    if actor is None:
        return
    if role.election_id is None:
        if not any(g.kind == perm.AD for g in perm.grants(actor)):
            raise perm.NotAllowed(message=f"{perm.username(actor)} is not a CEC administrator")
        return
    perm.require_admin(actor, role.election_id)


def _actor(actor) -> str:
    return "sailau roles" if actor is None else perm.username(actor)


@transaction.atomic
def grant(actor, username: str, kind: str, scope: str = "",
          observer=None) -> tuple[Role, bool]:
    """Grant a role; (role, created). Granting what the user has is no change and no record.
    An observer role links the account to `observer` (or to a new observer record)."""
    kind = kind_of(kind)
    fields = scope_fields(kind, scope)
    user = account(username)
    role = Role(user=user, kind=kind, granted_by=_actor(actor), **fields)
    try:
        role.clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise AccountError(field="scope", message=f"{field}: {' '.join(messages)}") from None
    _require_grantor(actor, role)
    existing = _find(user, kind, role)
    if existing is not None:
        return existing, False
    signals.role_granting.send(Role, role=role, user=user, observer=observer)
    _record(role, _actor(actor))
    return role, True


def _record(role: Role, by: str) -> None:
    """Save a new role with its audit record, in the caller's transaction: every role row of
    an honest installation stands granted in the audit log (`sailau audit verify`)."""
    role.save()
    username = perm.username(role.user)
    audit.append(by, "role.granted", role.scope or f"user/{username}",
                 {"user": username, "kind": role.kind, "scope": role.scope})
    log_role(role, "granted")
    perm.forget(role.user)


@transaction.atomic
def grant_by_system(user, kind: str, by: str, **fields) -> tuple[Role, bool]:
    """A role the application itself gives, with no administrator to check: a volunteer's
    sign-up (citizen), an observer organisation's applicant (its manager), the demo's accounts.
    The same row and audit record as `grant`; `by` names who gave it in the record ("volunteer
    sign-up", "demo"). Granting what the user has is no change and no record; two sign-ups at
    once give one role (the loser's insert fails and the role found is returned)."""
    like = Role(user=user, kind=kind, granted_by=by, **fields)
    existing = _find(user, kind, like)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            _record(like, by)
    except IntegrityError:
        return _find(user, kind, like), False
    return like, True


def _find(user, kind: str, like: Role) -> Role | None:
    return Role.objects.filter(user=user, kind=kind, commission_id=like.commission_id,
                               organisation_id=like.organisation_id, body=like.body,
                               election_id=like.election_id).first()


@transaction.atomic
def revoke(actor, username: str, kind: str, scope: str = "") -> Role:
    kind = kind_of(kind)
    like = Role(kind=kind, **scope_fields(kind, scope))
    like.election_id = like.derived_election_id()
    role = _find(account(username), kind, like)
    if role is None:
        raise AccountError(field="role",
                           message=later(N_("%(username)s has no %(kind)s role at “%(scope)s”"),
                                         username=username, kind=kind, scope=scope))
    return _revoke(actor, role)


@transaction.atomic
def revoke_id(actor, role_id: int) -> Role:
    role = Role.objects.select_related("user").filter(pk=role_id).first()
    if role is None:
        raise AccountError(field="role", message=later(N_("no role %(id)s"), id=role_id))
    return _revoke(actor, role)


def _revoke(actor, role: Role) -> Role:
    _require_grantor(actor, role)
    signals.role_revoking.send(Role, role=role)
    scope, grant = role.scope, role.pk
    role.delete()
    audit.append(_actor(actor), "role.revoked", scope or f"user/{role.user.username}",
                 {"user": role.user.username, "kind": role.kind, "scope": scope})
    log_role(role, "revoked", grant)
    perm.forget(role.user)
    return role


def log_role(role: Role, action: str, grant: int | None = None) -> None:
    """A role of an election is a leaf of its published log, in the granting (or revoking)
    transaction: its kind and scope and the grant's number, never who holds it (a login name is
    personal data; the audit log keeps it). A role outside any election (a citizen's) is not
    in an election's log. Every path that writes or deletes a role row logs it (this module,
    the admin's role inline, the demo's bulk grants): `sailau audit verify` names a role row no
    leaf grants, and a granted leaf whose row is gone."""
    log_roles([role], action, grant)


def log_roles(roles, action: str, grant: int | None = None) -> int:
    """`log_role` for many rows at once (saved, or deleted with their pk kept); how many leaves."""
    return outbox.append_many([(r.election_id, "role", f"role/{grant or r.pk}", {
        "action": action, "role": r.kind, "scope": r.scope, "grant": grant or r.pk})
        for r in roles if r.election_id])


def forget_roles(roles, by: str) -> int:
    """Delete `roles` (a queryset) with a revocation each, audit record and leaf, in the
    caller's transaction: for what deletes roles in bulk (a demo's accounts made again, a user
    deleted in the admin). How many."""
    rows = list(roles.select_related("user"))
    if not rows:
        return 0
    audit.append_many([(by, "role.revoked", r.scope or f"user/{r.user.username}",
                        {"user": r.user.username, "kind": r.kind, "scope": r.scope})
                       for r in rows])
    log_roles(rows, "revoked")
    Role.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


def roles(username: str | None = None):
    qs = Role.objects.select_related("user", "commission").order_by("user__username", "kind", "pk")
    if username:
        qs = qs.filter(user=account(username))
    return qs


def describe(role: Role) -> dict:
    kind = role.kind
    if kind == Role.OPERATOR and role.commission and role.commission.level == Commission.PRECINCT:
        kind = "precinct-operator"
    return {"id": role.pk, "username": role.user.username, "kind": role.kind, "as": kind,
            "scope": role.scope, "election": role.election_id,
            "granted_at": role.granted_at.isoformat() if role.granted_at else None,
            "granted_by": role.granted_by}


# ------------------------------------------------------------------ tokens


def issue_token(user, label: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed(message="log in to get a token")
    if days is not None and not 1 <= days <= 366:
        raise AccountError(field="days",
                           message=later(N_("a token lives 1 to 366 days, not %(days)s"),
                                         days=days))
    return ApiToken.create(user, label, days)


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def revoke_token(user, token_id: int) -> ApiToken:
    t = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if t is None:  # another user's token is as unknown as a missing one
        raise AccountError(field="token", message=later(N_("you have no token %(id)s"),
                                                        id=token_id))
    if t.revoked_at is None:
        t.revoked_at = timezone.now()
        t.save(update_fields=["revoked_at"])
        audit.append(perm.username(user), "token.revoked", f"user/{user.username}",
                     {"token": t.pk, "label": t.label})
    return t


def revoke_all_tokens(user, why: str) -> int:
    n = ApiToken.live().filter(user=user).update(revoked_at=timezone.now())
    if n:
        audit.append(perm.username(user), "token.revoked", f"user/{user.username}",
                     {"count": n, "why": why})
    return n
