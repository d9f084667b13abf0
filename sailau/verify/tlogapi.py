"""The transparency-log library the verifier, the witness and the mirror use: `sailau.tlog`
when present, else the small implementation of the same interface in `tlogstandin`."""

try:
    from sailau.tlog import checkpoint, cosignature, merkle, note, tiles
except ImportError:  # pragma: no cover - depends on what is installed
    from sailau.verify.tlogstandin import checkpoint, cosignature, merkle, note, tiles

__all__ = ["checkpoint", "cosignature", "merkle", "note", "tiles"]
