"""A user's roles, each with its scope, and API tokens for scripts.

A role is a kind and a scope. Commission roles (CEC administrator, coordinator, operator) are
scoped to a commission: its level sets the territory (a precinct operator is an operator of a
precinct commission). Observer-organisation roles (manager, observer) are scoped to an
organisation. A complaint-deciding body is a commission, or a court or the prosecutor of one
election (`body`), as a complaint names it. A citizen role has no scope. `election` is filled
from the scope, so that every question "in which election" is one column."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sailau.elections.models import Commission
from sailau.law import deadlines as law

# Which kinds a complaint names as its body and the role scopes by election and body (the
# commission bodies are scoped by the commission instead).
ELECTION_BODIES = (*law.COURT_BODIES, law.PROSECUTOR)


class Role(models.Model):
    ADMIN, COORDINATOR, OPERATOR = "admin", "coordinator", "operator"
    MANAGER, OBSERVER = "org_manager", "observer"
    DECIDER, CITIZEN = "decider", "citizen"
    KINDS = [
        (ADMIN, _("CEC administrator")),
        (COORDINATOR, _("Coordinator: resolves differing entries, enters amendments")),
        (OPERATOR, _("Operator: enters protocols and step times")),
        (MANAGER, _("Observer-organisation manager")),
        (OBSERVER, _("Observer")),
        (DECIDER, _("Complaint-deciding body")),
        (CITIZEN, _("Citizen")),
    ]
    COMMISSION_KINDS = (ADMIN, COORDINATOR, OPERATOR)
    ORGANISATION_KINDS = (MANAGER, OBSERVER)
    # Which commission levels each commission kind may be attached to.
    LEVELS = {
        OPERATOR: {Commission.PRECINCT, Commission.DISTRICT, Commission.SMD,
                   Commission.TERRITORIAL, Commission.CEC},
        COORDINATOR: {Commission.DISTRICT, Commission.SMD, Commission.TERRITORIAL,
                      Commission.CEC},
        ADMIN: {Commission.CEC},
        DECIDER: {Commission.PRECINCT, Commission.DISTRICT, Commission.SMD,
                  Commission.TERRITORIAL, Commission.CEC},
    }
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="sailau_roles")
    kind = models.CharField(max_length=16, choices=KINDS)
    election = models.ForeignKey("elections.Election", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+",
                                 help_text="filled from the scope")
    commission = models.ForeignKey(Commission, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="roles")
    organisation = models.ForeignKey("observation.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="roles")
    body = models.CharField(max_length=24, blank=True,
                            choices=[(b, b) for b in ELECTION_BODIES],
                            help_text="a deciding court or the prosecutor (with the election)")
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "commission"],
                                    condition=Q(commission__isnull=False),
                                    name="role_unique_commission"),
            models.UniqueConstraint(fields=["user", "kind", "organisation"],
                                    condition=Q(organisation__isnull=False),
                                    name="role_unique_organisation"),
            models.UniqueConstraint(fields=["user", "kind", "election", "body"],
                                    condition=~Q(body=""), name="role_unique_body"),
            models.UniqueConstraint(fields=["user", "kind"],
                                    condition=Q(commission__isnull=True,
                                                organisation__isnull=True, body=""),
                                    name="role_unique_unscoped"),
            # Each kind has exactly its own scope.
            models.CheckConstraint(name="role_scope_fits_kind", condition=(
                Q(kind__in=["admin", "coordinator", "operator"], commission__isnull=False,
                  organisation__isnull=True, body="")
                | Q(kind__in=["org_manager", "observer"], organisation__isnull=False,
                    commission__isnull=True, body="")
                | Q(kind="decider", commission__isnull=False, organisation__isnull=True, body="")
                | Q(kind="decider", commission__isnull=True, organisation__isnull=True,
                    election__isnull=False, body__in=list(ELECTION_BODIES))
                | Q(kind="citizen", commission__isnull=True, organisation__isnull=True,
                    election__isnull=True, body=""))),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} @ {self.scope}"

    @property
    def scope(self) -> str:
        """The scope as `sailau roles` reads and writes it."""
        if self.commission_id:
            return self.commission_id
        if self.organisation_id:
            return f"org:{self.organisation_id}"
        if self.body:
            return f"{self.election_id}:{self.body}"
        return ""

    def clean(self) -> None:
        """Scope validation for the admin and `sailau roles`: each message names the field."""
        k = self.kind
        wants_commission = k in self.COMMISSION_KINDS or (k == self.DECIDER and not self.body)
        errors = {}
        if wants_commission:
            if self.commission_id is None:
                errors["commission"] = _("A %(kind)s role needs a commission.") % {
                    "kind": self.get_kind_display()}
            elif self.commission.level not in self.LEVELS[k]:
                errors["commission"] = _("A %(kind)s role cannot belong to a %(level)s "
                                         "commission.") % {"kind": self.get_kind_display(),
                                                           "level": self.commission.level}
        elif self.commission_id is not None:
            errors["commission"] = _("This role is not scoped to a commission.")
        if k in self.ORGANISATION_KINDS:
            if self.organisation_id is None:
                errors["organisation"] = _("This role needs an observer organisation.")
        elif self.organisation_id is not None:
            errors["organisation"] = _("This role is not scoped to an observer organisation.")
        if self.body and k != self.DECIDER:
            errors["body"] = _("Only a complaint-deciding body has a court or prosecutor.")
        if self.body and self.election_id is None:
            errors["election"] = _("A court or prosecutor is scoped to an election.")
        if errors:
            raise ValidationError(errors)
        self.election_id = self.derived_election_id()

    def derived_election_id(self) -> str | None:
        if self.commission_id:
            return self.commission.election_id
        if self.organisation_id:
            return self.organisation.election_id
        return self.election_id if self.body else None

    def save(self, *args, **kwargs):
        self.election_id = self.derived_election_id()
        super().save(*args, **kwargs)


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "SAILAU_TOKEN_DAYS", 30))


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 is stored; the token is shown once. It works
    until it expires or is revoked; a password change revokes every token of its user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="sailau_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def create(cls, user, label: str = "", days: int | None = None) -> tuple["ApiToken", str]:
        """A new token: (its row, the token itself, which is stored nowhere)."""
        token = secrets.token_urlsafe(32)
        life = dt.timedelta(days=days) if days is not None else token_lifetime()
        row = cls.objects.create(user=user, key_hash=cls.digest(token), label=label,
                                 expires_at=timezone.now() + life)
        return row, token

    @classmethod
    def issue(cls, user, label: str = "", days: int | None = None) -> str:
        return cls.create(user, label, days)[1]

    @classmethod
    def issue_many(cls, user_ids, label: str = "") -> dict[int, str]:
        """A new token for each of these users (by id), as `create` makes one (the same row:
        its SHA-256, the label, the lifetime from now), written in one statement: user id -> the
        token itself. The demo's night gives thousands of operators theirs at once."""
        from sailau.audit.sql import insert_rows

        tokens = {uid: secrets.token_urlsafe(32) for uid in user_ids}
        now = timezone.now()
        expires = now + token_lifetime()
        insert_rows(cls, ["user", "key_hash", "label", "created_at", "expires_at", "revoked_at"],
                    [(uid, cls.digest(t), label, now, expires, None)
                     for uid, t in tokens.items()])
        return tokens

    @classmethod
    def live(cls):
        now = timezone.now()
        return cls.objects.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None
                                            or self.expires_at > timezone.now())


class RateCount(models.Model):
    """One counter of a rate limit (sailau.ratewindow): the events of one subject (an account,
    a client address's keyed hash) in one fixed window, kept in the database so that every
    worker and every web node counts together and a restart or a full cache forgets nothing.
    Written only by `ratewindow`'s atomic upsert; rows past `expires` (seconds since the epoch)
    are swept."""

    name = models.CharField(max_length=200, primary_key=True)  # limit:subject:window
    hits = models.IntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)
