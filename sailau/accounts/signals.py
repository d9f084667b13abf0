"""What other apps hear about roles. Accounts sit below the apps whose roles they grant: when an
observer role is granted or revoked, observation (above) links or unlinks its observer record by
listening here (sailau.observation.apps), rather than accounts reaching up into observation.

Both are sent inside the granting transaction, before the role row is written or deleted; a
receiver refuses by raising a `SailauError`, and nothing is written."""

from django.dispatch import Signal

# role (not saved yet), user, observer: the record the caller wants linked, or None
role_granting = Signal()
# role (still saved)
role_revoking = Signal()
