"""Accounts and roles: who may do what, for which part of the election.

A user's roles are (kind, scope) pairs (`models.Role`). A commission sets the territory: a
precinct commission covers its own station, a district or territorial commission the stations
under it, a single-member district commission its district's stations, the CEC all stations of
its election. Observer organisations scope their managers and observers; complaint-deciding
bodies their complaints. Anyone without a role is the public: they read, never write. The rules
are in `permissions` and are called by the service layer, so the API and the pages cannot
disagree."""
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save


class AccountsConfig(AppConfig):
    name = "sailau.accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        pre_save.connect(_note_password_change, sender=User, dispatch_uid="sailau-pw-pre")
        post_save.connect(_revoke_tokens, sender=User, dispatch_uid="sailau-pw-post")
        user_logged_in.connect(_staff_session, dispatch_uid="sailau-staff-session")


def _staff_session(sender, request, user, **kwargs):
    """A session of an account with a commission or deciding role lasts
    SAILAU_STAFF_SESSION_HOURS (default 12: one election-night shift), not Django's 14 days:
    such a session enters and signs protocols, and one left open on a shared commission
    computer, or stolen with its cookie, must not still work next week. Citizens and observers
    keep the long session (what it can do is file a complaint or a report)."""
    from django.conf import settings

    from sailau.accounts.models import Role
    from sailau.accounts.permissions import grants

    if request is not None and hasattr(request, "session") and any(
            g.kind in (*Role.COMMISSION_KINDS, Role.DECIDER) for g in grants(user)):
        request.session.set_expiry(settings.SAILAU_STAFF_SESSION_HOURS * 3600)


def _note_password_change(sender, instance, update_fields=None, **kwargs):
    # set_password() keeps the new raw password until save(); a hasher upgrade at login does
    # not (it is not a change of password), so only a real change revokes the tokens.
    if instance.pk is not None and getattr(instance, "_password", None) is not None:
        instance._sailau_password_changed = True


def _revoke_tokens(sender, instance, created=False, **kwargs):
    if getattr(instance, "_sailau_password_changed", False):
        instance._sailau_password_changed = False
        from sailau.accounts.services import revoke_all_tokens

        revoke_all_tokens(instance, "password changed")
