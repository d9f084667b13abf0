from django.contrib import admin

from sailau.scans.models import Scan


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    """Read-only: a scan changes only through `service` (upload, recheck), which audits it."""

    list_display = ("station", "contest", "status", "reason", "uploaded_at", "sha256")
    list_filter = ("status", "reason")
    search_fields = ("station__id", "sha256")
    readonly_fields = [f.name for f in Scan._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
