"""Serving the snapshot directory at /snapshots/ from `sailau serve`, before any other
middleware: election-night readers should cost a stat and a read, not a session.

Objects are content-addressed, so they are immutable for a year and their ETag is their hash;
manifest.json and the viewer's files change with each publication and are revalidated.
Files written after the server started are served at once (no startup scan, unlike whitenoise).
A production deployment puts nginx or a CDN in front of the same directory; this is for the
single-machine case and for the tests."""

from __future__ import annotations

import os
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified

from sailau.filestores import IMMUTABLE, snapshot_headers
from sailau.publish import mirror
from sailau.tlog import gzipped

PREFIX = "/snapshots/"


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


def answer(method: str, relative: str, if_none_match: str | None,
           accept_encoding: str | None = "gzip"):
    """(status, headers, what to send) for a request of a snapshot file: the one place that
    decides, for the Django middleware and the WSGI front alike. What to send is the file's
    path, None, or bytes: a file stored gzip'd opened for a client that does not accept gzip
    (`Accept-Encoding`; a browser always does, `curl` without `--compressed` does not)."""
    if method not in ("GET", "HEAD"):
        return 405, [("Allow", "GET, HEAD")], None
    path = _resolve(relative)
    if path is not None and (url := mirror.url(relative)) is not None:
        # In object storage: the reader is sent there (a pre-signed link expires: not cached).
        return 302, [("Location", url), ("Cache-Control", "no-store"),
                     ("Access-Control-Allow-Origin", "*")], None
    try:
        if path is None:
            raise FileNotFoundError
        st = os.stat(path)
        if not os.path.isfile(path):
            raise FileNotFoundError
        opened, gzip = gzipped.as_sent(path, accept_encoding)
    except OSError:
        return 404, [("Content-Type", "text/plain"), ("Access-Control-Allow-Origin", "*")], None
    # The same type and caching as the object's copy in a bucket (sailau.filestores).
    ctype, caching = snapshot_headers(path.as_posix())
    # One tag for each form: an object's hash when sent as it is, marked when sent gzip'd.
    tag = path.stem if caching == IMMUTABLE else f"{st.st_mtime_ns:x}-{st.st_size:x}"
    etag = f'"{tag}{"-gzip" if gzip else ""}"'
    headers = [("ETag", etag), ("Cache-Control", caching), ("Access-Control-Allow-Origin", "*")]
    if gzip or opened is not None:
        headers.append(("Vary", "Accept-Encoding"))
    if if_none_match == etag:
        return 304, headers, None
    size = len(opened) if opened is not None else st.st_size
    headers += [("Content-Type", ctype), ("Content-Length", str(size))]
    if gzip:
        headers.append(("Content-Encoding", "gzip"))
    if method == "HEAD":
        return 200, headers, None
    return 200, headers, (opened if opened is not None else path)


def serve(request, relative: str):
    status, headers, sent = answer(request.method, relative,
                                   request.headers.get("If-None-Match"),
                                   request.headers.get("Accept-Encoding"))
    if status == 304:
        r = HttpResponseNotModified()
    else:
        body = sent if isinstance(sent, bytes) else sent.read_bytes() if sent else (
            b"not found\n" if status == 404 else b"")
        r = HttpResponse(body, status=status)
    for k, v in headers:
        r[k] = v
    return r


STATUS = {200: "200 OK", 302: "302 Found", 304: "304 Not Modified", 404: "404 Not Found",
          405: "405 Method Not Allowed"}


class SnapshotFront:
    """WSGI in front of Django for /snapshots/: no request object, no middleware, and the
    file handed to the server's sendfile. About the cost of a stat per request."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path_info = environ.get("PATH_INFO", "")
        if not path_info.startswith(PREFIX):
            return self.app(environ, start_response)
        status, headers, path = answer(environ["REQUEST_METHOD"], path_info[len(PREFIX):],
                                       environ.get("HTTP_IF_NONE_MATCH"),
                                       environ.get("HTTP_ACCEPT_ENCODING"))
        start_response(STATUS[status], headers)
        if path is None:
            return [b"not found\n" if status == 404 else b""]
        if isinstance(path, bytes):
            return [path]
        # Not a `with`: the file must stay open while the server streams it; the WSGI server
        # closes it through the file wrapper (or the iterator's close) when the answer is sent.
        f = open(path, "rb")  # noqa: SIM115
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(f, 65536) if wrapper else iter(lambda: f.read(65536), b"")
