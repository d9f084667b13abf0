"""The published log's part of a publication round: the audit head logged when due, the outbox
integrated into the tree, the checkpoint signed (sailau.ledger). Run before the station files
are written, so that they carry their protocol's leaf index; returns the stations whose
protocol leaves were just sequenced, which the round must write again (their files were
written, or are being written, without the index)."""

from __future__ import annotations

from sailau.ledger import audithead, integrator, outbox

_checked: set[str] = set()  # elections whose published checkpoint this process has checked


def integrate(election_id: str) -> set[str]:
    audithead.log(election_id)
    if not outbox.pending(election_id) and election_id in _checked:
        return set()
    # The first round of a process integrates even with nothing pending: a publisher killed
    # after sequencing and before its checkpoint left the files behind the state.
    out = integrator.integrate(election_id)
    _checked.add(election_id)
    return {subject.split("/", 1)[0] for kind, subject in out.subjects if kind == "protocol"}
