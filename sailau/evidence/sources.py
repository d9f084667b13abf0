"""Where images come from: every scan of a signed protocol and every observer's photo of a
certified copy becomes one `Image` for volunteers, with its perceptual hash so that the same
photo uploaded for two stations is caught.

Registered as each arrives (post_save of Scan and ObserverCopy) and, for rows written in bulk
or before this app existed, by `sync(election)`; both are idempotent."""

from __future__ import annotations

import io
import logging

from django.db import IntegrityError, transaction

from sailau.evidence.models import Image
from sailau.observation.models import ObserverCopy
from sailau.scans.models import Scan

log = logging.getLogger(__name__)


def perceptual_hash(data: bytes) -> str:
    """imagehash's pHash (64 bits, hex) of an image or of a PDF's first page; "" when the file
    cannot be read as a picture. A pHash survives recompression, scaling and a little noise, so
    the same photo re-encoded for another station still matches, while two different pages of
    the same printed form differ (their figures and stamps move the low frequencies)."""
    import imagehash
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        if data[:5] == b"%PDF-":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(data)
            try:
                picture = pdf[0].render(scale=0.5).to_pil()
            finally:
                pdf.close()
        else:
            picture = PILImage.open(io.BytesIO(data))
            picture.load()
        return str(imagehash.phash(picture.convert("L")))
    except (UnidentifiedImageError, OSError, ValueError, IndexError, Exception) as exc:  # noqa: BLE001
        # Whatever the file is, it stays typable; it just cannot be matched to others.
        log.warning("no perceptual hash: %s", exc)
        return ""


def _read(field) -> bytes:
    """The file's bytes; empty when it cannot be read (the image is still typable by whoever
    can open it later, just not matched to others)."""
    try:
        # From the storage by name: opening the field itself would close the caller's file.
        with field.storage.open(field.name, "rb") as fh:
            return fh.read()
    except (OSError, ValueError) as exc:
        log.warning("image file not readable: %s", exc)
        return b""


def _register(**fields) -> Image | None:
    data = fields.pop("data")
    phash = perceptual_hash(data) if data else ""
    duplicate = None
    if phash:
        duplicate = (Image.objects.filter(phash=phash).exclude(station_id=fields["station_id"])
                     .order_by("id").first())
    try:
        with transaction.atomic():
            return Image.objects.create(phash=phash, duplicate_of=duplicate, **fields)
    except IntegrityError:  # registered meanwhile by another process: one image per source
        return None


def register_scan(scan: Scan) -> Image | None:
    if Image.objects.filter(scan=scan).exists():
        return None
    return _register(source=Image.SCAN, scan=scan, station_id=scan.station_id,
                     contest_id=scan.contest_id, protocol_id=scan.protocol_id,
                     sha256=scan.sha256, data=_read(scan.file))


def register_copy(copy: ObserverCopy) -> Image | None:
    if not copy.photo or Image.objects.filter(copy=copy).exists():
        return None
    return _register(source=Image.COPY, copy=copy, station_id=copy.station_id,
                     contest_id=copy.contest_id, protocol_id=None,
                     sha256=copy.photo_sha256, data=_read(copy.photo))


def scan_saved(sender, instance: Scan, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        register_scan(instance)


def copy_saved(sender, instance: ObserverCopy, raw: bool = False, **kwargs) -> None:
    if not raw and instance.photo:
        register_copy(instance)


def sync(election_id: str) -> int:
    """Register the election's scans and photos that have no image yet; how many were added."""
    added = 0
    for scan in (Scan.objects.filter(station__election_id=election_id, evidence_image__isnull=True)
                 .order_by("id").iterator(chunk_size=500)):
        added += register_scan(scan) is not None
    for copy in (ObserverCopy.objects.filter(station__election_id=election_id,
                                             evidence_image__isnull=True).exclude(photo="")
                 .order_by("id").iterator(chunk_size=500)):
        added += register_copy(copy) is not None
    return added
