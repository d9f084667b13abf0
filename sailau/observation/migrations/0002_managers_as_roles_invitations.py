"""Organisation managers are now accounts roles (copied there by accounts 0002); observers are
enlisted by invitation."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("observation", "0001_initial"),
        ("accounts", "0002_role_scopes_token_expiry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="organisation", name="managers"),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("invited_by", models.CharField(max_length=150)),
                ("status", models.CharField(choices=[("pending", "Pending"),
                                                     ("accepted", "Accepted"),
                                                     ("declined", "Declined")],
                                            default="pending", max_length=10)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                ("observer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                               related_name="invitations",
                                               to="observation.observer")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="observer_invitations",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [models.UniqueConstraint(condition=models.Q(status="pending"),
                                                        fields=("observer", "user"),
                                                        name="invitation_pending_once")],
            },
        ),
    ]
