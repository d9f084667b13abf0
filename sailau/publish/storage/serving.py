"""Serving the snapshot directory at /snapshots/ from `sailau serve`, before any other
middleware: election-night readers should cost a stat and a read, not a session.

Objects are content-addressed, so they are immutable for a year and their ETag is their hash;
manifest.json and the viewer's files change with each publication and are revalidated.
Files written after the server started are served at once (no startup scan, unlike whitenoise).
A production deployment puts nginx or a CDN in front of the same directory; this is for the
single-machine case and for the tests."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified

from sailau.filestores import IMMUTABLE, snapshot_headers
from sailau.publish.storage import mirror
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
    from sailau.publish.storage.store import root

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
    decides, for the Django middleware and the WSGI front alike. What to send is the file
    opened for reading (the caller closes it), None, or bytes: a file stored gzip'd opened for
    a client that does not accept gzip (`Accept-Encoding`; a browser always does, `curl`
    without `--compressed` does not)."""
    if method not in ("GET", "HEAD"):
        return 405, [("Allow", "GET, HEAD")], None
    path = _resolve(relative)
    if path is not None and (url := mirror.url(relative)) is not None:
        # In object storage: the reader is sent there (a pre-signed link expires: not cached).
        return 302, [("Location", url), ("Cache-Control", "no-store"),
                     ("Access-Control-Allow-Origin", "*")], None
    # Opened once and sent from that handle: retention may remove a superseded file between a
    # stat and a read, and a reader then gets the file it was answered about, never a 500.
    f = None
    try:
        if path is None:
            raise FileNotFoundError
        f = open(path, "rb")  # noqa: SIM115 (handed to the caller, who closes it)
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise FileNotFoundError
        opened, gzip = gzipped.as_sent(f, accept_encoding)
    except OSError:
        if f is not None:
            f.close()
        return 404, [("Content-Type", "text/plain"), ("Access-Control-Allow-Origin", "*")], None
    # The same type and caching as the object's copy in a bucket (sailau.filestores).
    ctype, caching = snapshot_headers(path.as_posix())
    # One tag for each form: an object's hash when sent as it is, marked when sent gzip'd.
    tag = path.stem if caching == IMMUTABLE else f"{st.st_mtime_ns:x}-{st.st_size:x}"
    etag = f'"{tag}{"-gzip" if gzip else ""}"'
    headers = [("ETag", etag), ("Cache-Control", caching), ("Access-Control-Allow-Origin", "*")]
    if gzip or opened is not None:
        headers.append(("Vary", "Accept-Encoding"))
    size = len(opened) if opened is not None else st.st_size
    if if_none_match == etag or method == "HEAD" or opened is not None:
        f.close()
    if if_none_match == etag:
        return 304, headers, None
    headers += [("Content-Type", ctype), ("Content-Length", str(size))]
    if gzip:
        headers.append(("Content-Encoding", "gzip"))
    if method == "HEAD":
        return 200, headers, None
    return 200, headers, (opened if opened is not None else f)


def serve(request, relative: str):
    status, headers, sent = answer(request.method, relative,
                                   request.headers.get("If-None-Match"),
                                   request.headers.get("Accept-Encoding"))
    if status == 304:
        r = HttpResponseNotModified()
    else:
        if sent is None or isinstance(sent, bytes):
            body = sent if sent is not None else b"not found\n" if status == 404 else b""
        else:
            with sent:
                body = sent.read()
        r = HttpResponse(body, status=status)
    for k, v in headers:
        r[k] = v
    return r


# A snapshot file up to this size is answered on the server's event loop (`SnapshotFront.at_once`,
# sailau.bodyfirst) with no thread: an open, a stat and a read of a file the page cache holds.
# Through the thread pool tiles and manifests were answered at half the rate. Larger ones
# stream from a thread.
AT_ONCE_MAX = 256 << 10

STATUS = {200: "200 OK", 302: "302 Found", 304: "304 Not Modified", 404: "404 Not Found",
          405: "405 Method Not Allowed"}


class SnapshotFront:
    """WSGI in front of Django for /snapshots/: no request object, no middleware, and the
    file handed to the server's sendfile. About the cost of a stat per request."""

    def __init__(self, app):
        self.app = app

    def at_once(self, environ):
        """(status, headers, bytes) of a snapshot request, for the server to send as it is,
        or None: not a snapshot, or a file larger than AT_ONCE_MAX (the WSGI call streams
        it)."""
        path_info = environ.get("PATH_INFO", "")
        if not path_info.startswith(PREFIX):
            return None
        status, headers, sent = answer(environ["REQUEST_METHOD"], path_info[len(PREFIX):],
                                       environ.get("HTTP_IF_NONE_MATCH"),
                                       environ.get("HTTP_ACCEPT_ENCODING"))
        if sent is None:
            return status, headers, b"not found\n" if status == 404 else b""
        if isinstance(sent, bytes):
            return status, headers, sent
        with sent:
            if os.fstat(sent.fileno()).st_size > AT_ONCE_MAX:
                return None
            return status, headers, sent.read()

    def __call__(self, environ, start_response):
        path_info = environ.get("PATH_INFO", "")
        if not path_info.startswith(PREFIX):
            return self.app(environ, start_response)
        status, headers, sent = answer(environ["REQUEST_METHOD"], path_info[len(PREFIX):],
                                       environ.get("HTTP_IF_NONE_MATCH"),
                                       environ.get("HTTP_ACCEPT_ENCODING"))
        start_response(STATUS[status], headers)
        if sent is None:
            return [b"not found\n" if status == 404 else b""]
        if isinstance(sent, bytes):
            return [sent]
        # Not a `with`: the file must stay open while the server streams it; the WSGI server
        # closes it through the file wrapper (or the iterator's close) when the answer is sent.
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(sent, 65536) if wrapper else iter(lambda: sent.read(65536), b"")
