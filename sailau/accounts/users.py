"""Ordinary accounts, as the machine's operator keeps them (`sailau accounts`): create one with a
password Django's validators accept, list them, disable and enable, set a password, and issue
or revoke an account's API tokens. Roles are granted apart (`services.grant`). Every change is
an audit record by "sailau accounts"; a password is never one, nor a token (its id is)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from sailau import audit
from sailau.accounts.models import ApiToken
from sailau.accounts.services import AccountError, account, issue_token
from sailau.i18n import later

BY = "sailau accounts"


def _subject(username: str) -> str:
    return f"user/{username}"


get = account  # the account of that name, or AccountError naming the field


def _check_password(password: str, user) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), every failure said."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(field="password", message=" ".join(exc.messages)) from None


@transaction.atomic
def create(username: str, password: str, email: str = "", full_name: str = ""):
    """A new active account with no role and no admin rights."""
    User = get_user_model()
    username = (username or "").strip()
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise AccountError(field="username", message=" ".join(exc.messages)) from None
    if User.objects.filter(username=username).exists():
        raise AccountError(field="username", message=later(
            N_("an account “%(username)s” exists already"), username=username))
    first, _, last = (full_name or "").strip().partition(" ")
    user = User(username=username, email=(email or "").strip(), first_name=first[:150],
                last_name=last[:150])
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created by someone else meanwhile
        raise AccountError(field="username", message=later(
            N_("an account “%(username)s” exists already"), username=username)) from None
    audit.append(BY, "account.created", _subject(username), {"user": username})
    return user


def accounts():
    return get_user_model().objects.order_by("username")


def describe(user) -> dict:
    now = timezone.now()
    return {"username": user.username, "active": user.is_active,
            "full_name": user.get_full_name(), "email": user.email,
            "superuser": user.is_superuser,
            "roles": sorted({r.kind for r in user.sailau_roles.all()}),
            "tokens": sum(1 for t in user.sailau_tokens.all() if t.revoked_at is None
                          and (t.expires_at is None or t.expires_at > now)),
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None}


@transaction.atomic
def set_active(username: str, active: bool):
    """Disable (no sign-in, no session, no token works: Django and `api.auth` refuse an inactive
    account) or enable again. Its roles stay, so enabling gives back what it had."""
    user = get(username)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.append(BY, "account.enabled" if active else "account.disabled",
                     _subject(username), {"user": username})
    return user


@transaction.atomic
def set_password(username: str, password: str):
    """A new password; every API token of the account stops working (`apps`)."""
    user = get(username)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit.append(BY, "account.password_set", _subject(username), {"user": username})
    return user


@transaction.atomic
def create_token(username: str, label: str = "", days: int | None = None
                 ) -> tuple[ApiToken, str]:
    """A token for the account, (its row, the token itself: shown once, stored nowhere)."""
    user = get(username)
    if not user.is_active:
        raise AccountError(field="username", message=later(
            N_("account “%(username)s” is disabled"), username=username))
    row, token = issue_token(user, label, days)
    audit.append(BY, "token.created", _subject(username),
                 {"user": username, "token": row.pk, "label": row.label,
                  "expires_at": row.expires_at.isoformat()})
    return row, token


def tokens(username: str):
    return ApiToken.objects.filter(user=get(username))


@transaction.atomic
def revoke_token(username: str, token_id: int | None) -> int:
    """Revoke one token of the account (by id), or all its live ones (None); how many."""
    user = get(username)
    live = ApiToken.live().filter(user=user)
    if token_id is not None:
        if not ApiToken.objects.filter(user=user, pk=token_id).exists():
            raise AccountError(field="token", message=later(
                N_("“%(username)s” has no token %(id)s"), username=username, id=token_id))
        live = live.filter(pk=token_id)
    ids = list(live.values_list("pk", flat=True))
    live.update(revoked_at=timezone.now())
    if ids:
        audit.append(BY, "token.revoked", _subject(username), {"user": username, "tokens": ids})
    return len(ids)
