from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sailau.complaints"
    verbose_name = "Complaints and appeals"
