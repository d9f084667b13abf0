"""The test vectors of docs/log-format.md are what the code makes today, and they verify: a
stranger's verifier is checked against the same bytes Sailau publishes."""

from pathlib import Path

import pytest

from sailau.tlog import checkpoint, cosignature, cosigned, merkle, note, vectors

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-format.md"


def test_the_document_carries_the_vectors_the_code_makes():
    assert vectors.in_document(DOC.read_text()) == vectors.text(), (
        "regenerate: python -c 'from sailau.tlog import vectors; print(vectors.text())'")


def test_the_vectors_verify():
    text = vectors.text()
    served = text.split("```")[-4].strip("\n") + "\n"  # the last block but one: log/checkpoint
    log_key = next(line for line in text.splitlines() if line.startswith("example.sailau/"))
    witness_key = next(line for line in text.splitlines() if line.startswith("witness.example+"))
    body, signers = note.open_note(served.encode(), [log_key])
    assert signers == ["example.sailau/kz.test.2023-03-19"]
    cp = checkpoint.Checkpoint.parse(body)
    assert cp.size == 5 and cp.root == merkle.root_from_leaf_hashes(
        [merkle.leaf_hash(leaf) for leaf in vectors.LEAVES])
    line = served.splitlines()[-1]
    assert cosignature.verify_cosignature(body, line, witness_key) == vectors.TIME


def test_the_archive_line_vector_reads_back_and_verifies():
    """The `log/cosigned.jsonl` line of the vectors: canonical, its cosignature checked over the
    body rebuilt from the log's origin, its size and root; any change of its bytes refused."""
    text = vectors.text()
    raw = text.split("```")[-2].strip("\n").encode()
    witness_key = next(line for line in text.splitlines() if line.startswith("witness.example+"))
    line = cosigned.decode(raw)
    assert (line.size, line.witness) == (5, "witness.example")
    assert line.root == merkle.root_from_leaf_hashes(
        [merkle.leaf_hash(leaf) for leaf in vectors.LEAVES])
    assert line.verify(vectors.ORIGIN, witness_key) == vectors.TIME
    with pytest.raises(note.NoteError):  # another origin: not what the witness cosigned
        line.verify("example.sailau/another", witness_key)
    for bad in (raw.replace(b'"size":5', b'"size":4'), raw.replace(b'"v":1', b'"v":2'),
                raw.replace(b",", b", ", 1), raw[:-2]):
        got = next(cosigned.read(bad))[1]
        if isinstance(got, cosigned.Line):  # a smaller size still parses: it must not verify
            with pytest.raises(note.NoteError):
                got.verify(vectors.ORIGIN, witness_key)
        else:
            assert isinstance(got, cosigned.ArchiveError)
