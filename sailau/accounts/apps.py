"""Accounts and roles: who may do what, for which part of the election.

A user's roles are (kind, scope) pairs (`models.Role`). A commission sets the territory: a
precinct commission covers its own station, a district or territorial commission the stations
under it, a single-member district commission its district's stations, the CEC all stations of
its election. Observer organisations scope their managers and observers; complaint-deciding
bodies their complaints. Anyone without a role is the public: they read, never write. The rules
are in `permissions` and are called by the service layer, so the API and the pages cannot
disagree."""
from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class AccountsConfig(AppConfig):
    name = "sailau.accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        pre_save.connect(_note_password_change, sender=User, dispatch_uid="sailau-pw-pre")
        post_save.connect(_revoke_tokens, sender=User, dispatch_uid="sailau-pw-post")


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
