from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "sailau.voters"
    verbose_name = "Voter register and lists"
