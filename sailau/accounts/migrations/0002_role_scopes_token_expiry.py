"""Roles get scopes beyond commissions (observer organisations, deciding bodies, none for a
citizen) and the election they belong to; tokens get an expiry and a revocation date. Existing
rows are carried over: each role's election from its commission, each organisation's managers
and each linked observer as roles, each token expiring 30 days after it was made."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q


def forwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Organisation = apps.get_model("observation", "Organisation")
    Observer = apps.get_model("observation", "Observer")
    ApiToken = apps.get_model("accounts", "ApiToken")
    for role in Role.objects.select_related("commission").iterator():
        role.election_id = role.commission.election_id
        role.save(update_fields=["election"])
    new = []
    for org in Organisation.objects.prefetch_related("managers"):
        new += [Role(user=u, kind="org_manager", organisation=org, election_id=org.election_id,
                     granted_by="migration") for u in org.managers.all()]
    for obs in Observer.objects.filter(user__isnull=False).select_related("organisation"):
        new.append(Role(user_id=obs.user_id, kind="observer", organisation=obs.organisation,
                        election_id=obs.organisation.election_id, granted_by="migration"))
    Role.objects.bulk_create(new, ignore_conflicts=True)
    for t in ApiToken.objects.filter(expires_at__isnull=True):
        t.expires_at = t.created_at + dt.timedelta(days=30)
        t.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("elections", "0002_structure_links"),
        ("observation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="role", name="role_unique"),
        migrations.AlterField(
            model_name="role", name="kind",
            field=models.CharField(choices=[
                ("admin", "CEC administrator"),
                ("coordinator", "Coordinator: resolves differing entries, enters amendments"),
                ("operator", "Operator: enters protocols and step times"),
                ("org_manager", "Observer-organisation manager"), ("observer", "Observer"),
                ("decider", "Complaint-deciding body"), ("citizen", "Citizen")], max_length=16)),
        migrations.AlterField(
            model_name="role", name="commission",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="roles", to="elections.commission")),
        migrations.AddField(
            model_name="role", name="election",
            field=models.ForeignKey(blank=True, help_text="filled from the scope", null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="elections.election")),
        migrations.AddField(
            model_name="role", name="organisation",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="roles", to="observation.organisation")),
        migrations.AddField(
            model_name="role", name="body",
            field=models.CharField(blank=True, choices=[
                ("admin_court", "admin_court"), ("supreme_court", "supreme_court"),
                ("constitutional_court", "constitutional_court"), ("prosecutor", "prosecutor")],
                help_text="a deciding court or the prosecutor (with the election)",
                max_length=24)),
        migrations.AddField(
            model_name="role", name="granted_by",
            field=models.CharField(blank=True, max_length=150)),
        migrations.AddField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.AddField(
            model_name="apitoken", name="revoked_at",
            field=models.DateTimeField(blank=True, null=True)),
        migrations.AlterModelOptions(name="apitoken", options={"ordering": ["-created_at", "-id"]}),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(condition=Q(commission__isnull=False),
                                               fields=("user", "kind", "commission"),
                                               name="role_unique_commission")),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(condition=Q(organisation__isnull=False),
                                               fields=("user", "kind", "organisation"),
                                               name="role_unique_organisation")),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(condition=~Q(body=""),
                                               fields=("user", "kind", "election", "body"),
                                               name="role_unique_body")),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(
                condition=Q(body="", commission__isnull=True, organisation__isnull=True),
                fields=("user", "kind"), name="role_unique_unscoped")),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.CheckConstraint(
                condition=Q(kind__in=["admin", "coordinator", "operator"],
                            commission__isnull=False, organisation__isnull=True, body="")
                | Q(kind__in=["org_manager", "observer"], organisation__isnull=False,
                    commission__isnull=True, body="")
                | Q(kind="decider", commission__isnull=False, organisation__isnull=True, body="")
                | Q(kind="decider", commission__isnull=True, organisation__isnull=True,
                    election__isnull=False,
                    body__in=["admin_court", "supreme_court", "constitutional_court",
                              "prosecutor"])
                | Q(kind="citizen", commission__isnull=True, organisation__isnull=True,
                    election__isnull=True, body=""),
                name="role_scope_fits_kind")),
    ]
