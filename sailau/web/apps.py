from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sailau.web"
    verbose_name = "Public pages"
