from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sailau.audit"
    verbose_name = "Audit log"
