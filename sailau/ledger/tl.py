"""The names of the transparency-log library (`sailau.tlog`) the ledger uses."""

from sailau.tlog.checkpoint import Checkpoint, CheckpointError
from sailau.tlog.cosignature import Witness, verify_cosignature
from sailau.tlog.merkle import MemoryTree, consistency_proof, leaf_hash, node_hash, tree_hash
from sailau.tlog.note import NoteError, Signer, sign_note
from sailau.tlog.tiles import (
    encode_entry_bundle,
    entries_path,
    pack_entry_bundle,
    tile_bytes,
    tile_path,
    tiles_for,
)

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "MemoryTree",
    "NoteError",
    "Signer",
    "Witness",
    "consistency_proof",
    "encode_entry_bundle",
    "entries_path",
    "leaf_hash",
    "node_hash",
    "pack_entry_bundle",
    "sign_note",
    "tile_bytes",
    "tile_path",
    "tiles_for",
    "tree_hash",
    "verify_cosignature",
]
