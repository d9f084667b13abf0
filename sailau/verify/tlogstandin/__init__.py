"""The smallest implementation of the `sailau.tlog` interface the verifier needs (Merkle tree
and proofs of RFC 9162, C2SP tlog-tiles, signed-note, tlog-checkpoint, tlog-cosignature), used
only while `sailau.tlog` is absent: `sailau.verify.tlogapi` picks `sailau.tlog` when it is
installed. Same names and behaviour as `sailau.tlog`, so nothing else changes when it goes."""
