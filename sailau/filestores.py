"""Where large files are stored: Django's STORAGES, chosen from the environment.

Three aliases, each reached through `django.core.files.storage.storages[ALIAS]`:
    "default"     scans, complaint attachments, observers' photos (FileFields)
    "snapshots"   published snapshot files (sailau.publish.storage.store)
    "recordings"  video of the count
On the local disk by default, under SAILAU_DATA_DIR (media/, snapshots/, recordings/): the
demo needs nothing else. SAILAU_S3_BUCKET moves all three to an S3-compatible object store
(AWS S3, MinIO, Ceph radosgw...) through django-storages, one key prefix per alias:

SAILAU_S3_BUCKET        the bucket (setting it is what selects object storage)
SAILAU_S3_ENDPOINT_URL  the server, e.g. http://127.0.0.1:9000 (unset: AWS)
SAILAU_S3_ACCESS_KEY    credentials (unset: boto3's own chain, e.g. an instance role)
SAILAU_S3_SECRET_KEY
SAILAU_S3_REGION        region name (default us-east-1)
SAILAU_S3_PREFIX        a key prefix before media/, snapshots/, recordings/ (default none)
SAILAU_S3_PUBLIC_URL    where a CDN or the bucket serves snapshots and recordings publicly,
                        e.g. https://cdn.example.kz/sailau (the keys are appended). Unset:
                        links are pre-signed URLs valid SAILAU_S3_URL_SECONDS (default 3600).
Scans and attachments are always linked by pre-signed URL (never a public base): a complaint's
attachment is not for everyone.

Snapshot files in a bucket carry the type and caching a reader (a browser, a CDN) needs, the
same /snapshots/ on this server answers with (`snapshot_headers`): objects are named by their
hash and never change; manifest.json, chain.jsonl and the viewer's entry points change with each
publication, and a CDN that kept them for its default time would show an old night.

Serving a stored file (`serve`): on object storage the reader is redirected to the object's
pre-signed URL, valid DOWNLOAD_SECONDS, so that the bytes never pass through the application
server; on the local disk the application streams the file itself.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import mimetypes
import os
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlparse

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from sailau.errors import Code, NotFound, StorageUnavailable
from sailau.paths import data_dir
from sailau.tlog import gzipped

log = logging.getLogger(__name__)
ALIASES = ("default", "snapshots", "recordings")
# The directory under SAILAU_DATA_DIR, and the key prefix in the bucket, of each alias.
FOLDERS = {"default": "media", "snapshots": "snapshots", "recordings": "recordings"}
URLS = {"default": "/media/", "snapshots": "/snapshots/", "recordings": "/recordings/"}
PUBLIC = ("snapshots", "recordings")
# A download link handed out by `serve` is used at once: a short validity limits what a link
# copied from a browser's history can still fetch.
DOWNLOAD_SECONDS = 300
SNAPSHOT_TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8",
                  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                  ".css": "text/css; charset=utf-8", ".zip": "application/zip",
                  ".parquet": "application/vnd.apache.parquet"}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=5, must-revalidate"


def snapshot_headers(name: str) -> tuple[str, str]:
    """(Content-Type, Cache-Control) of a snapshot file, by its name in the snapshot layout
    (`<election>/objects/<sha256>.<ext>` is immutable, every other file is revalidated)."""
    path = PurePosixPath(name)
    if (log_part := _in_log(name)) is not None:  # the published log (sailau.ledger.files)
        if log_part[:1] == ("tile",):
            # A full tile or entry bundle never changes; a partial one (".p/<width>") is
            # replaced by a wider one, and a reader may ask for the full one before it exists.
            full = not any(p.endswith(".p") for p in log_part)
            return "application/octet-stream", IMMUTABLE if full else REVALIDATE
        if log_part in (("checkpoint",), ("checkpoint.witnessed",)):
            return "text/plain; charset=utf-8", REVALIDATE
        if log_part == ("cosigned.jsonl",):  # appended to: revalidated like the checkpoint
            return "application/jsonl; charset=utf-8", REVALIDATE
    ctype = SNAPSHOT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    return ctype, IMMUTABLE if path.parent.name == "objects" else REVALIDATE


def snapshot_encoding(name: str) -> str | None:
    """The Content-Encoding a snapshot file is known by its name to be served with: "gzip" for
    the log's entry bundles, always stored gzip'd (`sailau.tlog.tiles.pack_entry_bundle`), else
    None. An object is gzip'd or not by its bytes (`gzipped.pack_object`): told at upload."""
    log_part = _in_log(name)
    return "gzip" if log_part is not None and log_part[:2] == ("tile", "entries") else None


