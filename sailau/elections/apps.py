from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "sailau.elections"
    verbose_name = "Elections"

    def ready(self):
        from django.db.models.signals import pre_save

        from sailau.errors.lengths import refuse_over_long

        # Every model of every app: text longer than its column is a 422 naming the field, on
        # SQLite (which would store it whole) as on PostgreSQL (which answered 500).
        pre_save.connect(refuse_over_long, dispatch_uid="sailau.errors.lengths")
