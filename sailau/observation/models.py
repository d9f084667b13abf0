"""Observation: organisations and their accreditation decisions, observers and where they are
deployed, what they report from the stations (checklists, incidents, counts of voters, certified
copies of protocols), and the samples of the parallel vote tabulation.

Everything an observer sends from a phone carries a `uuid` made by the phone: a re-sent report
finds its first copy by it and is never stored twice (the unique constraint makes that hold
under concurrency too)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sailau import clock
from sailau.elections.models import Commission, Contest, Election, Named, Station


class Organisation(Named):
    """An observer organisation: national ones are accredited by the CEC, regional ones by the
    territorial commission of their region."""

    CITIZEN, INTERNATIONAL, PARTY, CANDIDATE, MEDIA = (
        "citizen", "international", "party", "candidate", "media")
    KINDS = [(CITIZEN, _("Citizen (non-governmental) organisation")),
             (INTERNATIONAL, _("International organisation or foreign state")),
             (PARTY, _("Political party")), (CANDIDATE, _("Candidate")), (MEDIA, _("Media"))]
    election = models.ForeignKey(Election, on_delete=models.CASCADE,
                                 related_name="observer_organisations")
    kind = models.CharField(max_length=16, choices=KINDS)
    # null: national (accredited by the CEC); a territorial commission: regional.
    territory = models.ForeignKey(Commission, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    contact = models.CharField(max_length=200, blank=True)
    # Its managers (who register and deploy its observers) hold the accounts "org_manager" role.

    class Meta:
        # A database orders names by its own collation; lists a reader scans by name are
        # ordered in Python (`sailau.languages.alphabet`), the same on every database.
        ordering = ["election", "pk"]

    @property
    def national(self) -> bool:
        return self.territory_id is None


class Accreditation(models.Model):
    """An application for accreditation and the commission's decision on it, public with its
    reasons when refused."""

    PENDING, GRANTED, REFUSED, REVOKED = "pending", "granted", "refused", "revoked"
    STATUSES = [(PENDING, _("Pending")), (GRANTED, _("Granted")), (REFUSED, _("Refused")),
                (REVOKED, _("Revoked"))]
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="accreditations")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="+",
                                   help_text="the deciding commission")
    applied_on = models.DateField()
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    decision_number = models.CharField(max_length=60, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="required for a refusal or revocation")
    decided_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=~models.Q(status__in=["refused", "revoked"]) | ~models.Q(reasons=""),
            name="accreditation_refusal_has_reasons")]


class Observer(models.Model):
    CITIZEN, INTERNATIONAL, PARTY_PROXY, CANDIDATE_PROXY, MEDIA = (
        "citizen", "international", "party_proxy", "candidate_proxy", "media")
    KINDS = [(CITIZEN, _("Citizen observer")), (INTERNATIONAL, _("International observer")),
             (PARTY_PROXY, _("Party proxy")), (CANDIDATE_PROXY, _("Candidate proxy")),
             (MEDIA, _("Media representative"))]
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="observers")
    kind = models.CharField(max_length=16, choices=KINDS)
    full_name = models.CharField(max_length=200)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="observer")
    # Printed on the badge and in its QR code: a commission checks it on the check page.
    badge = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "full_name"]

    @staticmethod
    def new_badge() -> str:
        return secrets.token_hex(6).upper()

    def __str__(self) -> str:
        return self.full_name


class Invitation(models.Model):
    """A manager asked an account to be this observer; the account becomes the observer only
    when its owner accepts (nobody is enlisted without consent)."""

    PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
    STATUSES = [(PENDING, _("Pending")), (ACCEPTED, _("Accepted")), (DECLINED, _("Declined"))]
    observer = models.ForeignKey(Observer, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="observer_invitations")
    invited_by = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["observer", "user"],
                                               condition=models.Q(status="pending"),
                                               name="invitation_pending_once")]


class Deployment(models.Model):
    observer = models.ForeignKey(Observer, on_delete=models.CASCADE, related_name="deployments")
    station = models.ForeignKey(Station, on_delete=models.CASCADE,
                                related_name="observer_deployments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["observer", "station"],
                                               name="deployment_unique")]


class Report(models.Model):
    """What every report from a station has: who sent it, from where, and the phone's uuid."""

    uuid = models.UUIDField(unique=True)
    observer = models.ForeignKey(Observer, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True


class ChecklistSubmission(Report):
    """A filled checklist. `station` is the observer's station; a tabulation-stage checklist
    also names the territorial or district `commission` where the observer followed that
    station's protocol being tabulated.

    Read by others (evidence statistics): the counting stage's item `copy_posted` ("yes"/"no"/
    "na" in `answers`) says whether the certified copy was posted for the public."""

    stage = models.CharField(max_length=12)  # opening, voting, counting, tabulation
    commission = models.ForeignKey(Commission, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    form_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text="item key -> answer")
    negative = models.BooleanField(help_text="overall assessment bad or very bad")
    observed_at = models.DateTimeField()

    class Meta:
        ordering = ["station", "stage", "observed_at"]
        indexes = [models.Index(fields=["stage", "station"])]


class Incident(Report):
    KINDS = [
        ("obstruction", _("Obstruction of observers")),
        ("removed", _("Observer removed from the station")),
        ("documents_refused", _("Voter lists or documents refused to observers")),
        ("copy_refused", _("Certified copy of the protocol refused")),
        ("view_restricted", _("Observers could not see the count")),
        ("unauthorised_persons", _("Unauthorised persons present or interfering")),
        ("ballot_stuffing", _("Ballot stuffing")),
        ("multiple_voting", _("Multiple or group voting")),
        ("pressure", _("Pressure on voters or members")),
        ("other", _("Other")),
    ]
    # A referendum's words for the kinds that name voters (`kinds_in`): its lists are of
    # citizens entitled to take part.
    REFERENDUM_KINDS = {
        "documents_refused": _("Lists of citizens or documents refused to observers"),
        "pressure": _("Pressure on citizens or members")}
    # Kinds that are violations of observers' rights (the request letter, items 1.5-1.6).
    RIGHTS = {"obstruction", "removed", "documents_refused", "copy_refused", "view_restricted"}
    kind = models.CharField(max_length=24, choices=KINDS)
    occurred_at = models.DateTimeField()
    description = models.TextField()

    class Meta:
        ordering = ["-occurred_at"]

    @classmethod
    def kinds_in(cls, words) -> list[tuple[str, str]]:
        """(kind, label) in the words of the observed vote's kind (`words`, a
        `law.wordings.Wording`, None for an election's): a referendum's own where it has them."""
        own = (cls.REFERENDUM_KINDS if words is not None and words.referendum
               else {})
        return [(k, str(own.get(k, v))) for k, v in cls.KINDS]


class IncidentPhoto(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="observation/incidents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # When the phone took it (the file's own time), not when it arrived.
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "sha256"],
                                               name="incident_photo_once")]


