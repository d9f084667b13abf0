"""Holding the published snapshots to the database (`sailau publish --verify`, `sailau audit`):
every object intact and equal to its hash, the audit log's heads in the chain still in the
audit log, and every file equal to what a full publication of the database gives now
(`snapshots.build`); a file marked stale is announced, not held. The first mismatch:
`verify_snapshots`; every one: `snapshot_problems`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from sailau.audit import chain as audit_chain
from sailau.elections.models import Election
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline.snapshots import build
from sailau.publish.storage import store
from sailau.publish.storage.store import election_dir, root


def verify_snapshots(election_id: str | None = None) -> str | None:
    """The first mismatch between the published snapshots and the database, as a sentence, or
    None when every file is intact and equal to what the database gives now."""
    return next(snapshot_problems(election_id), None)


def _same_but_time(body: bytes | None, published: Path) -> bool:
    """Whether a NIST report equals the published one but for its GeneratedDate: the national
    lane writes it at its own moment, not the manifest's, so its time differs while every
    figure agrees."""
    if body is None:
        return False
    try:
        a, b = json.loads(body), json.loads(store.read_object(published))
    except (OSError, ValueError):
        return False
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    a.pop("GeneratedDate", None)
    b.pop("GeneratedDate", None)
    return a == b


def snapshot_problems(election_id: str | None = None,
                      audit_head: int | None = None) -> Iterator[str]:
    """Every mismatch between the published snapshots and the database, one sentence each
    ("election: file: what differs"): each file whose object is missing or altered, and each
    whose published hash is not what the database gives now (the manifest's hashes are
    compared, so an altered object does not hide a difference in the data). `audit_head`: the
    audit log's last record at the moment the database is read (a manifest published after it
    names records that moment cannot see)."""
    elections = [election_id] if election_id else (
        sorted(p.name for p in root().iterdir() if p.is_dir()) if root().exists() else [])
    for eid in elections:
        try:
            manifest = store.with_files(
                json.loads((election_dir(eid) / "manifest.json").read_bytes()),
                store.shard_reader(election_dir(eid)))
        except FileNotFoundError as exc:
            yield f"{eid}: no manifest.json" if exc.filename is None or str(
                exc.filename).endswith("manifest.json") else \
                f"{eid}: manifest.json: shard object {Path(exc.filename).name} is missing"
            continue
        except ValueError as exc:
            yield f"{eid}: manifest.json cannot be read: {exc}"
            continue
        objects = election_dir(eid) / "objects"
        for sha in manifest["shard_objects"]:  # the tree that lists the files
            try:
                body = store.read_object(objects / f"{sha}.json")
            except FileNotFoundError:
                yield f"{eid}: manifest.json: shard object {sha}.json is missing"
                continue
            except ValueError as exc:
                yield f"{eid}: manifest.json: shard object {sha}.json cannot be opened: {exc}"
                continue
            if hashlib.sha256(body).hexdigest() != sha:
                yield f"{eid}: manifest.json: shard object {sha}.json does not match its hash"
        for name, entry in manifest["files"].items():
            path = objects / f"{entry['sha256']}{Path(name).suffix}"
            try:
                body = store.read_object(path)
            except FileNotFoundError:
                yield f"{eid}: {name}: object {path.name} is missing"
                continue
            except ValueError as exc:
                yield f"{eid}: {name}: object {path.name} cannot be opened: {exc}"
                continue
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                yield f"{eid}: {name}: object {path.name} does not match its hash"
        if not Election.objects.filter(id=eid).exists():
            yield f"{eid}: published, but no such election in the database"
            continue
        for link in store.chain(eid):
            mark = link.get("audit")
            if mark and audit_head is not None and mark["seq"] > audit_head:
                continue  # published after the moment of the database being checked
            if mark and not audit_chain.holds(mark):
                yield (f"{eid}: manifest {link['sequence']:08d}.json: the audit log no longer "
                       f"has record {mark['seq']} with hash {mark['hash'][:12]}…")
        expected: dict[str, str] = {}
        generated: dict[str, bytes] = {}  # bodies that carry their generation time

        def keep(name: str, body: bytes, expected=expected, generated=generated) -> None:
            expected[name] = hashlib.sha256(body).hexdigest()
            if name.endswith("nist.json"):
                generated[name] = body

        build(ElectionData.load(eid), manifest["published_at"], keep)
        for name in sorted(set(expected) | set(manifest["files"])):
            if name not in manifest["files"]:
                yield f"{eid}: {name}: in the database but not published"
            elif name not in expected:
                yield f"{eid}: {name}: published but no longer in the database"
            elif manifest["files"][name].get("stale"):
                continue  # announced as waiting for the next full publication
            elif expected[name] != manifest["files"][name]["sha256"] and not _same_but_time(
                    generated.get(name), objects / f"{manifest['files'][name]['sha256']}.json"):
                yield f"{eid}: {name}: published file differs from the database"
