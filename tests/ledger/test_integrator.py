"""The integrator: leaves of the outbox sequenced in order, tiles and bundles that re-read give
the signed checkpoint's root, nothing sequenced twice, a rewrite byte-identical."""

import datetime as dt

import pytest

from sailau.ledger import integrator, logkey, outbox, tl
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Leaf, LogState
from tests.ledger import logread

E = "kz.test.2026"


def heads(n, start=0):
    outbox.append_many([(E, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                        for i in range(start, start + n)])


@pytest.fixture(autouse=True)
def _fresh_trees(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()


@pytest.mark.parametrize("sizes", [(1,), (3, 4), (255, 1, 300), (700,)])
@pytest.mark.django_db(transaction=True)
def test_tiles_reread_give_the_checkpoints_root(sizes):
    total = 0
    for n in sizes:
        heads(n, total)
        total += n
        out = integrator.integrate(E)
        assert (out.sequenced, out.size, out.published) == (n, total, True)
    folder = LogFiles(E).dir
    origin, size, root, sigs = logread.checkpoint(folder)
    assert (origin, size) == (outbox.origin(E), total)
    expected = [tl.leaf_hash(bytes(d)) for d in
                Leaf.objects.filter(election_id=E).order_by("id").values_list("data", flat=True)]
    m = tl.MemoryTree()
    for h in expected:
        m.append(h)
    assert root == m.root()
    assert logread.tlog_tree_hash(size, logread.reader(size, folder)) == root
    # the bundles hold the leaves in the outbox's order
    data = logread.leaves_of(folder, size)
    assert [tl.leaf_hash(d) for d in data] == expected
    assert [int(d.split(b'"seq":')[1].split(b",")[0]) for d in data] == list(range(total))
    assert len(sigs) == 1 and sigs[0].startswith(f"— {outbox.origin(E)} ")


@pytest.mark.django_db(transaction=True)
def test_nothing_pending_publishes_nothing_new_and_a_rewrite_is_identical():
    heads(300)
    integrator.integrate(E)
    folder = LogFiles(E).dir
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = integrator.integrate(E)
    assert (again.sequenced, again.published) == (0, False)
    # a crash after sequencing, before the checkpoint moved: published again, same bytes
    LogState.objects.filter(pk=E).update(checkpoint_size=0, checkpoint="")
    for p in folder.rglob("*"):
        if p.is_file():
            p.unlink()
    integrator._trees.clear()
    assert integrator.integrate(E).published
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_a_lost_compare_and_swap_sequences_nothing():
    heads(5)
    state = logkey.state(E)
    LogState.objects.filter(pk=E).update(size=0)
    # another integrator moves the state between this one's read and its swap
    real = LogState.objects.filter

    calls = []

    def moved_first(*a, **kw):
        if kw.get("size") == 0 and not calls:
            calls.append(1)
            real(pk=E).update(size=7)
        return real(*a, **kw)

    from unittest import mock
    with mock.patch.object(LogState.objects, "filter", side_effect=moved_first), \
            pytest.raises(integrator.LostRace):
        integrator.sequence(E)
    assert not Leaf.objects.filter(index__isnull=False).exists()
    assert state.size == 0
    # the process's tree keeps its first `old` leaves, not rebuilt from every leaf next time
    assert integrator._trees[E].size == 0


@pytest.mark.django_db(transaction=True)
def test_a_tree_ahead_of_the_state_read_is_cut_back_not_rebuilt(django_assert_num_queries):
    heads(9)
    integrator.integrate(E)
    cached = integrator._trees[E]
    root5 = cached.root(5)
    with django_assert_num_queries(0):
        t = integrator.tree(E, 5, root5)
    assert t is cached and (t.size, t.root()) == (5, root5)
    state = logkey.state(E)
    assert integrator.tree(E, state.size, bytes(state.root)).size == 9  # caught up again


@pytest.mark.django_db(transaction=True)
def test_checkpoint_file_rewritten_when_it_lags_the_state():
    heads(2)
    integrator.integrate(E)
    files = LogFiles(E)
    good = files.read("checkpoint")
    files.put("checkpoint", b"stale\n")
    assert not integrator.integrate(E).published
    assert files.read("checkpoint") == good


def test_leaf_times_are_utc_seconds():
    assert outbox.origin(E) == "sailau.kz/kz.test.2026"
    from sailau.tlog import leaves
    assert leaves.at(dt.datetime(2026, 1, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))) \
        == "2026-01-01T00:00:00Z"


@pytest.mark.django_db(transaction=True)
def test_pending_names_each_election_with_leaves_waiting_and_no_other():
    """Read one election at a time from the waiting leaves' index: an election whose leaves
    are all sequenced, between two that wait, is not named; each waiting one is, once."""
    others = ["kz.a.2026", "kz.b.2026", "kz.c.2026"]
    for eid in others:
        outbox.append_many([(eid, "audit-head", "", {"seq": i, "hash": f"{i:064x}"})
                            for i in range(3)])
    integrator.integrate("kz.b.2026")
    assert outbox.pending() == ["kz.a.2026", "kz.c.2026"]
    assert outbox.pending("kz.b.2026") == [] and outbox.pending("kz.c.2026") == ["kz.c.2026"]
    integrator.integrate("kz.a.2026")
    integrator.integrate("kz.c.2026")
    assert outbox.pending() == []
