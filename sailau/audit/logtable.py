"""The log's table against the log's own state: the leaves `sailau audit verify` compares the
database with are the leaves that were signed. Each integrated leaf's stored hash must be the
RFC 9162 hash of its bytes, the indexes must run 0, 1, 2, … without a gap, and the tree of
their bytes must have the state's root at the state's size and the latest checkpoint's root at
its size: deleting or editing a leaf row (with the fact it states, so that both agree) breaks
the tree the witnesses cosigned. Fed in index order; pure Python on `sailau.tlog`."""

from __future__ import annotations

import base64

from sailau.tlog.checkpoint import Checkpoint, CheckpointError
from sailau.tlog.merkle import EMPTY_ROOT, leaf_hash, node_hash

SHOWN = 5  # leaves with a wrong hash named one by one; the rest counted


def _root(stack: list[tuple[int, bytes]]) -> bytes:
    """The root of the leaves folded into `stack` (complete subtrees, largest first)."""
    if not stack:
        return EMPTY_ROOT
    h = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        h = node_hash(left, h)
    return h


def _b64(h: bytes | None) -> str:
    return base64.b64encode(h).decode() if h else "none"


class Table:
    """One election's leaf rows against its state (`size`, `root`) and latest `checkpoint`
    note; `problems()` after every row was `add`ed."""

    def __init__(self, size: int, root: bytes | None, checkpoint: str):
        self.size, self.root = size, root
        self.out: list[str] = []
        self.checkpoint: Checkpoint | None = None
        if checkpoint:
            try:
                self.checkpoint = Checkpoint.parse(checkpoint.split("\n\n", 1)[0] + "\n")
            except CheckpointError as exc:
                self.out.append(f"its latest checkpoint is not one: {exc}")
        self.n = 0
        self.stack: list[tuple[int, bytes]] = []
        self.gap: str | None = None
        self.bad: list[str] = []
        self.at_checkpoint: bytes | None = None

    def add(self, index: int | None, data: bytes, stored_hash: bytes, ref) -> None:
        h = leaf_hash(data)
        if h != stored_hash:
            self.bad.append(str(ref))
        if index is None or self.gap:
            return
        if index != self.n:
            self.gap = (f"its leaves' indexes jump from {self.n - 1} to {index}" if index > self.n
                        else f"index {index} is held by two leaves")
            return
        level = 0
        while self.stack and self.stack[-1][0] == level:
            h = node_hash(self.stack.pop()[1], h)
            level += 1
        self.stack.append((level, h))
        self.n += 1
        if self.checkpoint and self.n == self.checkpoint.size:
            self.at_checkpoint = _root(self.stack)

    def problems(self) -> list[str]:
        out = list(self.out)
        if self.bad:
            more = f" and {len(self.bad) - SHOWN} more" if len(self.bad) > SHOWN else ""
            out.append(f"the stored hash of {', '.join(self.bad[:SHOWN])}{more} is not the "
                       "hash of its bytes")
        if self.gap:
            return [*out, self.gap]
        if self.n != self.size:
            out.append(f"{self.n} leaves have an index, its state says {self.size}")
        elif self.size and _root(self.stack) != self.root:
            out.append(f"its {self.n} leaves give the root {_b64(_root(self.stack))}, its state "
                       f"says {_b64(self.root)}")
        cp = self.checkpoint
        if cp and cp.size > self.n:
            out.append(f"its latest checkpoint has {cp.size} leaves, {self.n} have an index")
        elif cp and cp.size and self.at_checkpoint != cp.root:
            out.append(f"its first {cp.size} leaves give the root {_b64(self.at_checkpoint)}, "
                       f"its latest checkpoint (signed {cp.size} leaves) says {_b64(cp.root)}")
        return out
