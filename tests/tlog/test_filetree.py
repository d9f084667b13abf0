"""The manifest's tree of shards (`sailau.tlog.filetree`, docs/snapshot-format.md): the
document's vectors are what the code makes, a list of any size reads back as written, and
every way a forger could bend a shard is named."""

import hashlib
import json
from pathlib import Path

import pytest

from sailau.tlog import filetree, filetree_vectors

DOC = Path(__file__).resolve().parents[2] / "docs" / "snapshot-format.md"


def test_the_document_carries_the_vectors_the_code_makes():
    assert filetree_vectors.in_document(DOC.read_text()) == filetree_vectors.text(), (
        "regenerate: python -c 'from sailau.tlog import filetree_vectors as v; print(v.text())'")


def _files(n: int) -> dict:
    return {f"stations/{i}.json": {"sha256": hashlib.sha256(str(i).encode()).hexdigest(),
                                   "size": i} for i in range(n)}


@pytest.mark.parametrize("n", [0, 1, 200, 40_000])
def test_a_list_reads_back_and_a_lookup_reads_only_its_path(n):
    files = _files(n)
    shards, written = filetree.build(files)
    objects = dict(written)
    got, digests = filetree.expand(shards, objects.__getitem__)
    assert got == files and sorted(digests) == sorted(objects)
    assert all(len(json.loads(b).get("files", {})) <= filetree.SHARD_MAX for b in objects.values())
    if n == 40_000:  # 2,500 names a root prefix on average: split two levels down
        assert any("shards" in json.loads(b) for b in objects.values())
    assert all(len(p) == 1 for p in shards)
    read = []
    for name in list(files)[:5] + ["stations/nope.json"]:
        read.clear()
        entry = filetree.lookup(shards, name, lambda sha: read.append(sha) or objects[sha])
        assert entry == files.get(name)
        assert len(read) <= (3 if n == 40_000 else 1)


@pytest.mark.parametrize("n", [1, 200, 40_000])
def test_the_shards_come_children_first_depth_first_in_hex_order(n):
    """The order a publication writes them in (a parent never before a shard it names), and
    the document's vectors list them in: the walk from the root, each shard after its own."""
    shards, written = filetree.build(_files(n))
    objects = dict(written)
    walked = []

    def visit(ref):
        shard = json.loads(objects[ref["sha256"]])
        for child in sorted(shard.get("shards", {})):
            visit(shard["shards"][child])
        walked.append(ref["sha256"])
    for prefix in sorted(shards):
        visit(shards[prefix])
    assert [d for d, _ in written] == walked


def test_one_change_rewrites_one_path():
    files = _files(40_000)
    before = dict(filetree.build(files)[1])
    files["stations/7.json"] = {"sha256": "0" * 64, "size": 1}
    after = dict(filetree.build(files)[1])
    assert len(set(after) - set(before)) == 3  # its leaf and the two split shards above it


def _reference(files: dict, shard_max: int) -> dict:
    """The tree as docs/snapshot-format.md says it, written plainly: prefix -> shard."""
    out = {}

    def node(prefix, names):
        if len(names) <= shard_max:
            shard = {"format": filetree.FORMAT, "prefix": prefix, "files": dict(sorted(
                names.items()))}
        else:
            parts = {}
            for name, entry in names.items():
                parts.setdefault(filetree.key(name)[:len(prefix) + 1], {})[name] = entry
            shard = {"format": filetree.FORMAT, "prefix": prefix,
                     "shards": {p: node(p, parts[p]) for p in sorted(parts)}}
        body = filetree.shard_bytes(shard)
        out[prefix] = body
        return {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}

    roots = {}
    for name, entry in files.items():
        roots.setdefault(filetree.key(name)[:filetree.ROOT_DIGITS], {})[name] = entry
    return {p: node(p, roots[p]) for p in sorted(roots)}, out


