from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "sailau.publish"
    label = "publish"
    default_auto_field = "django.db.models.BigAutoField"
