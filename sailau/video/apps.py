from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "sailau.video"
    label = "video"
    verbose_name = "Video of the count"
    default_auto_field = "django.db.models.BigAutoField"
