"""Start Django for the commands that need the database, and bring its schema up to date."""

import os


def setup(migrate: bool = True) -> bool:
    """Returns whether the database was an SQLite file with no table yet (a brand-new one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    import django

    django.setup()
    if migrate:
        from pathlib import Path

        from django.core.management import call_command
        from django.db import connection

        def run():
            call_command("migrate", verbosity=0, interactive=False)

        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
            run()
            return False
        # A brand-new SQLite file takes a copy of the schema this code migrated before.
        from sailau.sqlitedb import schema

        fresh = schema.is_empty(Path(name))
        schema.migrate(Path(name), run)
        return fresh
    return False
