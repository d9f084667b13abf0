"""Results protocols and the totals computed from them.

A `Protocol` row is one version of a station's definitive protocol for one contest; versions
are never updated or deleted, an amendment adds the next one. `Tally` rows hold the totals of
every commission level, computed from the level below (see `tabulation`)."""

from django.conf import settings
from django.db import models

from sailau.elections.models import Commission, Contest, Station


class ProtocolQuerySet(models.QuerySet):
    """The one way to ask for protocols: `Protocol.objects.current().of(station, contest)`.
    Stations and contests may be given as objects or ids."""

    def current(self) -> "ProtocolQuerySet":
        """The latest version of each station's protocol (what the totals are made of)."""
        return self.filter(current=True)

    def of(self, station, contest) -> "ProtocolQuerySet":
        return self.filter(station=station, contest=contest)


class Protocol(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="protocols")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="protocols")
    version = models.PositiveIntegerField(default=1)
    current = models.BooleanField(default=True, help_text="the latest version")
    figures = models.JSONField(help_text="protocol lines: line key -> count")
    choices = models.JSONField(help_text="votes: choice key -> count")
    source = models.CharField(max_length=40, default="entry",
                              help_text="entry (double entry), resolution, amendment, import")
    # The warnings the entry raised and that were acknowledged: public flags on the protocol.
    findings = models.JSONField(default=list, blank=True)
    # The commission's Ed25519 signature of this version's canonical JSON
    # (sailau.verify.signatures) and the public key that made it; empty for a version stored
    # before protocols were signed.
    signature = models.CharField(max_length=88, blank=True, default="")
    signed_with = models.CharField(max_length=44, blank=True, default="")
    # What the signature is over (sailau.verify.signatures): "" for sailau-protocol/1 (signed by
    # a key the server holds), "sailau-protocol/2" for a commission's own signature, which
    # covers also the SHA-256 of the scans in `signed_scans` (sorted).
    signed_message = models.CharField(max_length=40, blank=True, default="")
    signed_scans = models.JSONField(null=True, blank=True)
    # "sailau-protocol/4": the commission above that typed this version from the paper and
    # signed it on the station's behalf (with its own key, `signed_with`); "" otherwise.
    signed_by = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["station", "contest", "version"]
        constraints = [
            models.UniqueConstraint(fields=["station", "contest", "version"],
                                    name="protocol_version_unique"),
            models.UniqueConstraint(fields=["station", "contest"], condition=models.Q(current=True),
                                    name="protocol_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} / {self.contest_id} v{self.version}"


class Tally(models.Model):
    """Totals of one contest at one commission: the sum of the current protocols below it."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="tallies")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="tallies")
    figures = models.JSONField(default=dict)
    choices = models.JSONField(default=dict)
    stations_reported = models.PositiveIntegerField(default=0)
    stations_expected = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "commission"], name="tally_unique"),
            models.CheckConstraint(condition=models.Q(stations_reported__lte=models.F("stations_expected")),
                                   name="tally_reported_le_expected"),
        ]

    @property
    def complete(self) -> bool:
        return self.stations_expected > 0 and self.stations_reported == self.stations_expected


class DataEntry(models.Model):
    """The double-entry state of one station's protocol for one contest (see `entry`, whose
    `load` makes the state's dataclass from these columns). `first` and `second` hold entry 1
    and entry 2 as JSON: figures and choices as typed, the warnings acknowledged, and whether it
    is finalised. A definitive protocol settled by a coordinator records which entry they
    accepted and who they are."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="entries")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    state = models.CharField(max_length=32, default="empty")
    first = models.JSONField(null=True, blank=True)
    second = models.JSONField(null=True, blank=True)
    first_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    second_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    accepted = models.PositiveSmallIntegerField(null=True, blank=True,
                                                help_text="definitive: the entry accepted (1, 2)")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "contest"],
                                               name="entry_unique")]
        indexes = [models.Index(fields=["contest", "state"])]


class Amendment(models.Model):
    """The commission decision behind a protocol version made by amendment."""

    protocol = models.OneToOneField(Protocol, on_delete=models.PROTECT, related_name="amendment")
    decision_number = models.CharField(max_length=60)
    decision_date = models.DateField()
    reason = models.TextField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class StepTime(models.Model):
    """When one step of the chain happened at one station (see `chronometry`)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="step_times")
    step = models.CharField(max_length=24)
    at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, default="system")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "step"], name="step_unique")]
        indexes = [models.Index(fields=["step", "at"])]


class AwaitingSignature(models.Model):
    """A definitive protocol version of a commission that signs its own protocols (a confirmed
    commission-held key), not yet signed: nothing is published, no tally counts it, until its
    chair or secretary submits a signature the server verifies (`protocols.own_signing`). One
    per protocol: the entry is definitive, an amendment waits until it is signed."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    figures = models.JSONField()
    choices = models.JSONField()
    source = models.CharField(max_length=40)
    findings = models.JSONField(default=list, blank=True)
    amendment = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    # The commission above the station whose members typed this version from the paper on the
    # station's behalf (`awaiting.typed_above`), which may sign it itself; "" when the
    # station's own commission typed it.
    typed_by = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "contest"],
                                               name="awaiting_signature_one")]

    def __str__(self) -> str:
        return f"{self.station_id} / {self.contest_id} v{self.version} (awaiting signature)"
