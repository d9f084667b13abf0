"""Public pages of the count's video: one recording (its facts, its hash, the player and how to
cite a moment of it in a complaint) and its file, served from the recordings storage with HTTP
range requests when that storage has no URLs of its own (local disk). On S3 the file's address
here redirects to the storage's own URL (pre-signed, or under the public base), so this server
is not in the path of the bytes; pages link the storage directly only when its URL is public
(a pre-signed one expires, and station pages are cached)."""

from __future__ import annotations

import re

from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sailau.errors import Code, NotFound
from sailau.filestores import signs_urls
from sailau.video import services
from sailau.video.models import Recording

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PIECE = 1 << 20


def recording(request, pk: int):
    rec = get_object_or_404(Recording.objects.select_related("camera", "station__election"),
                            pk=pk)
    t = request.GET.get("t", "")
    start = f"#t={t}" if t.isdigit() and len(t) < 7 else ""  # a moment a complaint cites
    return render(request, "video/recording.html", {
        "rec": rec, "station": rec.station, "election": rec.station.election,
        "src": file_url(rec) + start, "citation": f"recording-{rec.pk}#t=0",
        "answerable": services.answerable_for(rec)})


def file_url(rec: Recording) -> str:
    """The address pages and the API give for a recording: the public base's URL when there is
    one (a CDN), else this server's address of it, which lasts (it redirects to a fresh
    pre-signed URL on S3)."""
    from django.urls import reverse

    if not signs_urls(services.storage()) and (url := services.public_url(rec)):
        return url
    return reverse("video_file", args=[rec.pk])


@require_GET
def file(request, pk: int):
    rec = Recording.objects.filter(pk=pk, state=Recording.AVAILABLE).first()
    if rec is None:
        raise NotFound(code=Code.NOT_FOUND, field="recording",
                       message="no such recording, or it was removed at the end of its retention")
    url = services.public_url(rec, download_as=_download_name(rec)
                              if request.GET.get("download") else None)
    if url:
        return HttpResponseRedirect(url)
    return ranged(request, rec)


def _download_name(rec: Recording) -> str:
    return f"{rec.station_id}-{rec.pk}.{rec.object_name.rsplit('.', 1)[-1]}"


def ranged(request, rec: Recording):
    """The file, whole (200) or the one byte range asked (206); 416 for a range outside it."""
    size = rec.size
    start, end, status = 0, size - 1, 200
    m = RANGE.match(request.headers.get("Range", "").strip())
    if m and (m[1] or m[2]):
        if m[1]:
            start = int(m[1])
            end = min(int(m[2]), size - 1) if m[2] else size - 1
        else:  # the last N bytes
            start = max(size - int(m[2]), 0)
        if start >= size or start > end:
            r = HttpResponse(status=416)
            r["Content-Range"] = f"bytes */{size}"
            return r
        status = 206
    try:
        f = services.storage().open(rec.object_name, "rb")
    except FileNotFoundError:  # the row says available, the storage has no file: not a 500
        raise NotFound(code=Code.NOT_FOUND, message="the recording's file is missing from storage") from None
    f.seek(start)

    def pieces(left=end - start + 1):
        try:
            while left > 0:
                chunk = f.read(min(PIECE, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
        finally:
            f.close()

    r = StreamingHttpResponse(pieces(), status=status, content_type=services.content_type(rec))
    r["Content-Length"] = str(end - start + 1)
    r["Accept-Ranges"] = "bytes"
    r["ETag"] = f'"{rec.sha256}"'
    if status == 206:
        r["Content-Range"] = f"bytes {start}-{end}/{size}"
    if request.GET.get("download"):
        r["Content-Disposition"] = content_disposition_header(True, _download_name(rec))
    return r
