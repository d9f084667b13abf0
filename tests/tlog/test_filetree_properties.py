"""The manifest's tree of shards kept between rounds (`filetree.build` with a `memo`, told or not
which names changed) is, after any sequence of rounds, byte for byte the tree built anew from
the whole list: the same root, the same shards in the same order. Names are drawn from a small
set and the shards kept small, so that rounds split shards, merge them and empty a root prefix."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sailau.tlog import filetree

NAMES = st.sampled_from([f"stations/{i}.json" for i in range(120)])
# A round: names set to one of a few entries (an equal copy or the same bytes again among
# them) or removed (None).
ENTRY = st.one_of(st.none(), st.integers(0, 3).map(
    lambda v: {"sha256": f"{v:064x}", "size": v}))
ROUND = st.dictionaries(NAMES, ENTRY, max_size=60)


@settings(max_examples=25)
@given(rounds=st.lists(ROUND, min_size=1, max_size=8), hinted=st.booleans(),
       shard_max=st.integers(2, 6))
def test_a_tree_kept_between_rounds_is_the_tree_built_anew(rounds, hinted, shard_max):
    memo, keys, files = {}, {}, {}
    for changes in rounds:
        files = dict(files)
        for name, entry in changes.items():
            if entry is None:
                files.pop(name, None)
            else:
                files[name] = entry
        kept = filetree.build(files, keys, shard_max=shard_max, memo=memo,
                              changed=set(changes) if hinted else None)
        assert kept == filetree.build(dict(files), shard_max=shard_max)
