"""The demo's commissions sign a chunk behind the build (`commission_keys.Signing(beside=True)`):
each chunk's signatures are made while the next chunk is typed and submitted after it, each
chunk's amendments once its own signatures are in, the last chunk's at `close`; what failed
beside fails the build. Signed at once (`beside=False`), each chunk is submitted before the
next is typed."""

from concurrent.futures import Future

import pytest

from sailau.demo import commission_keys


class _Later:
    """The process beside, in this process: a job runs when its result is asked for."""

    def __init__(self, events):
        self.events = events

    def submit(self, fn, ids, files):
        self.events.append(("begun", tuple(ids)))
        job = Future()
        job.ask = lambda: fn(ids, files)
        return job


def _signing(monkeypatch, beside):
    events = []

    def signed(ids, files, catalog=None):
        if "bad" in ids:
            raise ValueError("a key file that is not one")
        return [(sid, "c", 1, f"sig-{sid}", "k") for sid in ids]

    monkeypatch.setattr(commission_keys, "signed", signed)
    monkeypatch.setattr(commission_keys, "submit", lambda sigs, members, catalog, at=None:
                        events.append(("submitted", tuple(s[0] for s in sigs))))
    monkeypatch.setattr(Future, "result", lambda self, timeout=None: self.ask())
    files = {s: f"{s}.key" for s in ("a", "b", "c", "d", "bad")}
    pool = _Later(events) if beside else None
    return commission_keys.Signing({}, files, None, beside=pool), events


def test_each_chunk_is_submitted_after_the_next_is_begun(monkeypatch):
    signing, events = _signing(monkeypatch, beside=True)
    signing.chunk(["a", "b"], None, lambda: events.append(("amended", "a b")))
    events.append(("typed", "c"))
    signing.chunk(["c"], None, lambda: events.append(("amended", "c")))
    events.append(("typed", "d"))
    signing.chunk(["d"], None)
    signing.close()
    assert events == [
        ("begun", ("a", "b")), ("typed", "c"),
        ("begun", ("c",)), ("submitted", ("a", "b")), ("amended", "a b"), ("typed", "d"),
        ("begun", ("d",)), ("submitted", ("c",)), ("amended", "c"),
        ("submitted", ("d",))]


def test_signed_at_once_without_a_process(monkeypatch):
    signing, events = _signing(monkeypatch, beside=False)
    monkeypatch.setattr(commission_keys, "sign", lambda ids, *a: events.append(("signed", *ids)))
    signing.chunk(["a"], None, lambda: events.append(("amended", "a")))
    signing.chunk(["b"], None)
    signing.close()
    assert events == [("signed", "a"), ("amended", "a"), ("signed", "b")]


def test_what_failed_beside_fails_the_build(monkeypatch):
    signing, events = _signing(monkeypatch, beside=True)
    signing.chunk(["bad"], None)
    with pytest.raises(ValueError, match="not one"):
        signing.close()
    assert not any(e[0] == "submitted" for e in events)
