from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "sailau.integrity"
    verbose_name = "Integrity analytics"
