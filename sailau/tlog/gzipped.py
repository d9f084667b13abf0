"""Published bytes stored gzip'd (RFC 1952) and served with `Content-Encoding: gzip`: the log's
entry bundles (`tiles.pack_entry_bundle`) and the snapshot's text and Parquet objects
(`pack_object`).

A reader gets them either way: undone by its HTTP client, or as stored (a copy of the folder, a
static server that does not send the header, a client that does not undo it). So readers look
at the first bytes: gzip's magic cannot begin anything published uncompressed (JSON opens with
`{` or `[`, a CSV with its header, a bundle's third byte is a JSON leaf's `{`, Parquet with
`PAR1`, a zip with `PK`). An object's name and its manifest entry (sha256, size) are always of
the bytes *after* decompression: what a reader checks does not depend on how it was carried.

No Django: `sailau verify`, `sailau witness` and `sailau mirror` read these."""

from __future__ import annotations

import gzip
import zlib

MAGIC = b"\x1f\x8b\x08"  # gzip, deflate
# zlib's highest level for what is written again and again all night (a partial entry bundle at
# every checkpoint, the station and commission files and shards with every batch): on a national
# night's own files, 9 stored 3.4 % fewer bytes than 6 for the bundles and 1.1 % for the files
# under 1 MiB (1.4 MiB of 77), for 3 s more of a core in the night's 600. Above `LARGE`, the
# national tables, written a few times a night but all at once by a whole publication (the
# demo's build among them), stay at 6: 9 took 2.8 times as long on them for 7.6 % fewer bytes.
LEVEL = 9
LARGE, LARGE_LEVEL = 2**20, 6
# The kinds of object stored gzip'd when that makes them smaller: text (10x smaller for JSON), and
# Parquet: its columns are compressed inside (zstd), but not its footer, which names every
# column and is most of a small table (a single-member district's one-row table, written again
# with its stations all night: 4.3 KB, 1.3 KB gzip'd; a district's 224 rows 20 -> 15 KB). A zip
# (the scans' archives) is compressed already.
PACKED = frozenset({".json", ".csv", ".html", ".js", ".css", ".txt", ".xml", ".parquet"})
# The most an object is allowed to grow to when it is opened without a size to expect (a shard
# of the list of files): far above any published file, far below a machine's memory.
MAX_OBJECT = 1 << 30


class NotGzip(ValueError):
    """Bytes that begin as gzip but are not a whole gzip member of the size allowed."""


def gzip_bytes(body: bytes) -> bytes:
    """gzip of `body`, with a time of 0 in the header: the same bytes always give the same
    stored bytes (a rewrite after a crash writes what was there)."""
    return gzip.compress(body, compresslevel=LEVEL if len(body) <= LARGE else LARGE_LEVEL,
                         mtime=0)


def gunzip(data: bytes, limit: int) -> bytes:
    """`data` as it was before gzip, when it is gzip'd (else `data` itself). NotGzip for a
    broken or truncated member, or one that opens to more than `limit` bytes (stopped there:
    a small file that would open to gigabytes is refused unread)."""
    if not data.startswith(MAGIC):
        return data
    d = zlib.decompressobj(wbits=31)  # 16 + 15: a gzip header and trailer
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise NotGzip(f"not a gzip member ({exc})") from None
    if len(out) > limit or d.unconsumed_tail:
        raise NotGzip(f"opens to more than {limit:,} bytes")
    if not d.eof:
        raise NotGzip("truncated gzip member")
    if d.unused_data:
        raise NotGzip("bytes after the gzip member")
    return out


def pack_object(body: bytes, suffix: str) -> bytes:
    """A snapshot object as stored: gzip'd when it is of a kind `PACKED` and that makes it
    smaller."""
    if suffix not in PACKED:
        return body
    packed = gzip_bytes(body)
    return packed if len(packed) < len(body) else body


def open_object(data: bytes, size: int | None = None) -> bytes:
    """A snapshot object's bytes as published (what its name's SHA-256 is of), from the bytes
    read or fetched. `size`: what the manifest says it weighs, when known (nothing larger is
    opened)."""
    return gunzip(data, MAX_OBJECT if size is None or size < 0 else size)


def accepted(accept_encoding: str | None) -> bool:
    """Whether a request's `Accept-Encoding` takes gzip (`gzip` or `*`, not at q=0)."""
    for item in (accept_encoding or "").lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params.strip() or float(q) > 0
            except ValueError:
                return True
    return False


def as_sent(path, accept_encoding: str | None, size: int | None = None
            ) -> tuple[bytes | None, bool]:
    """How a stored file goes to a client (`Accept-Encoding` as it asked): (None, True) the
    stored gzip with `Content-Encoding: gzip`; (None, False) the file as it is, not gzip'd;
    (bytes, False) the gzip opened for a client that does not take it. A gzip that does not
    open is sent as stored, its reader's hash check names it: never an error here. `path` may
    be a file already open for reading: it is read from its start and left at its start."""
    if hasattr(path, "read"):
        try:
            return _as_sent(path, accept_encoding, size)
        finally:
            path.seek(0)
    with open(path, "rb") as f:
        return _as_sent(f, accept_encoding, size)


def _as_sent(f, accept_encoding: str | None, size: int | None) -> tuple[bytes | None, bool]:
    if not is_gzipped(f.read(len(MAGIC))):
        return None, False
    if accepted(accept_encoding):
        return None, True
    try:
        return open_object(MAGIC + f.read(), size), False
    except NotGzip:
        return None, True


def is_gzipped(head: bytes) -> bool:
    """Whether a stored file beginning with `head` is served with `Content-Encoding: gzip`."""
    return head.startswith(MAGIC)
