from django.apps import AppConfig


class TurnoutConfig(AppConfig):
    name = "sailau.turnout"
    label = "turnout"
    verbose_name = "Turnout through the day"
    default_auto_field = "django.db.models.BigAutoField"
