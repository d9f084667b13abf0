"""Resumable upload of recordings: the tus protocol 1.0.0 (https://tus.io/protocols/
resumable-upload) with its creation, checksum and termination extensions, at /api/video/uploads/.

POST creates an upload for a camera (metadata: camera, sha256, optionally filename and
started_at); PATCH appends a chunk at the offset the client names; HEAD tells the offset reached;
DELETE ends an upload. The bytes are staged on local disk under SAILAU_DATA_DIR/video/uploads; the
offset IS the staged file's size, so a connection dropped mid-chunk leaves exactly the bytes that
arrived, and the client resumes from there. A chunk sent with Upload-Checksum is kept only whole
and matching (460 otherwise, nothing kept). When the last byte arrives the file is checked and
stored (`services.record`); a refusal answers the error model with the reason.

Writers of one upload are serialised by a lock on its staged file, not by a database lock, so no
transaction stays open while a chunk streams in."""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
import re
import uuid
from pathlib import Path

from django.db.models import Sum
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from sailau.accounts import permissions as perms
from sailau.errors import BadInput, Code, Conflict, NotFound, SailauError, Unauthorized
from sailau.video import probe as probes
from sailau.video import services, texts, upload_states
from sailau.video.models import Camera, Upload
from sailau.video.retention import staging

VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination"
ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}
MAX_SIZE = int(os.environ.get("SAILAU_VIDEO_MAX_BYTES", str(64 << 30)))  # a night, generously
# What one account may have declared in uploads not yet finished, summed: one night of a
# station's camera at 1-2 Mbit/s is 5-11 GB, so 16 GiB lets a night be sent whole, while one
# account can no longer fill the staging disk by opening upload after upload (each staged
# byte is a byte of local disk until the upload ends). Finished, refused, ended and swept
# (`sailau.video.retention.sweep_uploads`) uploads count no more.
STAGED_QUOTA = int(os.environ.get("SAILAU_VIDEO_STAGED_QUOTA_BYTES", str(16 << 30)))
READ = 1 << 20
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _headers(response: HttpResponse, **extra) -> HttpResponse:
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for k, v in extra.items():
        response[k.replace("_", "-")] = str(v)
    return response


def _refusal(request, exc: SailauError) -> HttpResponse:
    from sailau.api.api import _refusal as api_refusal

    return _headers(api_refusal(request, exc))


def _user(request):
    """The bearer token's user, or the session's (CSRF-checked for writes)."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        from sailau.api.auth import TokenAuth

        user = TokenAuth().authenticate(request, auth[7:].strip())
        if user is None:
            raise Unauthorized(code=Code.UNAUTHORIZED,
                               message="the bearer token is unknown or expired")
        return user
    if request.user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if refused is not None:
                raise Unauthorized(code=Code.UNAUTHORIZED,
                                   message="CSRF check failed for the session")
        return request.user
    raise Unauthorized(code=Code.UNAUTHORIZED, message="sign in or send a bearer token")


def metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64(value)` pairs."""
    out = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise BadInput(code=Code.INVALID,
                           message=f"Upload-Metadata: {key} is not base64 of UTF-8 text",
                           field="Upload-Metadata") from exc
    return out


