"""The log's files: served from /snapshots/<election>/log/ with the type and caching a CDN
needs, and copied to the snapshots storage when it is not the data directory (a bucket)."""

import json

import pytest
from django.core.files.storage import FileSystemStorage

from sailau.filestores import IMMUTABLE, REVALIDATE, snapshot_encoding, snapshot_headers
from sailau.ledger import files, integrator, outbox
from sailau.tlog import gzipped, tiles
from tests.stored import S3

E = "kz.test.2026"


@pytest.mark.parametrize("name, ctype, caching", [
    (f"{E}/log/checkpoint", "text/plain; charset=utf-8", REVALIDATE),
    (f"{E}/log/tile/0/000", "application/octet-stream", IMMUTABLE),
    (f"{E}/log/tile/0/x001/234", "application/octet-stream", IMMUTABLE),
    (f"{E}/log/tile/0/000.p/17", "application/octet-stream", REVALIDATE),
    (f"{E}/log/tile/entries/000.p/3", "application/octet-stream", REVALIDATE),
    (f"{E}/log/log.json", "application/json", REVALIDATE),
    (f"{E}/log/checkpoint.witnessed", "text/plain; charset=utf-8", REVALIDATE),
    (f"{E}/objects/ab.json", "application/json", IMMUTABLE),
])
def test_headers(name, ctype, caching):
    assert snapshot_headers(name) == (ctype, caching)


@pytest.mark.skipif(S3, reason="the remote is a folder of the test's and the log is served from "
                    "the local directory: on S3 the site serves the bucket's copy")
@pytest.mark.django_db(transaction=True)
def test_served_and_copied_to_the_remote_storage(client, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    integrator._trees.clear()
    bucket = FileSystemStorage(location=str(tmp_path / "bucket"))
    monkeypatch.setattr(files, "_remote", lambda: bucket)
    outbox.append_many([(E, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                        for i in range(300)])
    integrator.integrate(E)
    local = files.local_dir(E)
    names = sorted(p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file())
    assert "checkpoint" in names and "tile/0/000" in names and "tile/0/001.p/44" in names
    for name in names:
        assert (tmp_path / "bucket" / E / "log" / name).read_bytes() == \
            (local / name).read_bytes(), name
    monkeypatch.setattr(files, "_remote", lambda: None)
    r = client.get(f"/snapshots/{E}/log/checkpoint")
    assert r.status_code == 200 and r.content == (local / "checkpoint").read_bytes()
    assert r["Content-Type"].startswith("text/plain")
    r = client.get(f"/snapshots/{E}/log/tile/0/000")
    assert r.status_code == 200 and len(r.content) == 256 * 32 and r["Cache-Control"] == IMMUTABLE
    # Entry bundles are stored gzip'd and served so to a client that accepts gzip (C2SP
    # tlog-tiles: compressed at the HTTP layer), opened for one that does not; the 300 leaves
    # read back whole either way.
    r = client.get(f"/snapshots/{E}/log/tile/entries/000", HTTP_ACCEPT_ENCODING="gzip")
    assert r.status_code == 200 and r["Content-Encoding"] == "gzip"
    assert r.content.startswith(gzipped.MAGIC)
    assert r["Vary"] == "Accept-Encoding"
    plain = client.get(f"/snapshots/{E}/log/tile/entries/000")
    assert "Content-Encoding" not in plain and plain.content == gzipped.gunzip(r.content, 1 << 24)
    assert plain["ETag"] != r["ETag"]
    leaves = tiles.decode_entry_bundle(r.content)
    leaves += tiles.decode_entry_bundle((local / "tile/entries/001.p/44").read_bytes())
    assert [json.loads(x)["seq"] for x in leaves] == list(range(300))
    assert "Content-Encoding" not in client.get(f"/snapshots/{E}/log/tile/0/000")


def test_the_bucket_is_told_the_bundles_encoding():
    assert snapshot_encoding(f"{E}/log/tile/entries/x001/000.p/9") == "gzip"
    assert snapshot_encoding(f"{E}/log/tile/0/000") is None
    assert snapshot_encoding(f"{E}/objects/ab.json") is None
