"""The test vectors of docs/log-format.md are what the code makes today, and they verify: a
stranger's verifier is checked against the same bytes Sailau publishes."""

from pathlib import Path

from sailau.tlog import checkpoint, cosignature, merkle, note, vectors

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-format.md"


def test_the_document_carries_the_vectors_the_code_makes():
    assert vectors.in_document(DOC.read_text()) == vectors.text(), (
        "regenerate: python -c 'from sailau.tlog import vectors; print(vectors.text())'")


def test_the_vectors_verify():
    text = vectors.text()
    served = text.split("```")[-2].strip("\n") + "\n"  # the last block: log/checkpoint
    log_key = next(line for line in text.splitlines() if line.startswith("example.sailau/"))
    witness_key = next(line for line in text.splitlines() if line.startswith("witness.example+"))
    body, signers = note.open_note(served.encode(), [log_key])
    assert signers == ["example.sailau/kz.test.2023-03-19"]
    cp = checkpoint.Checkpoint.parse(body)
    assert cp.size == 5 and cp.root == merkle.root_from_leaf_hashes(
        [merkle.leaf_hash(leaf) for leaf in vectors.LEAVES])
    line = served.splitlines()[-1]
    assert cosignature.verify_cosignature(body, line, witness_key) == vectors.TIME
