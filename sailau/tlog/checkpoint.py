"""C2SP tlog-checkpoint: origin, size, root, extension lines."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass


class CheckpointError(ValueError):
    """Text that is not a checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        return "".join(line + "\n" for line in (self.origin, str(self.size),
                                                base64.b64encode(self.root).decode(),
                                                *self.extensions))

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise CheckpointError("a checkpoint ends in a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3 or not lines[0]:
            raise CheckpointError("a checkpoint has an origin, a size and a root")
        if not lines[1].isdigit() or (len(lines[1]) > 1 and lines[1][0] == "0"):
            raise CheckpointError(f"size {lines[1][:30]!r} is not a decimal number")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except (binascii.Error, ValueError):
            raise CheckpointError("the root is not base64") from None
        if len(root) != 32:
            raise CheckpointError("the root is not 32 bytes")
        if any(not e for e in lines[3:]):
            raise CheckpointError("an empty extension line")
        return cls(lines[0], int(lines[1]), root, tuple(lines[3:]))
