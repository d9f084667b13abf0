from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "sailau.scans"
    verbose_name = "Protocol scans"

    def ready(self):
        from sailau.protocols import logged
        from sailau.scans.logged import scan_hashes

        if scan_hashes not in logged.SCAN_HASHES:
            logged.SCAN_HASHES.append(scan_hashes)
