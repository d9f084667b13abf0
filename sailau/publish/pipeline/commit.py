"""The last stage of every round, a full publication's, a batch's or the national lane's: the
manifest committed (`store.commit`, with the audit log's head), the manifest bodies the readers'
window lets go pruned (`retention.prune_bodies`), the viewer's entry points written beside the
manifest (`sitebake.write_entry_points`), and the publication copied to the bucket when that is
where the snapshots live (`mirror.upload`)."""

from __future__ import annotations

from sailau import clock
from sailau.audit import chain as audit_chain
from sailau.publish.files import sitebake
from sailau.publish.storage import mirror, retention, store
from sailau.publish.storage.store import Writer


def commit(w: Writer, election_id: str, files: dict, published_at: str,
           log_size: int | None = None, changed=None) -> dict:
    manifest = store.commit(w, election_id, files, published_at, audit_chain.anchor(), log_size,
                            changed)
    # The bodies the readers' window lets go, in the lock the caller holds: what a body names
    # is kept while the body is, so a reader who began with it can finish.
    retention.prune_bodies(w.dir, manifest["sequence"])
    sitebake.write_entry_points(w.dir, manifest)
    mirror.upload(election_id, manifest)  # to object storage, when that is where snapshots live
    return manifest


def now() -> str:
    return clock.now().replace(microsecond=0).isoformat()
