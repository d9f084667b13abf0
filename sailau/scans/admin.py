from django.contrib import admin

from sailau.audit.admin import ReadOnlyAdmin
from sailau.scans.models import Scan


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    """Read-only: a scan changes only through `service` (upload), which audits it."""

    list_display = ("station", "contest", "status", "reason", "uploaded_at", "sha256")
    list_filter = ("status", "reason")
    search_fields = ("station__id", "sha256")
    readonly_fields = [f.name for f in Scan._meta.fields]