def _int_header(request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit() or len(value) > 18:
        raise BadInput(code=Code.INVALID,
                       message=f"{name} must be a non-negative integer, not {value!r}", field=name)
    return int(value)


@csrf_exempt
def uploads(request):
    """OPTIONS: what this server supports; POST: create an upload."""
    try:
        if request.method == "OPTIONS":
            return _headers(HttpResponse(status=204), Tus_Version=VERSION,
                            Tus_Extension=EXTENSIONS, Tus_Max_Size=MAX_SIZE,
                            Tus_Checksum_Algorithm=",".join(ALGORITHMS))
        _check_version(request)
        if request.method != "POST":
            raise SailauError(code=Code.METHOD_NOT_ALLOWED,
                              message=f"{request.method} is not allowed here",
                              status=405)
        return _create(request)
    except SailauError as exc:
        return _refusal(request, exc)


def _check_version(request) -> None:
    if request.headers.get("Tus-Resumable") != VERSION:
        raise SailauError(code=Code.BAD_INPUT, message=f"Tus-Resumable: {VERSION} is required",
                          field="Tus-Resumable",
                          status=412)


def _create(request):
    user = _user(request)
    length = _int_header(request, "Upload-Length")
    if length == 0:
        raise texts.refused(texts.NOT_VIDEO, "Upload-Length")
    if length > MAX_SIZE:
        raise SailauError(code=Code.INVALID,
                          message=f"Upload-Length {length} exceeds Tus-Max-Size {MAX_SIZE}",
                          field="Upload-Length", status=413)
    meta = metadata(request.headers.get("Upload-Metadata", ""))
    camera_id = meta.get("camera", "")
    camera = Camera.objects.select_related("station").filter(
        pk=int(camera_id) if camera_id.isdigit() and len(camera_id) < 18 else 0).first()
    if camera is None:
        raise NotFound(code=Code.NOT_FOUND,
                       message=f"no camera {camera_id!r} (Upload-Metadata camera)",
                       field="camera")
    station = meta.get("station")
    if station and station not in (camera.station_id, str(camera.station.number)):
        raise texts.refused(texts.OTHER_STATION, "station",
                            {"declared": station, "camera": camera.station_id})
    services.require_manage(user, camera.station)
    if camera.removed_at is not None:
        raise texts.refused(texts.CAMERA_REMOVED, "camera")
    sha = meta.get("sha256", "").lower()
    if not SHA256.match(sha):
        raise BadInput(code=Code.INVALID,
                       message="Upload-Metadata sha256 must be 64 hexadecimal digits",
                       field="sha256")
    if meta.get("started_at") and probes.parse_time(meta["started_at"]) is None:
        raise BadInput(code=Code.INVALID, message="started_at must be an ISO 8601 time",
                       field="started_at")
    found = services.existing(camera, sha)
    if found is None:
        _check_quota(perms.username(user), length)
    # the same file again (`found`): nothing to send, it is already the recording
    up = upload_states.opened(user, camera, length, sha, meta.get("filename", ""),
                              meta.get("started_at", ""), found)
    if found is None:
        staging(up.pk).touch()
    location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{up.pk}")
    return _headers(HttpResponse(status=201), Location=location,
                    Upload_Offset=length if found else 0)


def _check_quota(username: str, length: int) -> None:
    """413 `upload.quota` when the account's open uploads and this one would declare more than
    STAGED_QUOTA bytes. Declared, not staged, bytes are counted: an upload once created may be
    filled to its length, so counting what has arrived would let one account open many and
    fill them all later. Two creations at the same instant may both pass (no lock is taken):
    that overshoots by one upload at most per concurrent request, never without bound."""
    staged = Upload.objects.filter(created_by=username, state=Upload.OPEN).aggregate(
        n=Sum("length"))["n"] or 0
    if staged + length > STAGED_QUOTA:
        raise SailauError(code=Code.UPLOAD_QUOTA, field="Upload-Length", status=413,
                          detail={"staged": staged, "length": length, "quota": STAGED_QUOTA})


@csrf_exempt
def upload(request, upload_id: uuid.UUID):
    try:
        if request.method == "OPTIONS":
            return uploads(request)
        _check_version(request)
        user = _user(request)
        up = Upload.objects.select_related("camera__station").filter(pk=upload_id).first()
        if up is None:
            raise NotFound(code=Code.NOT_FOUND, message=f"no upload {upload_id}")
        services.require_manage(user, up.camera.station)  # a role revoked mid-upload ends it
        if up.state == Upload.REFUSED:
            raise SailauError(code=up.reason or Code.NOT_FOUND,
                              message=texts.TEXTS.get(up.reason,
                                                      "this upload was ended"), status=410)
        if request.method == "HEAD":
            return _headers(HttpResponse(status=200), Upload_Offset=_offset(up),
                            Upload_Length=up.length)
        if request.method == "DELETE":
            return _terminate(up, user)
        if request.method == "PATCH":
            return _patch(request, up, user)
        raise SailauError(code=Code.METHOD_NOT_ALLOWED,
                          message=f"{request.method} is not allowed here",
                          status=405)
    except SailauError as exc:
        return _refusal(request, exc)


def _offset(up: Upload) -> int:
    if up.state == Upload.DONE:
        return up.length
    try:
        with staging(up.pk).open("rb") as f:
            # Waits for a chunk still being written (a dropped connection ends it at once), so
            # the offset told is the one the next PATCH will be compared with.
            fcntl.flock(f, fcntl.LOCK_SH)
            return f.seek(0, os.SEEK_END)
    except FileNotFoundError:
        return 0


def _terminate(up: Upload, user) -> HttpResponse:
    if up.state == Upload.OPEN:
        staging(up.pk).unlink(missing_ok=True)
        upload_states.refused(up, "terminated")
    return _headers(HttpResponse(status=204))


def _patch(request, up: Upload, user) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        raise SailauError(code=Code.INVALID,
                          message="Content-Type must be application/offset+octet-stream",
                          field="Content-Type", status=415)
    offset = _int_header(request, "Upload-Offset")
    if up.state == Upload.DONE:
        if offset != up.length:
            raise texts.refused(texts.OFFSET_MISMATCH, "Upload-Offset",
                                {"offset": up.length})
        return _headers(HttpResponse(status=204), Upload_Offset=up.length)
    checksum = _checksum(request.headers.get("Upload-Checksum", ""))
    path = staging(up.pk)
    with path.open("r+b") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Conflict(code=Code.CONFLICT, message="another request is writing this upload",
                           field="Upload-Offset") from exc
        size = f.seek(0, os.SEEK_END)
        if offset != size:
            raise texts.refused(texts.OFFSET_MISMATCH, "Upload-Offset", {"offset": size})
        try:
            _append(request, f, up, size, checksum)
        except BaseException:
            f.truncate(size)  # an unchecked or refused chunk leaves nothing behind
            raise
        end = f.tell()
        if end < up.length:
            return _headers(HttpResponse(status=204), Upload_Offset=end)
        f.flush()
        try:
            return _finish(request, up, user, path, end, size, f)
        except texts.StorageUnavailable:
            f.truncate(size)  # the client sends the last chunk again once storage is back
            raise


def _checksum(header: str):
    if not header:
        return None
    algo, _, digest = header.strip().partition(" ")
    if algo not in ALGORITHMS:
        raise BadInput(code=Code.INVALID, message=f"Upload-Checksum: {algo!r} is not one of "
                                                  f"{', '.join(
                                                      ALGORITHMS)}", field="Upload-Checksum")
    try:
        return ALGORITHMS[algo](), base64.b64decode(digest, validate=True)
    except binascii.Error as exc:
        raise BadInput(code=Code.INVALID, message="Upload-Checksum: the digest is not base64",
                       field="Upload-Checksum") from exc


