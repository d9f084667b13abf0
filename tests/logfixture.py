"""A tiny published election with its transparency log, written into a folder as the server
publishes one (log/ as docs/log-format.md lays it out, station and commission files named in a
manifest), for the tests of `sailau verify`, `sailau witness` and `sailau mirror` without a
server. Each method changes the published folder the way an honest server (or a forger) would."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from sailau.tlog import checkpoint, leaves, merkle, note, tiles
from sailau.verify import signatures
from tests.snapshotfiles import opened, read_manifest

ELECTION = "e1"


def places(n: int, per_district: int = 2, per_territory: int = 4) -> dict[str, dict]:
    return {f"s{i}": {"district": f"d{(i - 1) // per_district + 1}",
                      "territory": f"t{(i - 1) // per_territory + 1}"} for i in range(1, n + 1)}


STATIONS = places(8)


def number(sid: str) -> int:
    """A station's number (its file is `stations/<number>.json`): station "s3" is 3."""
    return int(sid.removeprefix("s"))


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


class Published:
    def __init__(self, folder: Path, *, origin: str = "sailau.example/e1", witnesses=(),
                 seed: int = 0, stations: dict[str, dict] = STATIONS, contests: int = 1):
        self.folder, self.origin, self.seed = folder, origin, seed
        self.stations = stations
        self.contest_ids = [f"c{k}" for k in range(1, contests + 1)]
        self.signer = note.Signer.generate(origin)
        self.witnesses = list(witnesses)
        self.tree = merkle.MemoryTree()
        self.leaves: list[bytes] = []
        self.written = 0
        self.keys = {}  # commission -> private key bytes
        self.current = {}  # station -> (leaf index, protocol)
        self.cosignatures: list[str] = []
        self.date: str | None = None  # election.json's election day, when a test gives one
        self.contests = [
            {"id": c, "name": {"kk": c}, "kind": "party_list", "ruleset": "kz-mazhilis",
             "seats": 10, "commission": "cec",
             "choices": {"a": {"name": {"kk": "A"}, "party": "P1"},
                         "b": {"name": {"kk": "B"}, "party": "P2"}}}
            for c in self.contest_ids]
        self.station_list = [{"id": sid, "commission": f"pc-{sid}", "contests": self.contest_ids,
                              "registered": 1000, **where} for sid, where in stations.items()]
        parts = leaves.station_parts([{k: s[k] for k in ("id", "commission", "contests",
                                                          "registered")}
                                      for s in self.station_list])
        self.structure = {
            "v": 1, "type": "structure", "election": ELECTION, "at": "2026-11-20T00:00:00Z",
            "origin": origin, "witnesses": [w.verifier_key() for w in self.witnesses],
            "contest_leaves": 1, "station_leaves": len(parts)}
        self.add(self.structure)
        self.add({"v": 1, "type": "contests", "election": ELECTION,
                  "at": "2026-11-20T00:00:00Z", "part": 1, "of": 1, "contests": self.contests})
        for n, part in enumerate(parts, 1):
            self.add({"v": 1, "type": "stations", "election": ELECTION,
                      "at": "2026-11-20T00:00:00Z", "part": n, "of": len(parts),
                      "stations": part})
        for sid in stations:
            self.register_key(f"pc-{sid}")

    # --- leaves ------------------------------------------------------------------------------
    def add(self, leaf: dict) -> int:
        data = leaves.encode(leaf)
        self.leaves.append(data)
        return self.tree.append(merkle.leaf_hash(data))

    def register_key(self, commission: str, *, held_by_server: bool = True) -> None:
        # Held by the server, as the server registers the keys it generates: a key of the
        # commission's own counts only once the commission above confirms it (a `confirm` leaf).
        private, public = signatures.new_key_pair()
        self.keys[commission] = private
        self.add({"v": 1, "type": "commission-key", "election": ELECTION,
                  "at": "2026-11-20T00:00:00Z", "action": "register",
                  "commission": commission, "public_key": public,
                  "held_by_server": held_by_server, "reason": None})

    def protocol(self, sid: str, a: int, b: int, *, version: int = 1, key: bytes | None = None,
                 contest: str = "c1"):
        figures = {"voters": 1000, "ballots_cast": a + b, "invalid": 0}
        body = {"station": sid, "contest": contest, "version": version, "figures": figures,
                "choices": {"a": a, "b": b}}
        private = key or self.keys[f"pc-{sid}"]
        sig = signatures.sign(private, signatures.canonical_bytes(body))
        leaf = {"v": 1, "type": "protocol", "election": ELECTION, "at": "2026-11-21T20:00:00Z",
                **body, "scans": [hashlib.sha256(sid.encode()).hexdigest()], "decision": None,
                "signature": {"key": signatures.key_id(signatures.public_key_b64(private)),
                              "signature": sig, "message": signatures.FORMAT}}
        index = self.add(leaf)
        self.current[(sid, contest)] = (index, {**body, "signature": sig,
                                                "signed_with": signatures.public_key_b64(private)})
        return index

    def results(self, n: int = 8, start: int = 0) -> None:
        for i, sid in enumerate(list(self.stations)[start:start + n]):
            self.protocol(sid, 100 + 10 * i + self.seed, 50 + i)

    # --- publication ---------------------------------------------------------------------------
    def checkpoint_note(self, cosigners=()) -> bytes:
        cp = checkpoint.Checkpoint(self.origin, self.tree.size, self.tree.root())
        data = note.sign_note(cp.body(), [self.signer])
        extra = [line for line in self.cosignatures if line]
        if extra:
            data += "".join(line + "\n" for line in extra).encode()
        return data

    def publish(self) -> bytes:
        """Writes new tiles and bundles, the files, then the checkpoint; returns the note."""
        log = self.folder / "log"
        for level, n, width in tiles.tiles_for(self.written, self.tree.size):
            self._put(log / tiles.tile_path(level, n, width),
                      tiles.tile_bytes(level, n, width, self.tree))
            if level == 0:
                self._put(log / tiles.entries_path(n, width),
                          tiles.encode_entry_bundle(self.leaves[n * 256:n * 256 + width]))
        self.written = self.tree.size
        self._put(log / "log.json", json.dumps(
            {"origin": self.origin, "log_key": self.signer.verifier_key(),
             "witnesses": [w.verifier_key() for w in self.witnesses]}).encode())
        self.files()
        self.cosignatures = []
        data = self.checkpoint_note()
        self._put(log / "checkpoint", data)
        return data

    def add_cosignature(self, line: str) -> None:
        self.cosignatures.append(line)
        self._put(self.folder / "log" / "checkpoint", self.checkpoint_note())

    def files(self) -> None:
        """Station and commission files and a manifest naming them (as the snapshot does)."""
        docs = {"election.json": {"id": ELECTION, **({"date": self.date} if self.date else {}),
                                  "contests": [
            {**c, "level": "cec", "choices": [{"key": k, **ch} for k, ch in c["choices"].items()]}
            for c in self.contests]}}
        sums: dict[str, list] = {}
        for s in self.station_list:
            sid = s["id"]
            parts = []
            for contest in self.contest_ids:
                cur = self.current.get((sid, contest))
                part = {"contest": contest, "protocol": None}
                if cur:
                    index, p = cur
                    part["protocol"] = {k: p[k] for k in ("version", "figures", "choices",
                                                           "signature", "signed_with")}
                    part["log"] = {"index": index}
                parts.append(part)
                for area in (s["district"], s["territory"], "cec"):
                    t = sums.setdefault((area, contest), [Counter(), Counter(), 0, 0])
                    t[3] += 1
                    if cur:
                        t[0].update(cur[1]["figures"])
                        t[1].update(cur[1]["choices"])
                        t[2] += 1
            docs[f"stations/{number(sid)}.json"] = {"id": sid, "election": ELECTION,
                                                    "number": number(sid),
                                            **{k: s[k] for k in ("commission", "district",
                                                                 "territory")},
                                            "contests": parts}
        levels = {"cec": "cec"} | {d["district"]: "district" for d in self.stations.values()} \
            | {d["territory"]: "territorial" for d in self.stations.values()}
        for (cid, contest), (fig, cho, rep, exp) in sums.items():
            doc = docs.setdefault(f"commissions/{cid}.json", {
                "id": cid, "level": levels[cid], "children": [], "contests": []})
            doc["contests"].append({"contest": contest, "figures": dict(fig),
                                    "choices": dict(cho), "stations_reported": rep,
                                    "stations_expected": exp})
        # A district's file lists its stations by number and, per contest, those reported.
        for s in self.station_list:
            doc = docs[f"commissions/{s['district']}.json"]
            doc.setdefault("station_numbers", []).append(number(s["id"]))
            reported = doc.setdefault("reported", {})
            for contest in self.contest_ids:
                if (s["id"], contest) in self.current:
                    reported.setdefault(contest, []).append(number(s["id"]))
        self.write_docs(docs)

    def write_docs(self, docs: dict) -> None:
        files = {}
        for name, doc in sorted(docs.items()):
            body = json.dumps(doc, sort_keys=True).encode()
            digest = hashlib.sha256(body).hexdigest()
            self._put(self.folder / "objects" / f"{digest}.json", body)
            files[name] = {"sha256": digest, "size": len(body)}
        self._put(self.folder / "manifest.json",
                  json.dumps({"sequence": 1, "previous": None, "files": files}).encode())

    def docs(self) -> dict:
        m = read_manifest(self.folder)
        return {n: json.loads(opened(self.folder / "objects" / f"{e['sha256']}.json"))
                for n, e in m["files"].items()}

    @staticmethod
    def _put(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def rewrite(self, index: int, data: bytes | None = None, **changes) -> None:
        """Leaf `index` rewritten in place (as `data`, or with `changes`) and the whole tree
        rebuilt and re-signed, as an operator who rewrites history would (the next publish
        writes every tile again)."""
        leaf = json.loads(data or self.leaves[index])
        leaf.update(changes)
        self.leaves[index] = data or canonical(leaf)
        self.tree = merkle.MemoryTree()
        for each in self.leaves:
            self.tree.append(merkle.leaf_hash(each))
        self.written = 0
        if leaf.get("type") == "protocol":
            key = (leaf["station"], leaf["contest"])
            if self.current.get(key, (None,))[0] == index:
                self.current[key] = (index, {**self.current[key][1],
                                             **{k: leaf[k] for k in ("figures", "choices")}})


def cosign(pub: Published, key: Path, state: Path) -> int:
    """Runs the witness once on `pub` and, when it cosigned, adds its cosignature to the
    published checkpoint as the server does; returns the witness's exit status."""
    from sailau.cli import main

    status = main(["witness", "run", "--log", str(pub.folder), "--key", str(key), "--state",
                   str(state), "--once", "--log-key", pub.signer.verifier_key()])
    if status == 0:
        pub.add_cosignature((state / "cosignature").read_text().strip())
    return status
