"""Volunteers who re-type the figures of every published image of a paper protocol (a scan or
an observer's photo), blind and twice, so that each station's official figures are compared
with what its own paper says.

An `Image` is handed out as `Assignment`s (one per volunteer and image, never twice); each
assignment gets at most one `Reading`. Two equal readings by different volunteers (at least one
of them in good standing) make the image's verified reading, unless something independent
speaks against them (`checks`): then a third volunteer must agree first (status `checking`);
differing ones raise `needed` so a further volunteer types it, and after `MAX_READINGS` a
moderator decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sailau.elections.models import Contest, Station
from sailau.observation.models import ObserverCopy
from sailau.protocols.models import Protocol
from sailau.scans.models import Scan


class Volunteer(models.Model):
    """A signed-in person who types figures. Who they are and what they may do is the accounts
    model's (becoming a volunteer grants the unscoped citizen role); this row holds what a role
    should not: the reputation counters and the low-reputation flag."""

    LOW_SHARE, LOW_SAME = "share", "same"
    LOW_REASONS = [("", "—"), (LOW_SHARE, "few readings confirmed"),
                   (LOW_SAME, "the same figures for different images")]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="volunteer")
    joined_at = models.DateTimeField(auto_now_add=True)
    typed = models.PositiveIntegerField(default=0, help_text="readings sent")
    decided = models.PositiveIntegerField(default=0,
                                          help_text="readings of images since verified")
    confirmed = models.PositiveIntegerField(default=0,
                                            help_text="of those, equal to the verified reading")
    low = models.BooleanField(default=False, help_text="low reputation: never decides alone")
    claimed = models.BooleanField(default=False,
                                  help_text="has claimed stations (dispatch then looks there)")
    low_reason = models.CharField(max_length=8, choices=LOW_REASONS, blank=True)

    def __str__(self) -> str:
        return f"volunteer {self.user_id}"

    @property
    def reputation(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


class Image(models.Model):
    SCAN, COPY = "scan", "copy"
    SOURCES = [(SCAN, "scan of the signed protocol"), (COPY, "observer's photo of the copy")]
    OPEN, VERIFIED, MODERATION, UNREADABLE = "open", "verified", "moderation", "unreadable"
    CHECKING = "checking"
    STATUSES = [(OPEN, "being typed"), (VERIFIED, "verified reading"),
                (CHECKING, "being checked again: a third volunteer confirms or not"),
                (MODERATION, "readings differ: a moderator decides"),
                (UNREADABLE, "volunteers cannot read it: a moderator looks")]

    source = models.CharField(max_length=8, choices=SOURCES)
    scan = models.OneToOneField(Scan, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="evidence_image")
    copy = models.OneToOneField(ObserverCopy, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="evidence_image")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+",
                                 help_text="the version on the paper (scans); none for copies")
    sha256 = models.CharField(max_length=64)
    phash = models.CharField(max_length=16, blank=True, db_index=True,
                             help_text="perceptual hash (imagehash.phash), hex")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+",
                                     help_text="an image of another station that looks the same")
    status = models.CharField(max_length=12, choices=STATUSES, default=OPEN)
    needed = models.PositiveSmallIntegerField(default=2, help_text="readings wanted so far")
    assigned = models.PositiveSmallIntegerField(default=0, help_text="assignments handed out")
    # True while the image still has a slot for a new volunteer: dispatch reads one index.
    wanted = models.BooleanField(default=True)
    figures = models.JSONField(null=True, blank=True, help_text="the verified reading")
    choices = models.JSONField(null=True, blank=True)
    verified_by = models.PositiveSmallIntegerField(default=0,
                                                   help_text="volunteers who typed it so")
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["wanted", "-assigned", "id"], name="evidence_image_dispatch"),
                   models.Index(fields=["station", "contest"])]
        constraints = [
            models.CheckConstraint(name="evidence_image_one_source", condition=(
                Q(source="scan", scan__isnull=False, copy__isnull=True)
                | Q(source="copy", copy__isnull=False, scan__isnull=True))),
            models.CheckConstraint(name="evidence_image_slots",
                                   condition=Q(assigned__lte=models.F("needed"))),
        ]

    def __str__(self) -> str:
        return f"image {self.pk} ({self.source}) of {self.station_id}"


class Assignment(models.Model):
    """One image handed to one volunteer: unique, so nobody gets the same image twice."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE,
                                  related_name="assignments")
    issued_at = models.DateTimeField(auto_now_add=True)
    done = models.BooleanField(default=False)
    abandoned = models.BooleanField(default=False,
                                    help_text="not typed in time: its slot went to another")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "volunteer"],
                                               name="evidence_assignment_once")]
        indexes = [models.Index(fields=["volunteer", "done"]),
                   models.Index(fields=["done", "issued_at"])]


class Reading(models.Model):
    """What one volunteer (or a moderator) typed from one image."""

    PENDING, CONFIRMED, OUTVOTED = "pending", "confirmed", "outvoted"
    assignment = models.OneToOneField(Assignment, null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="reading")
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="readings")
    volunteer = models.ForeignKey(Volunteer, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="readings")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    unreadable = models.BooleanField(default=False)
    figures = models.JSONField(default=dict, blank=True)
    choices = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(default=list, blank=True,
                                help_text="control relations the typed figures break")
    outcome = models.CharField(max_length=10, default=PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(
            name="evidence_reading_by_someone",
            condition=Q(volunteer__isnull=False) | Q(moderator__isnull=False))]


class Claim(models.Model):
    """"I watch this one": a volunteer's station, whose images they get first."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="claims")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["volunteer", "station"],
                                               name="evidence_claim_once")]
