"""Organisations' default order by key, not by Kazakh name: a database orders names by its own
collation, so pages and the API order them by name in Python (`sailau.languages.alphabet`)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("observation", "0007_organisation_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organisation",
            options={"ordering": ["election", "pk"]},
        ),
    ]
