from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="image",
            name="status",
            field=models.CharField(choices=[
                ("open", "being typed"), ("verified", "verified reading"),
                ("checking", "being checked again: a third volunteer confirms or not"),
                ("moderation", "readings differ: a moderator decides"),
                ("unreadable", "volunteers cannot read it: a moderator looks")],
                default="open", max_length=12),
        ),
    ]
