"""The Merkle tree against the published RFC 6962 vectors (certificate-transparency's eight
reference leaves, their roots and proofs), then properties over random sizes: every proof
verifies, a changed element or a wrong size is refused."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sailau.tlog.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex

LEAVES = [h(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f")]
ROOTS = [h(x) for x in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
INCLUSION = [  # (index, size, proof)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
CONSISTENCY = [  # (old, new, proof)
    (2, 8, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]


def reference_tree() -> MemoryTree:
    return MemoryTree([leaf_hash(x) for x in LEAVES])


def test_roots_of_the_rfc_6962_vectors():
    tree = reference_tree()
    hashes = [leaf_hash(x) for x in LEAVES]
    for size, root in enumerate(ROOTS):
        assert root_from_leaf_hashes(hashes[:size]) == root, size
        assert tree.root(size) == root, size
    assert EMPTY_ROOT == ROOTS[0]
    assert node_hash(hashes[0], hashes[1]) == ROOTS[2]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors(index, size, proof):
    tree = reference_tree()
    assert [p.hex() for p in inclusion_proof(index, size, tree)] == proof
    verify_inclusion(index, size, LEAVES[index], [h(p) for p in proof], ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_vectors(old, new, proof):
    tree = reference_tree()
    assert [p.hex() for p in consistency_proof(old, new, tree)] == proof
    verify_consistency(old, new, ROOTS[old], ROOTS[new], [h(p) for p in proof])


def test_append_returns_the_index_and_keeps_old_roots():
    tree = MemoryTree()
    for i, leaf in enumerate(LEAVES):
        assert tree.append(leaf_hash(leaf)) == i
        assert tree.size == i + 1
        assert tree.root() == ROOTS[i + 1]
    assert [tree.root(s) for s in range(9)] == ROOTS


def _tree(size: int) -> MemoryTree:
    return MemoryTree([leaf_hash(i.to_bytes(4, "big")) for i in range(size)])


def _flip(proof: list[bytes], i: int) -> list[bytes]:
    changed = list(proof)
    changed[i] = bytes([changed[i][0] ^ 1]) + changed[i][1:]
    return changed


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 600), st.data())
def test_every_inclusion_proof_verifies_and_a_change_is_refused(size, data):
    tree = _tree(size)
    index = data.draw(st.integers(0, size - 1))
    root, leaf = tree.root(), index.to_bytes(4, "big")  # the leaf's bytes
    proof = inclusion_proof(index, size, tree)
    assert root == root_from_leaf_hashes(tree.read_hashes([(0, i) for i in range(size)]))
    verify_inclusion(index, size, leaf, proof, root)
    if proof:
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf, _flip(proof, data.draw(
                st.integers(0, len(proof) - 1))), root)
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf, proof[:-1], root)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaf, [*proof, root], root)
    # The size fixes only the proof's shape (the root, signed with its size, binds the rest):
    # a size whose proof has another length is refused.
    wrong_size = data.draw(st.integers(index + 1, size + 40).filter(lambda s: s != size))
    if len(inclusion_proof(index, wrong_size, _tree(wrong_size))) != len(proof):
        with pytest.raises(ProofError):
            verify_inclusion(index, wrong_size, leaf, proof, root)
    if size > 1:
        other = (index + 1) % size
        with pytest.raises(ProofError):
            verify_inclusion(other, size, leaf, proof, root)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 600), st.data())
def test_every_consistency_proof_verifies_and_a_change_is_refused(new, data):
    tree = _tree(new)
    old = data.draw(st.integers(1, new))
    old_root, new_root = tree.root(old), tree.root()
    proof = consistency_proof(old, new, tree)
    verify_consistency(old, new, old_root, new_root, proof)
    if old == new:
        assert proof == []
        return
    with pytest.raises(ProofError):
        verify_consistency(old, new, old_root, new_root,
                           _flip(proof, data.draw(st.integers(0, len(proof) - 1))))
    with pytest.raises(ProofError):
        verify_consistency(old, new, old_root, new_root, proof[:-1])
    with pytest.raises(ProofError):
        verify_consistency(old, new, old_root, new_root, [*proof, old_root])
    wrong_old = data.draw(st.integers(1, new - 1).filter(lambda s: s != old))
    if wrong_old != old:
        with pytest.raises(ProofError):
            verify_consistency(wrong_old, new, old_root, new_root, proof)
    # (A root does not commit to its size: the checkpoint signed with it does. So another new
    # size whose proof has the same shape is not necessarily refused, as for inclusion.)
    with pytest.raises(ProofError):
        verify_consistency(old, new, new_root, old_root, proof)




@settings(max_examples=100, deadline=None)
@given(st.integers(0, 600), st.data())
def test_a_truncated_tree_is_the_tree_of_its_first_leaves_and_grows_again(size, data):
    cut = data.draw(st.integers(0, size))
    tree = _tree(size)
    tree.truncate(cut)
    assert tree.levels == [row for row in _tree(cut).levels] + [[]] * (
        len(tree.levels) - len(_tree(cut).levels))
    assert (tree.size, tree.root()) == (cut, _tree(cut).root())
    other = leaf_hash(b"another leaf at the same index")
    tree.append(other)
    assert tree.root() == MemoryTree([*(leaf_hash(i.to_bytes(4, "big")) for i in range(cut)),
                                      other]).root()
    with pytest.raises(ValueError):
        tree.truncate(cut + 2)
