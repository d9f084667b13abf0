from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "sailau.elections"
    verbose_name = "Elections"
