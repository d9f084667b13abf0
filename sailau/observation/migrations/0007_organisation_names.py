"""An observer organisation's names as one mapping by written language (`names`), as the
election structure's (elections 0011): a language added to the list needs no column."""

from django.db import migrations, models

NAMES = {"kk": "name_kk", "ru": "name_ru", "en": "name_en"}


def forwards(apps, schema_editor):
    organisation = apps.get_model("observation", "Organisation")
    for org in organisation.objects.all():
        org.names = {lang: getattr(org, col) for lang, col in NAMES.items() if getattr(org, col)}
        org.save(update_fields=["names"])


def backwards(apps, schema_editor):
    organisation = apps.get_model("observation", "Organisation")
    for org in organisation.objects.all():
        for lang, col in NAMES.items():
            setattr(org, col, (org.names or {}).get(lang) or "")
        org.save(update_fields=list(NAMES.values()))


class Migration(migrations.Migration):

    dependencies = [
        ("observation", "0006_alter_checklistsubmission_received_at_and_more"),
    ]

    operations = [
        migrations.AlterModelOptions(name="organisation",
                                     options={"ordering": ["election", "names__kk"]}),
        migrations.AddField(model_name="organisation", name="names",
                            field=models.JSONField(default=dict)),
        migrations.RunPython(forwards, backwards),
        # taking a blank before it goes, so that undone it is added back to the rows with ""
        migrations.AlterField(model_name="organisation", name="name_kk",
                              field=models.CharField(blank=True, max_length=300)),
        *(migrations.RemoveField(model_name="organisation", name=col) for col in NAMES.values()),
    ]