class VoterCount(Report):
    """Voters who had received ballots, as the station's book showed when the observer counted:
    at arrival, through the day (an observer counts every hour or so) and at departure."""

    ARRIVAL, DURING, DEPARTURE = "arrival", "during", "departure"
    MOMENTS = [(ARRIVAL, _("At arrival")), (DURING, _("During the day")),
               (DEPARTURE, _("At departure"))]
    moment = models.CharField(max_length=10, choices=MOMENTS)
    at = models.DateTimeField()
    voters = models.PositiveIntegerField()


class ObserverCopy(Report):
    """The certified copy of the protocol handed to the observer: its figures and its photo."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="observer_copies")
    figures = models.JSONField()
    choices = models.JSONField()
    photo = models.FileField(upload_to="observation/copies/%Y/%m/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    photo_captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["station", "received_at"]
        indexes = [models.Index(fields=["contest", "station"])]


class PvtSample(models.Model):
    SIMPLE, STRATIFIED = "simple", "stratified"
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="pvt_samples")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="pvt_samples")
    method = models.CharField(max_length=10, choices=[(SIMPLE, _("Simple random")),
                                                      (STRATIFIED, _("Stratified"))])
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField()
    # stratum -> number of stations in the population: the stratum weights.
    population = models.JSONField()
    drawn_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class PvtStation(models.Model):
    sample = models.ForeignKey(PvtSample, on_delete=models.CASCADE, related_name="stations")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    stratum = models.CharField(max_length=160)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "station"],
                                               name="pvt_station_unique")]


class PvtCommitment(models.Model):
    """An organisation's PVT sample, committed by its SHA-256 hash before election day and
    revealed (stations and seed) after the official count; see `sailau.analysis.pvt_commitment`
    for the hashed text. `method` says how the sample was drawn: with `simple` or `stratified`
    the reveal is also checked by drawing again from the seed; `own` is a draw made elsewhere."""

    OWN = "own"
    METHODS = [(PvtSample.SIMPLE, _("Simple random")), (PvtSample.STRATIFIED, _("Stratified")),
               (OWN, _("Drawn by the organisation's own method"))]
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="pvt_commitments")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=METHODS)
    size = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    committed_by = models.CharField(max_length=150)
    committed_at = models.DateTimeField(auto_now_add=True)
    seed = models.BigIntegerField(null=True, blank=True)
    revealed_by = models.CharField(max_length=150, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    # A sample designed for small shares (`sailau.analysis.pvt_design`): method, mix, the past
    # election it was fitted on and the stations per stratum; part of the hashed text.
    design = models.JSONField(null=True, blank=True)
    # The sample the reveal created, estimated like any other once it matched.
    sample = models.OneToOneField(PvtSample, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="commitment")

    class Meta:
        ordering = ["-committed_at"]
