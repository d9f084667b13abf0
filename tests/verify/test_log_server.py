"""`sailau verify` and `sailau witness` on what the server publishes (the ledger's log beside
the snapshot files): the honest publication passes, a witness cosigns it through the API, and
the reader then requires that cosignature."""

import json

import pytest

from sailau.cli import main
from tests.snapshotfiles import read_manifest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_servers_publication_passes(published, tmp_path, capsys):
    assert (published / "log" / "checkpoint").exists()
    state = tmp_path / "reader"
    status = main(["verify", str(published), "--state", str(state), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0, report["failures"][:5]
    assert report["held"]["signatures"] > 0 and report["held"]["totals"] > 0
    assert report["held"]["log"] > 0
    # One station with its proof.
    station = next(p for p in read_manifest(published)["files"]
                   if p.startswith("stations/"))
    number = station.removeprefix("stations/").removesuffix(".json")
    assert main(["verify", str(published), "--station", number, "--state", str(state)]) == 0


def test_a_witness_cosigns_through_the_api_and_the_reader_requires_it(
        published, small_election, tmp_path, monkeypatch, client, capsys):
    from sailau.ledger import cosign, integrator
    from sailau.witness import run as witness

    key = tmp_path / "w.key"
    assert main(["witness", "keygen", "observers.example/w", "--out", str(key)]) == 0
    vkey = capsys.readouterr().out.strip()
    cosign.add_witness(small_election.id, vkey)
    integrator.integrate(small_election.id)
    # Not cosigned yet: a reader who names the witness refuses the checkpoint.
    assert main(["verify", str(published), "--witness", vkey]) == 1
    assert "cosigned by 0 of the 1" in capsys.readouterr().out

    def post(url, body, line):  # the witness's POST, answered by the server's API
        r = client.post(url.removeprefix("http://testserver"), {"checkpoint": body,
                                                                "cosignature": line},
                        content_type="application/json")
        return None if r.status_code == 200 else f"HTTP {r.status_code} {r.content[:200]}"

    monkeypatch.setattr(witness, "post", post)
    url = f"http://testserver/api/log/{small_election.id}/cosignature"
    assert main(["witness", "run", "--log", str(published), "--key", str(key), "--state",
                 str(tmp_path / "w"), "--once", "--submit", url]) == 0
    assert "delivered" in capsys.readouterr().out
    assert main(["verify", str(published), "--witness", vkey]) == 0
    assert main(["verify", str(published)]) == 0  # the election's own list names it too
    assert (f"witnesses are taken from {published / 'log' / 'log.json'}, a file of the folder "
            "being checked") in capsys.readouterr().out


def test_a_leaf_rewritten_in_the_servers_gzipd_bundle_is_named(published, capsys):
    """The operator rewrites a protocol's figures in the entry bundle as the server stores it
    (gzip'd, then compressed again): the leaves no longer give the signed root."""
    import gzip

    from sailau.tlog import gzipped, tiles

    log = published / "log"
    size = int((log / "checkpoint").read_text().split("\n")[1])
    for n in range((size + 255) // 256):  # the first bundle holding a protocol
        path = log / tiles.entries_path(n, min(size - n * 256, 256))
        assert path.read_bytes().startswith(gzipped.MAGIC)  # as stored and served
        leaves = tiles.decode_entry_bundle(path.read_bytes())
        i = next((i for i, leaf in enumerate(leaves) if b'"type":"protocol"' in leaf), None)
        if i is not None:
            break
    doc = json.loads(leaves[i])
    doc["figures"]["invalid"] = doc["figures"]["invalid"] + 100
    leaves[i] = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(tiles.encode_entry_bundle(leaves), mtime=0))
    assert main(["verify", str(published)]) == 1
    assert "do not give the checkpoint's root" in capsys.readouterr().out
