from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "sailau.candidates"
    verbose_name = "Candidates: nomination and registration"
