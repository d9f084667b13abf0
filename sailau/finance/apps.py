from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sailau.finance"
    verbose_name = "Campaign finance"