def _in_log(name: str) -> tuple[str, ...] | None:
    """The parts of `name` under the election's `log/` folder, None when it is not there."""
    parts = PurePosixPath(name).parts
    return parts[parts.index("log") + 1:] if "log" in parts else None


def s3_enabled(environ=os.environ) -> bool:
    return bool(environ.get("SAILAU_S3_BUCKET"))


def storages(environ=os.environ) -> dict:
    """The STORAGES setting for this environment (static files stay on whitenoise)."""
    conf = {alias: (_s3(alias, environ) if s3_enabled(environ) else _local(alias))
            for alias in ALIASES}
    conf["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return conf


def _local(alias: str) -> dict:
    if alias == "default":
        # MEDIA_ROOT and MEDIA_URL, as Django's default (tests move MEDIA_ROOT per test).
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"BACKEND": "sailau.filestores.DataDirStorage",
            "OPTIONS": {"folder": FOLDERS[alias], "base_url": URLS[alias]}}


class DataDirStorage(FileSystemStorage):
    """A folder of SAILAU_DATA_DIR, looked up at each use rather than fixed at start: the data
    directory is per process setting (and per test), like `sailau.paths.data_dir`."""

    def __init__(self, folder: str, **kwargs):
        super().__init__(**kwargs)
        self.folder = folder

    @property
    def base_location(self):
        return data_dir() / self.folder

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def _s3(alias: str, environ) -> dict:
    prefix = environ.get("SAILAU_S3_PREFIX", "").strip("/")
    options = {
        "bucket_name": environ["SAILAU_S3_BUCKET"],
        "endpoint_url": environ.get("SAILAU_S3_ENDPOINT_URL") or None,
        "access_key": environ.get("SAILAU_S3_ACCESS_KEY") or None,
        "secret_key": environ.get("SAILAU_S3_SECRET_KEY") or None,
        "region_name": environ.get("SAILAU_S3_REGION") or "us-east-1",
        "location": f"{prefix}/{FOLDERS[alias]}" if prefix else FOLDERS[alias],
        "signature_version": "s3v4",
        # A self-hosted server on an address or a plain host name has no per-bucket DNS names.
        "addressing_style": "path" if environ.get("SAILAU_S3_ENDPOINT_URL") else None,
        "querystring_auth": True,
        "querystring_expire": int(environ.get("SAILAU_S3_URL_SECONDS", "3600")),
        # Uploads keep Django's rule (a taken name gets a suffix, nothing is overwritten);
        # snapshot names are content hashes or manifests meant to be replaced.
        "file_overwrite": alias == "snapshots",
        "default_acl": None,
    }
    backend = "sailau.filestores.SnapshotBucket" if alias == "snapshots" \
        else "storages.backends.s3.S3Storage"
    public = environ.get("SAILAU_S3_PUBLIC_URL", "").rstrip("/")
    if public and alias in PUBLIC:
        u = urlparse(public)
        if u.scheme not in ("http", "https") or not u.netloc:
            raise RuntimeError(f"SAILAU_S3_PUBLIC_URL: {public!r} is not an http(s) URL")
        # django-storages builds <protocol>//<custom_domain>/<location>/<name>.
        options["custom_domain"] = u.netloc + u.path
        options["url_protocol"] = f"{u.scheme}:"
        options["querystring_auth"] = False
    return {"BACKEND": backend, "OPTIONS": options}


