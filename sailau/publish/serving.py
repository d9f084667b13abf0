"""Serving the snapshot directory at /snapshots/ from `sailau serve`, before any other
middleware: election-night readers should cost a stat and a read, not a session.

Objects are content-addressed, so they are immutable for a year and their ETag is their hash;
manifest.json and the viewer's files change with each publication and are revalidated.
Files written after the server started are served at once (no startup scan, unlike whitenoise).
A production deployment puts nginx or a CDN in front of the same directory; this is for the
single-machine case and for the tests."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified

PREFIX = "/snapshots/"
TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".zip": "application/zip"}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=5, must-revalidate"


class SnapshotMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        return serve(request, request.path_info[len(PREFIX):])


def _resolve(relative: str) -> Path | None:
    from sailau.publish.snapshots import root

    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts[:-1]) or \
            parts[-1].startswith(".") or "\\" in relative or "\x00" in relative:
        return None
    path = root().joinpath(*parts)
    if relative.endswith("/") or relative == "":
        path = path / "index.html"
    return path


def serve(request, relative: str):
    if request.method not in ("GET", "HEAD"):
        r = HttpResponse(status=405)
        r["Allow"] = "GET, HEAD"
        return r
    path = _resolve(relative)
    try:
        if path is None:
            raise FileNotFoundError
        st = os.stat(path)
        if not os.path.isfile(path):
            raise FileNotFoundError
    except (FileNotFoundError, NotADirectoryError, OSError):
        r = HttpResponse(b"not found\n", status=404, content_type="text/plain")
        r["Access-Control-Allow-Origin"] = "*"
        return r
    immutable = path.parent.name == "objects"
    etag = f'"{path.stem}"' if immutable else f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
    if request.headers.get("If-None-Match") == etag:
        r = HttpResponseNotModified()
    else:
        with open(path, "rb") as f:
            body = b"" if request.method == "HEAD" else f.read()
        ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        r = HttpResponse(body, content_type=ctype)
        r["Content-Length"] = str(st.st_size)
    r["ETag"] = etag
    r["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
    r["Access-Control-Allow-Origin"] = "*"
    return r
