"""Entry bundles as the log stores and serves them: gzip'd, and read back gzip'd or plain."""

import gzip

import pytest

from sailau.tlog import gzipped, tiles
from sailau.tlog.merkle import ProofError

LEAVES = [b'{"type":"audit-head","seq":%d}' % i for i in range(256)]


def test_packed_bundles_read_back_and_are_smaller():
    packed = tiles.pack_entry_bundle(LEAVES)
    plain = tiles.encode_entry_bundle(LEAVES)
    assert tiles.decode_entry_bundle(packed) == LEAVES == tiles.decode_entry_bundle(plain)
    assert len(packed) * 4 < len(plain)
    # The same leaves, the same bytes: a rewrite after a crash changes nothing.
    assert tiles.pack_entry_bundle(LEAVES) == packed


def test_a_plain_bundle_is_not_taken_for_gzip():
    # A plain bundle's third byte is its first leaf's first: a JSON object's "{".
    assert tiles.unpack_entry_bundle(tiles.encode_entry_bundle(LEAVES[:3])) == \
        tiles.encode_entry_bundle(LEAVES[:3])


@pytest.mark.parametrize("damage", ["cut", "garbage", "bomb"])
def test_a_bad_gzip_member_is_named(damage):
    packed = tiles.pack_entry_bundle(LEAVES)
    data = {"cut": packed[:len(packed) // 2],
            "garbage": gzipped.MAGIC + b"\x00" * 40,
            # more than any bundle of 256 entries can hold, never inflated whole
            "bomb": gzip.compress(b"\x00" * (tiles.MAX_BUNDLE + 10), mtime=0)}[damage]
    with pytest.raises(ProofError, match="entry bundle"):
        tiles.decode_entry_bundle(data)
