"""The public registry of the count's video: each station's cameras, their recordings, and the
resumable uploads that bring recordings in (sailau.api.tus).

A recording's file lives in `storages["recordings"]` under a name made of its SHA-256, so the same
file uploaded twice, or for two stations, is stored once. A recording is never deleted from the
registry: when its retention ends (`sailau video expire`) its file is removed and the row says so,
so its hash stays public."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sailau import clock
from sailau.elections.models import Station


class Camera(models.Model):
    TABLE, BOXES, ROOM = "table", "boxes", "room"
    COVERS = [(TABLE, _("the counting table")), (BOXES, _("the ballot boxes")),
              (ROOM, _("the whole room"))]
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="cameras")
    position = models.CharField(max_length=200, help_text="where it hangs, in words")
    covers = models.CharField(max_length=8, choices=COVERS)
    installed_by = models.CharField(max_length=200, help_text="who installed it")
    registered_by = models.CharField(max_length=150)
    registered_at = models.DateTimeField(default=clock.now, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["station", "id"]

    def __str__(self) -> str:
        return f"camera {self.pk} @ {self.station_id}"


class Recording(models.Model):
    AVAILABLE, EXPIRED = "available", "expired"
    STATES = [(AVAILABLE, _("available")), (EXPIRED, _("removed at the end of retention"))]
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="recordings")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="recordings")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    duration_ms = models.BigIntegerField()
    format = models.CharField(max_length=60, help_text="the container, as ffprobe names it")
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    object_name = models.CharField(max_length=200, help_text="its name in storages['recordings']")
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)
    state = models.CharField(max_length=10, choices=STATES, default=AVAILABLE)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["station", "started_at", "id"]
        constraints = [models.UniqueConstraint(fields=["camera", "sha256"],
                                               name="recording_once_per_camera")]
        indexes = [models.Index(fields=["sha256"])]

    def __str__(self) -> str:
        return f"recording {self.pk} @ {self.station_id}"


class Upload(models.Model):
    """A tus upload in progress. Its bytes are staged on local disk (`sailau.video.retention.staging`); the offset is
    the staged file's size, so a chunk cut off mid-way leaves exactly what arrived."""

    OPEN, DONE, REFUSED = "open", "done", "refused"
    STATES = [(OPEN, "open"), (DONE, "done"), (REFUSED, "refused")]
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="uploads")
    length = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="declared by the uploader")
    filename = models.CharField(max_length=200, blank=True)
    started_at = models.CharField(max_length=40, blank=True,
                                  help_text="declared start (ISO), for files without creation_time")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=8, choices=STATES, default=OPEN)
    reason = models.CharField(max_length=40, blank=True, help_text="why it was refused")
    recording = models.ForeignKey(Recording, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