def __getattr__(name: str):
    # `SnapshotBucket` is built on first use (Django imports STORAGES' backends by name): the
    # S3 backend imports boto3 (0.16 s, -X importtime), which an installation on the local disk
    # never needs.
    if name == "SnapshotBucket":
        return _snapshot_bucket()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _snapshot_bucket() -> type:
    from storages.backends.s3 import S3Storage

    class SnapshotBucket(S3Storage):
        """The "snapshots" alias on object storage: each object stored with its snapshot
        headers (`snapshot_headers`), which the bucket then answers with."""

        def get_object_parameters(self, name):
            ctype, caching = snapshot_headers(name)
            out = {**super().get_object_parameters(name), "ContentType": ctype,
                   "CacheControl": caching}
            if encoding := snapshot_encoding(name):
                out["ContentEncoding"] = encoding
            return out

        def _get_write_parameters(self, name, content=None):
            # An object's encoding is its stored bytes' (gzip'd text or not): read their head.
            out = super()._get_write_parameters(name, content)
            if content is not None and hasattr(content, "seek"):
                content.seek(0)
                head = content.read(len(gzipped.MAGIC))
                content.seek(0)
                if isinstance(head, bytes) and gzipped.is_gzipped(head):
                    out["ContentEncoding"] = "gzip"
            return out

    SnapshotBucket.__module__ = __name__
    return SnapshotBucket


def failures() -> tuple[type[BaseException], ...]:
    """What a storage raises when it cannot do its work: the disk's OSError, or boto's errors
    (a refused connection, a timeout, the server's 5xx) which are not OSErrors."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (OSError, BotoCoreError, ClientError)


def _missing(exc: BaseException) -> bool:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound")


@contextlib.contextmanager
def refused_when_unavailable(what: str) -> Iterator[None]:
    """Turn a storage failure into a 503 refusal (sailau.errors) in the user's language; the
    cause (an address, a server's words) goes to the log, not to the page. A missing file is
    not a failure: it passes through."""
    try:
        yield
    except FileNotFoundError:
        raise
    except failures() as exc:
        log.error("file storage unavailable while %s: %s", what, exc)
        raise StorageUnavailable() from exc


def signs_urls(storage) -> bool:
    """Whether the storage's URLs are pre-signed (they expire: never put one in a cached page,
    link the application's address that redirects to a fresh one)."""
    return bool(getattr(storage, "bucket_name", None)) and bool(storage.querystring_auth) \
        and not storage.custom_domain


def direct_url(storage, name: str, *, filename: str | None = None, attachment: bool = False,
               content_type: str | None = None, seconds: int | None = None) -> str | None:
    """The object store's own URL of a stored file, so that a reader fetches it there: pre-signed
    (the object store then answers with the disposition and type asked here) or under the public
    base. None for a storage that serves nothing itself (the local disk)."""
    if not getattr(storage, "bucket_name", None):
        return None
    params = {}
    if signs_urls(storage):
        if filename or attachment:
            params["ResponseContentDisposition"] = content_disposition_header(attachment,
                                                                              filename or name)
        if content_type:
            params["ResponseContentType"] = content_type
    return storage.url(name, parameters=params, expire=seconds)


def serve(field_file, content_type: str, filename: str, attachment: bool = False,
          redirect: bool = True) -> HttpResponse:
    """A stored file uploaded by someone (scan, photo, attachment) for a reader: 404 when it is
    gone from the storage, 503 (StorageUnavailable) when the storage does not answer. Object
    storage: a redirect to a pre-signed URL valid DOWNLOAD_SECONDS. Local disk, or
    `redirect=False` (an address that must not tell what the object's key would, such as a blind
    reading's station): the file itself through the application, sandboxed, so that a browser
    never runs it as a page of this site."""
    storage, name = field_file.storage, field_file.name
    with refused_when_unavailable(f"reading {name}"):
        if redirect and getattr(storage, "bucket_name", None):
            if not storage.exists(name):
                raise NotFound(code=Code.NOT_FOUND, message="the file is missing from storage")
            return HttpResponseRedirect(direct_url(
                storage, name, filename=filename, attachment=attachment,
                content_type=content_type, seconds=min(DOWNLOAD_SECONDS,
                                                       storage.querystring_expire)))
        try:
            fh = storage.open(name, "rb")
        except FileNotFoundError:
            raise NotFound(code=Code.NOT_FOUND, message="the file is missing from storage") from None
        except failures() as exc:
            if _missing(exc):  # S3 answers a missing key with a client error, not an OSError
                raise NotFound(code=Code.NOT_FOUND, message="the file is missing from storage") from None
            raise
    r = FileResponse(fh, content_type=content_type, filename=filename, as_attachment=attachment)
    r["Content-Security-Policy"] = "sandbox"
    r["X-Content-Type-Options"] = "nosniff"
    return r
