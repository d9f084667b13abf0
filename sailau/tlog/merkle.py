"""RFC 9162 section 2.1 Merkle tree: hashes, proofs and their verification over stored hashes
`(level, n)` (the hash of leaves [n*2**level, (n+1)*2**level))."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # the root of the tree of no leaves (RFC 9162)


class ProofError(ValueError):
    """A proof, tree or tile that does not hold; the message says why."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return EMPTY_ROOT
    # Fold complete subtrees bottom up, keeping the right edge (as a tree being appended to).
    stack: list[tuple[int, bytes]] = []
    for h in hashes:
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    h = stack.pop()[1]
    while stack:
        h = node_hash(stack.pop()[1], h)
    return h


class HashReader(Protocol):
    def read_hashes(self, indexes: Sequence[tuple[int, int]]) -> list[bytes]: ...


def _pieces(lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) as complete aligned subtrees, left to right."""
    out = []
    while lo < hi:
        level = 0
        while lo % (2 << level) == 0 and lo + (2 << level) <= hi:
            level += 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def _range_hash(lo: int, hi: int, reader: HashReader) -> bytes:
    hashes = reader.read_hashes(_pieces(lo, hi))
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


def tree_hash(size: int, reader: HashReader) -> bytes:
    if size == 0:
        return hashlib.sha256(b"").digest()
    return _range_hash(0, size, reader)


def _split(n: int) -> int:
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def inclusion_proof(index: int, size: int, reader: HashReader) -> list[bytes]:
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    proof: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            proof.append(_range_hash(lo + k, hi, reader))
            hi = lo + k
        else:
            proof.append(_range_hash(lo, lo + k, reader))
            lo += k
    return proof[::-1]


def consistency_proof(old_size: int, new_size: int, reader: HashReader) -> list[bytes]:
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []
    lo, hi, m, whole = 0, new_size, old_size, True
    while True:
        if m == hi - lo:
            if not whole:
                proof.append(_range_hash(lo, hi, reader))
            break
        k = _split(hi - lo)
        if m <= k:
            proof.append(_range_hash(lo + k, hi, reader))
            hi = lo + k
        else:
            proof.append(_range_hash(lo, lo + k, reader))
            lo, m, whole = lo + k, m - k, False
    return proof[::-1]


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes],
                     root: bytes) -> None:
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    fn, sn, r = index, size - 1, leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the inclusion proof is too short")
    if r != root:
        raise ProofError(f"leaf {index} is not in the tree of size {size} with that root")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    if not 0 <= old_size <= new_size:
        raise ProofError(f"size {new_size} cannot extend size {old_size}")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise ProofError(f"two different roots for size {old_size}")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    proof = list(proof)
    if old_size & (old_size - 1) == 0:
        proof.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if fr != old_root or sr != new_root:
        raise ProofError(f"the tree of size {new_size} does not extend the one of size "
                         f"{old_size}")


class MemoryTree:
    """Leaf hashes appended in order; every stored hash kept (a HashReader)."""

    def __init__(self, leaf_hashes: Sequence[bytes] = ()):
        self.levels: list[list[bytes]] = [[]]
        self.size = 0
        for h in leaf_hashes:
            self.append(h)

    def append(self, leaf_hash: bytes) -> int:
        index = self.size
        h, level = leaf_hash, 0
        while True:
            if level == len(self.levels):
                self.levels.append([])
            row = self.levels[level]
            row.append(h)
            if len(row) % 2:
                break
            h = node_hash(row[-2], row[-1])
            level += 1
        self.size += 1
        return index

    def truncate(self, size: int) -> None:
        """Keep the first `size` leaves only: a stored hash at level l, position n covers leaves
        n*2^l .. (n+1)*2^l - 1, so the first size >> l of each level stay as they are."""
        if not 0 <= size <= self.size:
            raise ValueError(f"a tree of {self.size} leaves has no first {size}")
        for level, row in enumerate(self.levels):
            del row[size >> level:]
        self.size = size

    def root(self, size: int | None = None) -> bytes:
        """The root of the tree of the first `size` leaves (all of them by default)."""
        return tree_hash(self.size if size is None else size, self)

    def read_hashes(self, indexes):
        try:
            return [self.levels[level][n] for level, n in indexes]
        except IndexError:
            raise ProofError("hash not in the tree") from None
