from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sailau.evidence"
    label = "evidence"
    verbose_name = "Evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every scan and every observer's photo becomes an image for volunteers as it arrives.
        from django.db.models.signals import post_save

        from sailau.evidence import sources
        from sailau.observation.models import ObserverCopy
        from sailau.scans.models import Scan

        post_save.connect(sources.scan_saved, sender=Scan, dispatch_uid="evidence.scan")
        post_save.connect(sources.copy_saved, sender=ObserverCopy, dispatch_uid="evidence.copy")
