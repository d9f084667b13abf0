"""A user's roles in the commission tree, and API tokens for scripts."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from sailau.elections.models import Commission


class Role(models.Model):
    OPERATOR, COORDINATOR, ADMIN = "operator", "coordinator", "admin"
    KINDS = [
        (OPERATOR, "Operator: enters protocols and step times"),
        (COORDINATOR, "Coordinator: resolves differing entries, enters amendments"),
        (ADMIN, "CEC administrator"),
    ]
    # Which commission levels each kind may be attached to.
    LEVELS = {
        OPERATOR: {Commission.PRECINCT, Commission.DISTRICT, Commission.SMD,
                   Commission.TERRITORIAL, Commission.CEC},
        COORDINATOR: {Commission.DISTRICT, Commission.SMD, Commission.TERRITORIAL,
                      Commission.CEC},
        ADMIN: {Commission.CEC},
    }
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="sailau_roles")
    kind = models.CharField(max_length=12, choices=KINDS)
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="roles")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "commission"],
                                               name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} @ {self.commission_id}"


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="sailau_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, label: str = "") -> str:
        token = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.digest(token), label=label)
        return token
