"""Scans of the signed and sealed paper protocols, each checked against the definitive protocol.

A scan is never changed after it is stored; it belongs to the protocol version its QR code shows
(an amendment adds a version, the old paper stays the scan of the old one). The file is named by
its SHA-256, so the same bytes are stored once."""

from django.conf import settings
from django.db import models

from sailau import clock
from sailau.elections.models import Contest, Station
from sailau.protocols.models import Protocol


def scan_path(scan: "Scan", filename: str) -> str:
    # Content-addressed: the name is the hash, the folder the station; never the user's name.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[scan.content_type]
    return f"scans/{scan.station.election_id}/{scan.station_id}/{scan.sha256}.{ext}"


class Scan(models.Model):
    MATCH, MISMATCH, UNREADABLE = "match", "mismatch", "unreadable"
    STATUSES = [(MATCH, "The QR code matches the definitive protocol"),
                (MISMATCH, "The QR code differs from the definitive protocol"),
                (UNREADABLE, "No protocol QR code could be read")]
    # Why a scan is not a match, as a stable code (messages in `service.REASONS`).
    REASONS = [("", "—"), ("figures", "figures differ"), ("version", "another version printed"),
               ("altered", "QR code altered after printing"), ("no_qr", "no QR code found"),
               ("foreign", "not a protocol QR code"), ("malformed", "QR code damaged"),
               ("format", "unknown QR format"), ("shape", "QR does not fit the form"),
               ("signature", "QR signature not by the commission"),
               ("printed", "printed figures differ from the QR code")]

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="scans")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="scans")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="scans",
                                 help_text="the definitive version the scan was compared with")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=scan_path, max_length=300)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(help_text="bytes")
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now, editable=False, db_index=True)
    status = models.CharField(max_length=12, choices=STATUSES)
    reason = models.CharField(max_length=12, choices=REASONS, blank=True)
    mismatches = models.JSONField(default=list, blank=True,
                                  help_text="[{line, printed, definitive}]")
    payload = models.JSONField(null=True, blank=True,
                               help_text="the decoded QR payload (unverified when altered)")
    ocr = models.JSONField(null=True, blank=True,
                           help_text="the printed figures read by OCR (ocr.Reading), or null "
                                     "when not read (a PDF, or no code to anchor the page)")
    checked_at = models.DateTimeField(null=True, blank=True,
                                      help_text="last comparison, if redone after an amendment")

    class Meta:
        ordering = ["station", "contest", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["station", "contest", "sha256"],
                                    name="scan_unique_file"),
            models.CheckConstraint(condition=models.Q(status__in=["match", "mismatch",
                                                                   "unreadable"]),
                                   name="scan_status_known"),
        ]
        indexes = [models.Index(fields=["status", "station"])]

    def __str__(self) -> str:
        return f"{self.station_id} / {self.contest_id} {self.sha256[:12]} {self.status}"

    @property
    def flagged(self) -> bool:
        return self.status != self.MATCH
