"""The audit log's hash chain: appends in one order, and verify names the first record that
was edited, deleted or moved."""

import itertools

import pytest
from django.db import connection

from sailau import audit
from sailau.audit.models import Head, Record

pytestmark = pytest.mark.django_db


def fill(n=6):
    for i in range(n):
        audit.append(f"user{i}", "entry.finalised", f"station{i}", {"entry": 1, "n": i,
                                                                  "text": "Қазақша"})


def sql(statement, *params):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def test_intact_chain_verifies():
    fill()
    v = audit.verify()
    assert v.ok and v.records == 6
    recs = list(Record.objects.order_by("seq"))
    assert recs[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(recs))
    assert Head.objects.get().seq == 6


def test_edited_record_is_named():
    fill()
    table = Record._meta.db_table
    sql(f"UPDATE {table} SET actor = %s WHERE seq = %s", "mallory", 4)
    v = audit.verify()
    assert (v.ok, v.seq) == (False, 4) and "edited" in v.problem


def test_edited_payload_is_named():
    fill()
    r = Record.objects.get(seq=2)
    r.payload = {**r.payload, "n": 99}
    r.save()
    assert audit.verify().seq == 2


def test_edit_with_recomputed_hash_breaks_the_next_link():
    from sailau.audit.chain import record_hash

    fill()
    r = Record.objects.get(seq=3)
    r.payload = {"forged": True}
    r.hash = record_hash(r.prev_hash, r.seq, r.at, r.actor, r.action, r.subject, r.payload)
    r.save()
    v = audit.verify()
    assert v.seq == 4 and "does not link" in v.problem


def test_deleted_record_is_named():
    fill()
    Record.objects.filter(seq=3).delete()
    v = audit.verify()
    assert (v.ok, v.seq) == (False, 3) and "missing" in v.problem


def test_deleted_last_record_is_named_by_the_head():
    fill()
    Record.objects.filter(seq=6).delete()
    v = audit.verify()
    assert (v.ok, v.seq) == (False, 6)


def test_reordered_records_are_named():
    fill()
    table = Record._meta.db_table
    # Swap the contents of records 2 and 5, keeping each place's sequence number.
    a, b = Record.objects.get(seq=2), Record.objects.get(seq=5)
    for src, dst in ((a, 5), (b, 2)):
        sql(f"UPDATE {table} SET actor=%s, subject=%s, payload=%s, prev_hash=%s, hash=%s "
            "WHERE seq=%s", src.actor, src.subject, audit.canonical(src.payload), src.prev_hash,
            src.hash, dst)
    v = audit.verify()
    assert (v.ok, v.seq) == (False, 2)


def test_append_many_keeps_one_order():
    audit.append_many([("a", "x", "s", {"i": i}) for i in range(50)])
    audit.append("b", "y", "s")
    assert audit.verify().ok
    assert list(Record.objects.values_list("seq", flat=True)) == list(range(1, 52))


def test_cut_tail_with_the_head_deleted_is_named_and_appends_refuse():
    fill(6)
    Record.objects.filter(seq__gte=4).delete()
    Head.objects.all().delete()
    v = audit.verify()
    assert not v.ok and "head is missing" in v.problem
    from sailau.audit.chain import AuditTampered

    with pytest.raises(AuditTampered):
        audit.append("a", "x", "s")
    assert Record.objects.count() == 3


def test_empty_log_starts_a_chain():
    audit.append("a", "x", "s")
    assert audit.verify().ok and Head.objects.get().seq == 1


def test_bulk_hash_of_canonical_text_equals_the_hash_of_the_content():
    """Bulk appends hash the payload's canonical text spliced into the record's content; it
    must be exactly the hash `verify` recomputes from the content (any payload, any text)."""
    import datetime as dt
    import hashlib

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sailau.audit import canonical
    from sailau.audit.chain import _hash_text, record_hash

    text = st.text(max_size=12)
    payloads = st.recursive(st.none() | st.booleans() | st.integers() | text,
                            lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(text, inner, max_size=3), max_leaves=8)
    at = dt.datetime(2023, 3, 19, 20, 5, tzinfo=dt.UTC)

    @settings(max_examples=200, deadline=None)
    @given(st.dictionaries(text, payloads, max_size=4), text, text, text,
           st.integers(1, 10**9))
    def check(payload, actor, action, subject, seq):
        content = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
                   "action": action, "subject": subject, "payload": payload}
        expected = hashlib.sha256(("p" + canonical(content)).encode()).hexdigest()
        assert record_hash("p", seq, at, actor, action, subject, payload) == expected
        assert _hash_text("p", seq, content["at"], actor, action, subject,
                          canonical(payload)) == expected

    check()
