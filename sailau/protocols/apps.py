from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "sailau.protocols"
    verbose_name = "Protocols"
