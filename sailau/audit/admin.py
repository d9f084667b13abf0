"""What the admin site may not do to audited data."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to look at, never a form that writes: these rows change only through their service
    (which writes the audit record), or on another admin page that does."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