@pytest.mark.parametrize("hinted", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_tree_kept_between_calls_is_the_tree_built_anew(seed, hinted):
    """The publisher keeps the tree between rounds and gives it only what changed; names
    added, changed and removed (shards split, merged, emptied, a root prefix gone) give the
    same shards as the tree written plainly from the whole list. `hinted`: told which names
    those are (`changed`), as a round that made its files from the last manifest is."""
    import random

    rng = random.Random(seed)
    memo, keys, files = {}, {}, {}
    for step in range(60):
        files, touched = dict(files), set()
        for _ in range(rng.choice([1, 5, 40, 300])):
            name = f"f/{rng.randrange(600)}"
            touched.add(name)
            if rng.random() < (0.2 if step < 30 else 0.6):
                files.pop(name, None)
            else:
                files[name] = {"sha256": f"{rng.randrange(10**6):064x}", "size": step}
        if step % 7 == 0:  # an equal copy of an entry, not the same object
            files = {n: dict(e) for n, e in files.items()}
            touched |= set(files)
        shards, written = filetree.build(files, keys, shard_max=4, memo=memo,
                                         changed=touched if hinted else None)
        root, bodies = _reference(files, 4)
        assert shards == root
        assert sorted(written) == sorted((hashlib.sha256(b).hexdigest(), b)
                                         for b in bodies.values())
        seen = set()
        for digest, body in written:  # children before their parents
            for ref in json.loads(body).get("shards", {}).values():
                assert ref["sha256"] in seen
            seen.add(digest)
    files.clear()
    assert filetree.build(files, keys, shard_max=4, memo=memo) == ({}, [])


def test_a_manifest_of_the_format_before_reads_with_its_two_digits(monkeypatch):
    """Manifests published as `sailau-snapshot/2` (a root of 256 keys, leaves up to 128 names)
    stay readable: the format says how many digits key the root."""
    files = _files(2_000)
    monkeypatch.setattr(filetree, "ROOT_DIGITS", 2)
    shards, written = filetree.build(files, shard_max=128)
    monkeypatch.undo()
    objects = dict(written)
    digits = filetree.root_digits("sailau-snapshot/2")
    assert digits == 2 and all(len(p) == 2 for p in shards)
    assert filetree.expand(shards, objects.__getitem__, None, digits)[0] == files
    assert filetree.lookup(shards, "stations/5.json", objects.__getitem__, digits) == \
        files["stations/5.json"]
    with pytest.raises(filetree.Malformed, match="is not 1 hex digit$"):
        filetree.expand(shards, objects.__getitem__)  # read as the current format: named
    with pytest.raises(filetree.Malformed, match="format 'sailau-snapshot/9'"):
        filetree.root_digits("sailau-snapshot/9")


def _tamper(objects: dict, shards: dict, change) -> dict:
    """The first leaf changed by `change(shard)`, stored under its new hash and its parent's
    reference rewritten (a forger who also rewrites the manifest)."""
    prefix, ref = min(shards.items())
    shard = json.loads(objects[ref["sha256"]])
    change(shard)
    body = filetree.shard_bytes(shard)
    sha = hashlib.sha256(body).hexdigest()
    objects[sha] = body
    return {**shards, prefix: {"sha256": sha, "size": len(body)}}


def test_every_bent_shard_is_named():
    files = _files(300)
    shards, written = filetree.build(files)
    objects = dict(written)
    prefix, ref = min(shards.items())

    def fails(tree, objs, match):
        with pytest.raises(filetree.Malformed, match=match):
            filetree.expand(tree, objs.__getitem__)

    altered = dict(objects)
    altered[ref["sha256"]] = objects[ref["sha256"]].replace(b'"size":', b'"size": ', 1)
    fails(shards, altered, "does not have its SHA-256")
    fails({**shards, prefix: {**ref, "size": ref["size"] + 1}}, objects, "bytes")
    elsewhere = next(n for n in files if not filetree.key(n).startswith(prefix))
    fails(_tamper(objects, shards, lambda s: s["files"].update({elsewhere: files[elsewhere]})),
          objects, "whose key does not start with")
    fails(_tamper(objects, shards, lambda s: s.update(prefix="ff")), objects, "prefix")
    fails(_tamper(objects, shards, lambda s: s.update(format="other")), objects, "not a")
    fails({"zz": ref}, objects, "hex digit")
    fails({prefix: {"sha256": "x"}}, objects, "no valid sha256")


def test_a_build_remembering_the_last_gives_the_bytes_of_a_build_from_nothing():
    """The publisher keeps each shard it built (`memo`): after names change, move between
    shards or disappear, its tree is byte for byte the tree built without memory."""
    files, memo = _files(3_000), {}
    filetree.build(files, memo=memo)
    files["stations/7.json"] = {"sha256": "1" * 64, "size": 2}
    files["stations/7.json"] = {"sha256": "2" * 64, "size": 2, "stale": True}
    del files["stations/8.json"]
    files.update(_files(3_100))  # 100 names more: some leaves split
    assert filetree.build(files, memo=memo) == filetree.build(files)
    for name in list(files)[:2_900]:  # most gone: splits undone
        del files[name]
    assert filetree.build(files, memo=memo) == filetree.build(files)
