from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "sailau.observation"
    label = "observation"
    verbose_name = "Observation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # an observer role granted or revoked in accounts links or unlinks the observer record
        from sailau.accounts import signals
        from sailau.observation import services

        signals.role_granting.connect(services.role_granting, dispatch_uid="observation.link")
        signals.role_revoking.connect(services.role_revoking, dispatch_uid="observation.unlink")
