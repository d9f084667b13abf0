from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sailau.accounts"
    verbose_name = "Accounts and roles"
