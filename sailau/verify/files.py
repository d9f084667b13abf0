"""Every file against the manifest, and the manifest against its chain."""

from __future__ import annotations

import hashlib
import json

from sailau.verify.logsource import Offline
from sailau.verify.report import Report
from sailau.verify.snapshot import Missing, Snapshot, Unusable

# The documents the later checks read, by logical name.
PARSED = ("election.json", "keys.json", "stations/", "commissions/", "turnout.json",
          "decisions.json")
PARSED_CONTEST = ("/outcome.json", "/stations.json", "/stations.csv", "/territorial.json",
                  "/district.json", "/smd.json")


def _wanted(name: str) -> bool:
    return name.startswith(PARSED) or (name.startswith("contests/")
                                       and name.endswith(PARSED_CONTEST))


def check_files(snap: Snapshot, report: Report) -> dict[str, object]:
    """Hash and size of every file the manifest names; returns the documents later checks
    need (JSON parsed, CSV as text) from the files that match their hash.

    A live site publishes and prunes while a national run reads (minutes): a file that cannot
    be fetched is looked up in the manifest the site shows now. Still named there with the
    same hash, it is fetched again, and missing still it fails. No longer named (the site
    moved on and deleted what it superseded), the run could not finish (`report.unfinished`,
    exit 2): never a failure, since nothing read was wrong. Bytes that were read and are wrong
    always fail, whatever the site shows now."""
    docs: dict[str, object] = {}
    entries = []
    for name, entry in sorted(snap.manifest["files"].items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            report.fail("files", name, "the manifest's entry has no sha256")
            continue
        entries.append((name, entry))
    missing = []
    for name, entry, body in snap.objects(entries):
        if isinstance(body, Missing):
            missing.append((name, entry, body))
            continue
        _check_one(name, entry, body, docs, report)
    if missing:
        _check_missing(snap, missing, docs, report)
    return docs


def _check_one(name: str, entry: dict, body: bytes, docs: dict, report: Report) -> None:
    digest = hashlib.sha256(body).hexdigest()
    if digest != entry["sha256"]:
        report.fail("files", name, f"SHA-256 is {digest}, the manifest says "
                                   f"{entry['sha256']} (altered or truncated)")
        return
    if entry.get("size") is not None and entry["size"] != len(body):
        report.fail("files", name, f"{len(body)} bytes, the manifest says {entry['size']}")
        return
    report.ok("files")
    if _wanted(name):
        try:
            docs[name] = body.decode() if name.endswith(".csv") else json.loads(body)
        except (UnicodeDecodeError, ValueError):
            report.fail("files", name, "its hash matches but it is not valid "
                                       + ("UTF-8 CSV" if name.endswith(".csv") else "JSON"))


def _check_missing(snap: Snapshot, missing: list, docs: dict, report: Report) -> None:
    """The files that could not be fetched, held to the manifest the site shows now."""
    began = snap.manifest.get("sequence")
    try:
        current = snap.current()
    except Unusable as exc:  # it moved on again meanwhile, or does not answer
        for name, _, body in missing:
            report.could_not_finish("files", name, f"could not be fetched ({body}), and the "
                                                   f"site's current manifest cannot be read to "
                                                   f"tell whether it moved on: {exc}")
        return
    now = current.get("sequence") if current is not None else began
    for name, entry, body in missing:
        named = (current or snap.manifest)["files"].get(name)
        if not isinstance(named, dict) or named.get("sha256") != entry["sha256"]:
            report.could_not_finish(
                "files", name, f"named by manifest {began}, which this run began with, and "
                               f"deleted since ({body}); the current manifest {now} "
                               + ("names another version" if isinstance(named, dict)
                                  else "no longer names it"))
            continue
        try:
            again = snap.read_object(name, entry)
        except Offline as exc:  # no answer at all: a failure of the network, not of the site
            report.could_not_finish("files", name, f"the server did not answer: {exc}")
            continue
        except Missing as exc:
            report.fail("files", name, f"named in the manifest but missing: {exc}"
                        + (f" (the current manifest {now} names it too)" if current else ""))
            continue
        _check_one(name, entry, again, docs, report)


def parse_chain(lines: bytes) -> dict[int, dict]:
    """The links of a `chain.jsonl` by sequence (a sequence written twice, by a publication that
    died between its link and its manifest, keeps its last line). ValueError names the line
    that is not a link."""
    links: dict[int, dict] = {}
    for n, line in enumerate(lines.splitlines(), 1):
        if not line.strip():
            continue
        try:
            link = json.loads(line)
            links[int(link["sequence"])] = link
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"line {n} is not a manifest link") from None
    return links


def check_chain(snap: Snapshot, report: Report) -> None:
    """The manifest is the last link of `chain.jsonl`, each link names its predecessor's
    hash, and every manifest body still published has the hash its link says."""
    m = snap.manifest
    head = hashlib.sha256(snap.manifest_bytes).hexdigest()
    try:
        lines = snap.read("chain.jsonl")
    except Missing:
        report.note("chain", "chain.jsonl", "not published: only the latest manifest is checked")
        return
    try:
        links = parse_chain(lines)
    except ValueError as exc:
        report.fail("chain", "chain.jsonl", str(exc))
        return
    seq = m.get("sequence")
    if seq not in links:
        report.fail("chain", "manifest.json", f"sequence {seq} is not in chain.jsonl")
        return
    if links[seq].get("sha256") != head:
        report.fail("chain", "manifest.json", f"SHA-256 {head} differs from chain.jsonl's "
                                              f"{links[seq].get('sha256')} for sequence {seq}")
        return
    if m.get("previous") != links[seq].get("previous"):
        report.fail("chain", "manifest.json", "its \"previous\" differs from chain.jsonl")
        return
    ordered = sorted(k for k in links if k <= seq)
    if ordered != list(range(1, seq + 1)):
        gap = next(i for i in range(1, seq + 1) if i not in links)
        report.fail("chain", "chain.jsonl", f"manifest {gap} is missing from the chain")
        return
    for k in ordered[1:]:
        if links[k].get("previous") != links[k - 1].get("sha256"):
            report.fail("chain", f"manifests/{k:08d}.json",
                        f"names {links[k].get('previous')} as previous, the chain has "
                        f"{links[k - 1].get('sha256')} for manifest {k - 1}")
            return
    report.ok("chain", len(ordered))
    # The bodies still published (the latest ones) must be the links' manifests.
    for k in ordered[-3:]:
        try:
            body = snap.read(f"manifests/{k:08d}.json")
        except Missing:
            continue  # pruned: the link keeps its hash
        if hashlib.sha256(body).hexdigest() != links[k].get("sha256"):
            report.fail("chain", f"manifests/{k:08d}.json", "does not have its link's SHA-256")
