from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sailau.ledger"
    verbose_name = "Published log"
