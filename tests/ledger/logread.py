"""Reading a published log folder as a stranger would: tiles through tlog's TileHashReader
(the stand-in's own reading while that library is not merged), bundles, the checkpoint."""

import base64
from pathlib import Path

from sailau.ledger import tl

try:
    from sailau.tlog.merkle import tree_hash as tlog_tree_hash
    from sailau.tlog.tiles import TileHashReader, decode_entry_bundle
except ImportError:  # the stand-in: tiles read back by the C2SP layout
    TileHashReader = None
    tlog_tree_hash = tl.tree_hash

    def decode_entry_bundle(data: bytes) -> list[bytes]:
        out, i = [], 0
        while i < len(data):
            n = int.from_bytes(data[i:i + 2], "big")
            out.append(data[i + 2:i + 2 + n])
            i += 2 + n
        return out


class _Tiles:
    """A HashReader over the tile files of a tree of `size` leaves."""

    def __init__(self, size, fetch):
        self.size, self.fetch = size, fetch

    def read_hashes(self, indexes):
        return [self._hash(level, n) for level, n in indexes]

    def _hash(self, level, n):
        tile_level, sub = divmod(level, 8)
        if sub:  # inside a tile: from the 2**sub hashes below it
            left = self._hash(level - 1, 2 * n)
            return tl.node_hash(left, self._hash(level - 1, 2 * n + 1))
        count = self.size >> level
        tile = n // 256
        data = self.fetch(tl.tile_path(tile_level, tile, min(256, count - tile * 256)))
        i = n % 256
        return data[32 * i:32 * i + 32]


def reader(size: int, folder: Path):
    fetch = (lambda path: (folder / path).read_bytes())
    return TileHashReader(size, fetch) if TileHashReader else _Tiles(size, fetch)


def checkpoint(folder: Path) -> tuple[str, int, bytes, list[str]]:
    """(origin, size, root, signature lines) of the published checkpoint."""
    text = (folder / "checkpoint").read_text()
    body, sigs = text.split("\n\n", 1)
    origin, size, root = body.split("\n")[:3]
    return origin, int(size), base64.b64decode(root), sigs.splitlines()


def leaves_of(folder: Path, size: int) -> list[bytes]:
    out = []
    for n in range((size + 255) // 256):
        out += decode_entry_bundle((folder / tl.entries_path(n, min(256, size - n * 256)))
                                   .read_bytes())
    return out
