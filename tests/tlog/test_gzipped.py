"""How published bytes are stored gzip'd and opened (sailau.tlog.gzipped)."""

import gzip
import json

import pytest

from sailau.tlog import gzipped


def test_text_is_packed_smaller_and_opens_to_the_same_bytes():
    body = json.dumps({"stations": [{"id": i, "votes": i * 7} for i in range(500)]}).encode()
    packed = gzipped.pack_object(body, ".json")
    assert gzipped.is_gzipped(packed) and len(packed) * 5 < len(body)
    assert gzipped.open_object(packed) == body == gzipped.open_object(body)
    assert gzipped.pack_object(body, ".json") == packed  # the same bytes every time (mtime 0)
    assert gzip.decompress(packed) == body  # plain RFC 1952: any tool opens it


def test_what_is_compressed_already_or_would_grow_is_stored_as_it_is():
    assert gzipped.pack_object(b"PK\x03\x04" + b"x" * 900, ".zip").startswith(b"PK")
    assert gzipped.pack_object(b"PAR1" + bytes(range(256)), ".parquet").startswith(b"PAR1")
    assert gzipped.pack_object(b"{}", ".json") == b"{}"  # gzip's header alone is larger


def test_a_small_parquet_table_is_stored_gzipd():
    """Its footer (every column's name and type, uncompressed) is most of a small table."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table({f"c{i:02}": [i] for i in range(30)}), buf, compression="zstd")
    body = buf.getvalue()
    packed = gzipped.pack_object(body, ".parquet")
    assert gzipped.is_gzipped(packed) and len(packed) * 2 < len(body)
    assert gzipped.open_object(packed, len(body)) == body


@pytest.mark.parametrize("bad, says", [
    (gzipped.MAGIC + b"\x00" * 40, "not a gzip member"),
    (gzipped.gzip_bytes(b"{" + b" " * 10_000 + b"}")[:30], "truncated"),
    (gzipped.gzip_bytes(b"{}") + b"more", "after the gzip member"),
])
def test_broken_gzip_is_named(bad, says):
    with pytest.raises(gzipped.NotGzip, match=says):
        gzipped.open_object(bad)


@pytest.mark.parametrize("header, takes", [
    ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    (None, False), ("", False), ("identity", False), ("deflate, gzip;q=0", False),
])
def test_who_accepts_gzip(header, takes):
    assert gzipped.accepted(header) is takes


def test_a_small_file_that_opens_to_more_than_its_size_is_refused_unread():
    bomb = gzipped.gzip_bytes(b" " * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(gzipped.NotGzip, match="more than 1,000 bytes"):
        gzipped.open_object(bomb, size=1000)
    assert len(gzipped.open_object(bomb, size=50_000_000)) == 50_000_000


def test_a_stored_file_goes_as_stored_or_opened_by_what_the_client_takes(tmp_path):
    body = b'{"votes": [' + b",".join(b"%d" % i for i in range(500)) + b"]}"
    packed, plain, broken = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    packed.write_bytes(gzipped.pack_object(body, ".json"))
    plain.write_bytes(body)
    broken.write_bytes(packed.read_bytes()[:-10])
    assert gzipped.as_sent(packed, "gzip, br") == (None, True)
    assert gzipped.as_sent(packed, None) == (body, False)
    assert gzipped.as_sent(plain, "gzip") == gzipped.as_sent(plain, None) == (None, False)
    # A damaged gzip goes as stored, marked gzip: the reader's hash check names it.
    assert gzipped.as_sent(broken, None) == (None, True)
    # Nothing past the size the manifest says is opened.
    assert gzipped.as_sent(packed, None, size=len(body) - 1) == (None, True)


def test_what_is_rewritten_all_night_is_packed_tighter_than_a_national_table():
    """Bodies up to `LARGE` (bundles, station and commission files, shards) at zlib's level 9;
    the national tables above it at 6, which a whole publication writes all at once."""
    import gzip

    small = b"".join(b'{"station": %d, "votes": %d}\n' % (i, i * 7 % 1000) for i in range(3000))
    large = small * (gzipped.LARGE // len(small) + 1)
    assert gzipped.gzip_bytes(small) == gzip.compress(small, 9, mtime=0) != \
        gzip.compress(small, 6, mtime=0)
    assert gzipped.gzip_bytes(large) == gzip.compress(large, 6, mtime=0)
