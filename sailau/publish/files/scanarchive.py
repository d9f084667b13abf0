"""Scans in bulk: one zip per territory with every scan of its stations and a manifest of
SHA-256 hashes (`SHA256SUMS`, the format `sha256sum -c` reads, and `manifest.json` with the
station, contest, protocol version and check status of each file).

The archive's bytes depend only on the scans: entries sorted, timestamps fixed, stored without
compression (scans are PNG, JPEG or PDF, already compressed), so the same scans give the same
archive and the same hash, and a snapshot can name it by its content."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections import defaultdict

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes
EXT = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def scans_by_territory(election_id: str) -> dict[str, list]:
    """Scans of the election per territory id (empty if the scans app is not installed)."""
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        return {}
    from sailau.scans.models import Scan

    out: dict[str, list] = defaultdict(list)
    for s in (Scan.objects.filter(station__election_id=election_id)
              .select_related("station", "protocol").order_by("station__number", "contest_id",
                                                              "id")):
        out[s.station.territory_id].append(s)
    return dict(out)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def archive(territory_id: str, scans) -> bytes:
    """The zip of these scans. Raises ValueError if a stored file no longer has its hash."""
    buf = io.BytesIO()
    rows, sums = [], []
    with zipfile.ZipFile(buf, "w") as z:
        for s in scans:
            with s.file.open("rb") as f:
                body = f.read()
            digest = hashlib.sha256(body).hexdigest()
            if digest != s.sha256:
                raise ValueError(f"scan {s.id}: stored file does not match its SHA-256")
            name = f"{s.station.number}/{s.contest_id}/{digest}.{EXT.get(s.content_type, 'bin')}"
            z.writestr(_entry(name), body)
            sums.append(f"{digest}  {name}\n")
            rows.append({"file": name, "sha256": digest, "size": len(body),
                         "station": s.station_id, "number": s.station.number,
                         "contest": s.contest_id, "protocol_version": s.protocol.version,
                         "status": s.status, "reason": s.reason})
        z.writestr(_entry("SHA256SUMS"), "".join(sums).encode())
        z.writestr(_entry("manifest.json"), json.dumps(
            {"territory": territory_id, "scans": rows}, ensure_ascii=False, sort_keys=True,
            indent=1).encode())
    return buf.getvalue()
