from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "sailau.scans"
    verbose_name = "Protocol scans"