def _append(request, f, up: Upload, size: int, checksum) -> None:
    declared = request.headers.get("Content-Length", "")
    if not declared.isdigit():
        # A body of unknown length (chunked) cannot be read here (the WSGI server hands Django
        # Content-Length bytes only): 411, which tells a tus client to send the length, not
        # `beyond_length`, which said the chunk was too long. Nothing is kept.
        raise texts.refused(texts.LENGTH_REQUIRED, "Content-Length", {"offset": size})
    remaining = int(declared)
    if size + remaining > up.length:
        raise texts.refused(texts.BEYOND_LENGTH, "Content-Length",
                            {"offset": size, "length": up.length})
    received = 0
    while remaining > received:
        try:
            piece = request.read(min(READ, remaining - received))
        except OSError:  # the connection dropped: keep what arrived (unless it is checked)
            piece = b""
        if not piece:
            break
        if checksum:
            checksum[0].update(piece)
        f.write(piece)
        received += len(piece)
    if checksum and (received != remaining or checksum[0].digest() != checksum[1]):
        raise texts.refused(texts.CHECKSUM_MISMATCH, "Upload-Checksum")


def _finish(request, up: Upload, user, path: Path, end: int, size: int, f) -> HttpResponse:
    try:
        rec = services.record(user, up.camera, path, up.sha256,
                              probes.parse_time(up.started_at))
    except texts.StorageUnavailable:
        raise
    except SailauError as exc:
        upload_states.refused(up, str(exc.code), user)
        path.unlink(missing_ok=True)
        raise
    upload_states.done(up, rec)
    path.unlink(missing_ok=True)
    return _headers(HttpResponse(status=204), Upload_Offset=end)
