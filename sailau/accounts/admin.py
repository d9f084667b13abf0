"""Roles in the admin: inline on each user, validated like `sailau roles` (the model's clean()
checks the scope fits the kind), each grant and revoke written to the audit log."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from sailau import audit
from sailau.accounts import permissions as perm
from sailau.accounts import services
from sailau.accounts.models import ApiToken, Role
from sailau.audit.admin import ReadOnlyAdmin


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ["kind", "commission", "organisation", "election", "body", "granted_by",
              "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    raw_id_fields = ["commission", "organisation"]


class TokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["label", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["label", "created_at", "expires_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SailauUserAdmin(UserAdmin):
    inlines = [RoleInline, TokenInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Role:
            return super().save_formset(request, form, formset, change)
        actor = f"admin:{perm.username(request.user)}"
        with transaction.atomic():
            instances = formset.save(commit=False)
            deleted = []
            for obj in formset.deleted_objects:
                deleted.append((obj.kind, obj.scope, obj.user.username))
                grant = obj.pk
                obj.delete()
                services.log_role(obj, "revoked", grant)
            for obj in instances:
                new = obj.pk is None
                # what a changed role was, so `sailau audit verify` can follow it
                was = None if new else Role.objects.select_related("user").get(pk=obj.pk)
                obj.granted_by = obj.granted_by or actor
                obj.save()
                # in the election's published log: a changed role is its grant revoked as it
                # was and granted again as it is (the same grant number: its row)
                if was is not None:
                    services.log_role(was, "revoked", was.pk)
                services.log_role(obj, "granted")
                payload = {"user": obj.user.username, "kind": obj.kind, "scope": obj.scope}
                if was is not None:
                    payload["was"] = {"user": was.user.username, "kind": was.kind,
                                      "scope": was.scope}
                audit.append(actor, "role.granted" if new else "role.changed",
                             obj.scope or f"user/{obj.user.username}", payload)
            for kind, scope, username in deleted:
                audit.append(actor, "role.revoked", scope or f"user/{username}",
                             {"user": username, "kind": kind, "scope": scope})
            formset.save_m2m()

    # A user deleted here takes their roles with them: each revoked first, with its audit
    # record and leaf (`sailau audit verify` names a granted leaf whose row is gone).
    def delete_model(self, request, obj):
        with transaction.atomic():
            services.forget_roles(Role.objects.filter(user=obj),
                                  f"admin:{perm.username(request.user)}")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            services.forget_roles(Role.objects.filter(user__in=queryset),
                                  f"admin:{perm.username(request.user)}")
            super().delete_queryset(request, queryset)


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    """Every role at a glance; they are changed on their user's page (audited there)."""

    list_display = ["user", "kind", "commission", "organisation", "election", "body",
                    "granted_by", "granted_at"]
    list_filter = ["kind", "election"]
    search_fields = ["user__username", "commission__id"]
    raw_id_fields = ["user", "commission", "organisation"]
