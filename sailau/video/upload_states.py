"""The states of a resumable upload of a recording (`Upload`, the tus protocol of
`sailau.api.tus`), written here and nowhere else: opened for a camera, done with its recording,
or refused with the reason. The API only reads them; the bytes themselves are staged on disk
(`sailau.video.retention.staging`) outside any transaction."""

from __future__ import annotations

from sailau import audit
from sailau.accounts import permissions as perms
from sailau.video.models import Camera, Recording, Upload


def opened(user, camera: Camera, length: int, sha256: str, filename: str, started_at: str,
           found: Recording | None = None) -> Upload:
    """A new upload of `length` bytes; done at once when the same file is already `found` as
    the camera's recording (nothing to send)."""
    up = Upload.objects.create(camera=camera, length=length, sha256=sha256,
                               filename=filename[:200], started_at=started_at[:40],
                               created_by=perms.username(user))
    if found is not None:
        done(up, found)
    return up


def done(up: Upload, recording: Recording) -> None:
    Upload.objects.filter(pk=up.pk).update(state=Upload.DONE, recording=recording)


def refused(up: Upload, reason: str, user=None) -> None:
    """Ended without a recording: terminated by the uploader ("terminated"), or its file
    refused (the error's code, recorded in the audit log as `recording.refused` with the
    uploader when `user` is given)."""
    Upload.objects.filter(pk=up.pk).update(state=Upload.REFUSED, reason=reason[:40])
    if user is not None:
        audit.append(perms.username(user), "recording.refused", f"upload/{up.pk}", {
            "station": up.camera.station_id, "camera": up.camera_id, "reason": reason,
            "sha256": up.sha256})
