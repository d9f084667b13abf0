"""The transparency log's formats, in pure Python (no Django): the RFC 9162 Merkle tree and its
proofs (`merkle`), C2SP tlog-tiles (`tiles`), signed-note (`note`), tlog-checkpoint
(`checkpoint`) and tlog-cosignature (`cosignature`), and the canonical leaves (`leaves`). The
server writes the log with them, and `sailau verify`, `sailau witness` and `sailau mirror` read it
with the same code. The specification is docs/log-format.md."""
