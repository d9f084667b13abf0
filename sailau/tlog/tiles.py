"""C2SP tlog-tiles: tile paths, tile bytes, entry bundles, a HashReader over fetched tiles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sailau.tlog import gzipped
from sailau.tlog.merkle import HASH_SIZE, ProofError, node_hash

HEIGHT = 8
WIDTH = 256


def _n(n: int) -> str:
    parts = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        parts.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(parts))


def tile_path(level: int, n: int, width: int = WIDTH) -> str:
    return f"tile/{level}/{_n(n)}" + (f".p/{width}" if width < WIDTH else "")


def entries_path(n: int, width: int = WIDTH) -> str:
    return f"tile/entries/{_n(n)}" + (f".p/{width}" if width < WIDTH else "")


def tiles_for(old_size: int, new_size: int) -> list[tuple[int, int, int]]:
    out = []
    level = 0
    while (new_size >> (HEIGHT * level)) > 0:
        old, new = old_size >> (HEIGHT * level), new_size >> (HEIGHT * level)
        for n in range(old // WIDTH, (new + WIDTH - 1) // WIDTH):
            width = min(WIDTH, new - n * WIDTH)
            if n * WIDTH + width > old:
                out.append((level, n, width))
        level += 1
    return out


def tile_bytes(level: int, n: int, width: int, reader) -> bytes:
    return b"".join(reader.read_hashes([(level * HEIGHT, n * WIDTH + i) for i in range(width)]))


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    out = bytearray()
    for e in entries:
        if len(e) > 0xFFFF:
            raise ValueError("an entry is longer than 65535 bytes")
        out += len(e).to_bytes(2, "big") + e
    return bytes(out)


# The largest entry bundle: 256 entries of at most 65,535 bytes, each with its 2-byte length.
MAX_BUNDLE = WIDTH * (2 + 0xFFFF)


def pack_entry_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle as this log stores and serves it: gzip (RFC 1952) of its bytes, served
    with `Content-Encoding: gzip` (C2SP tlog-tiles: bundles SHOULD be compressed at the HTTP
    layer, and a log MAY send gzip without negotiation; see `gzipped`)."""
    return gzipped.gzip_bytes(encode_entry_bundle(entries))


def unpack_entry_bundle(data: bytes) -> bytes:
    """The bytes of an entry bundle as fetched or read from a folder: gzip'd (a copy of the
    server's file, or a client that did not undo `Content-Encoding`) or as it is. A plain
    bundle cannot begin with gzip's magic: its third byte is a leaf's first, and a leaf of this
    log is a JSON object (`{`). A gzip member larger than any bundle is refused unread."""
    try:
        return gzipped.gunzip(data, MAX_BUNDLE)
    except gzipped.NotGzip as exc:
        raise ProofError(f"entry bundle: {exc}") from None


def decode_entry_bundle(data: bytes) -> list[bytes]:
    """The entries of a bundle, gzip'd or not (`unpack_entry_bundle`)."""
    data = unpack_entry_bundle(data)
    out, i = [], 0
    while i < len(data):
        if i + 2 > len(data):
            raise ProofError("entry bundle: truncated length")
        size = int.from_bytes(data[i:i + 2], "big")
        if i + 2 + size > len(data):
            raise ProofError("entry bundle: truncated entry")
        out.append(data[i + 2:i + 2 + size])
        i += 2 + size
    return out


class TileHashReader:
    """Stored hashes of the tree of `size`, read from its tiles (fetched once each)."""

    def __init__(self, size: int, fetch: Callable[[str], bytes]):
        self.size, self.fetch, self.cache = size, fetch, {}

    def _tile(self, tl: int, tn: int) -> bytes:
        count = self.size >> (HEIGHT * tl)
        width = min(WIDTH, count - tn * WIDTH)
        if width <= 0:
            raise ProofError(f"tile {tl}/{tn} is beyond the tree of size {self.size}")
        if (tl, tn) not in self.cache:
            data = self.fetch(tile_path(tl, tn, width))
            if len(data) != width * HASH_SIZE:
                raise ProofError(f"{tile_path(tl, tn, width)}: {len(data)} bytes, expected "
                                 f"{width * HASH_SIZE}")
            self.cache[(tl, tn)] = data
        return self.cache[(tl, tn)]

    def read_hashes(self, indexes):
        out = []
        for level, n in indexes:
            tl, sub = divmod(level, HEIGHT)
            first = n << sub
            tile = self._tile(tl, first // WIDTH)
            i = first % WIDTH
            row = [tile[j * HASH_SIZE:(j + 1) * HASH_SIZE] for j in range(i, i + (1 << sub))]
            if any(len(h) != HASH_SIZE for h in row):
                raise ProofError(f"hash ({level}, {n}) is beyond the tree of size {self.size}")
            while len(row) > 1:
                row = [node_hash(row[j], row[j + 1]) for j in range(0, len(row), 2)]
            out.append(row[0])
        return out
