"""The results pages while the log moves: a station page's body is kept by the station's rows
and what the log means for its own protocols, a commission's and the national page's by their
tallies, the log's banner once per log state and count for every page, and the two are joined
when a page is asked for. Whatever is kept, each page after each change must be byte for byte
the page rendered cold from the database: after a checkpoint signed, cosigned by one
witness then by both, an amendment (waiting for the log, then in it, then witnessed), and a
witness falling behind, in every language. A part kept under a key that misses what it
depends on shows an old banner or an old badge, and fails here."""

import datetime as dt

import pytest
from django.utils import timezone

from sailau import clock
from sailau.ledger import cosign, integrator, outbox, tl
from sailau.ledger.models import LogState, Witness
from sailau.protocols.models import Protocol
from sailau.publish.pages import logbanner, pagecache
from tests.publish.test_pagecache import _amend

pytestmark = pytest.mark.django_db

LANGS = ("kk", "ru", "en")
# The banner's "ago" is read against the clock, stopped an hour after the election is loaded:
# later than every protocol the fixture stored, so that an amendment is later than the version
# it replaces, as on a real night (a results page's "as of" is the latest protocol counted).
LATER = dt.timedelta(hours=1)


def _cosign(e, witnesses):
    """These witnesses cosign the log's latest checkpoint."""
    row = LogState.objects.get(pk=e.id)
    root = integrator.root_at(e.id, row.size, row.root, row.checkpoint_size)
    body = tl.Checkpoint(row.origin, row.checkpoint_size, root).body()
    for w in witnesses:
        cosign.receive(e.id, body, w.cosign(body, int(timezone.now().timestamp())))


def _checkpoint(e, reason: str):
    """A new checkpoint that none of the stations' protocols is in (a leaf of the log's own)."""
    outbox.append(e.id, "structure-change", e.id, clock.now(), contests=[],
                  witnesses=list(Witness.objects.filter(election_id=e.id).order_by("name")
                                 .values_list("verifier_key", flat=True)), reason=reason)
    integrator.integrate(e.id)


def _pages(client, e, numbers) -> dict:
    """The station pages of `numbers`, and the results pages above them (their commissions',
    the CEC's and the national page), which keep their bodies apart from the banner too."""
    from sailau.elections.models import Commission, Station

    above = {c for s in Station.objects.filter(election=e, number__in=numbers)
             for c in (s.district_id, s.territory_id)}
    above |= set(Commission.objects.filter(election=e, level=Commission.CEC)
                 .values_list("id", flat=True))
    paths = {**{n: f"s/{n}/" for n in numbers}, **{c: f"c/{c}/" for c in sorted(above)},
             "national": ""}
    out = {}
    for k, path in paths.items():
        for lang in LANGS:
            r = client.get(f"/{lang}/e/{e.id}/{path}")
            assert r.status_code == 200, (k, lang)
            out[(k, lang)] = r.content
    return out


def _same_as_cold(client, e, numbers) -> dict:
    warm = _pages(client, e, numbers)
    pagecache._cache().clear()
    cold = _pages(client, e, numbers)
    for k in warm:
        assert warm[k] == cold[k], f"{k}: the page joined from kept parts differs from a cold render"
    return warm


@pytest.fixture
def night(request, tmp_path, monkeypatch):
    """The small election's log with two witnesses, its clock stopped, the page cache empty.
    The election is loaded in this test's data directory: its commissions' keys sign there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = request.getfixturevalue("small_election")
    now = timezone.now().replace(microsecond=0) + LATER
    monkeypatch.setattr(clock, "now", lambda: now)
    integrator._trees.clear()
    pagecache._cache().clear()
    ws = [tl.Witness.generate(f"w{i}.observers.kz") for i in range(2)]
    for w in ws:
        cosign.add_witness(e.id, w.verifier_key())
    integrator.integrate(e.id)
    yield e, ws
    pagecache._cache().clear()


def test_the_station_page_joined_from_kept_parts_is_a_cold_render(client, night):
    e, ws = night
    p = Protocol.objects.filter(station__election=e, current=True,
                                contest__kind="party_list").first()
    q = Protocol.objects.filter(station__election=e, current=True).exclude(
        station=p.station).first()
    numbers = [p.station.number, q.station.number]
    seen = [_same_as_cold(client, e, numbers)]  # signed by the log, cosigned by nobody

    def step():
        pages = _same_as_cold(client, e, numbers)
        assert pages != seen[-1]  # every change below shows on the pages
        seen.append(pages)
        return pages

    _cosign(e, ws[:1])  # one witness of two
    step()
    _cosign(e, ws[1:])  # then both: every protocol is witnessed
    both = step()
    assert "In a checkpoint the witnesses cosigned" in both[(p.station.number, "en")].decode()

    _checkpoint(e, "a new checkpoint")  # nobody has cosigned it yet
    step()
    _cosign(e, ws)
    step()

    _amend(e, p)  # a new version, its leaf waiting for the log
    pages = step()
    amended = pages[(p.station.number, "en")].decode()
    assert "Version 2" in amended and "Signed by the log, not yet by the witnesses" in amended
    for k in (p.station.district_id, "national"):  # counted above it, not yet witnessed
        assert "signed by the log alone, not yet by the witnesses: 1." in pages[(k, "en")].decode()
    integrator.integrate(e.id)  # in the log
    step()
    _cosign(e, ws)  # witnessed
    pages = step()
    assert "Signed by the log, not yet" not in pages[(p.station.number, "en")].decode()
    for k in (p.station.district_id, "national"):
        assert "No protocol counted here rests on a leaf" in pages[(k, "en")].decode()

    # A witness falls behind: the checkpoints go on without it.
    _checkpoint(e, "the second witness is away")
    _cosign(e, ws[:1])
    behind = step()[(q.station.number, "en")].decode()
    assert "A witness is behind since" in behind
    _checkpoint(e, "still away")
    _cosign(e, ws[:1])
    step()


def test_a_page_whose_station_did_not_change_is_one_query_when_the_log_moves(
        client, night, django_assert_max_num_queries):
    e, ws = night
    stations = [p.station.number for p in Protocol.objects.filter(
        station__election=e, current=True, contest__kind="party_list")[:2]]
    urls = [f"/ru/e/{e.id}/s/{n}/" for n in stations]
    _cosign(e, ws)  # their protocols are witnessed: moving on, the log changes only the banner
    for u in urls:
        client.get(u)
    _checkpoint(e, "the log moves")
    _cosign(e, ws)
    assert client.get(urls[1])["X-Page-Cache"] == "hit"  # its body, the banner rendered anew
    # One statement: the station's rows, the checkpoint's size, each witness's latest
    # cosignature; no render.
    with django_assert_max_num_queries(1):
        r = client.get(urls[0])
    assert r["X-Page-Cache"] == "hit"


def test_results_pages_are_not_rendered_again_when_only_the_log_moves(client, night):
    """A commission's page and the national page: a new checkpoint and its cosignatures change
    their banner, not their results, and they are joined from the kept page."""
    from sailau.elections.models import Commission

    e, ws = night
    district = Commission.objects.filter(election=e, level=Commission.DISTRICT).first()
    urls = [f"/kk/e/{e.id}/c/{district.id}/", f"/kk/e/{e.id}/"]
    _cosign(e, ws)
    before = [client.get(u) for u in urls]
    assert [r["X-Page-Cache"] for r in before] == ["miss", "miss"]
    _checkpoint(e, "the log moves")
    _cosign(e, ws)
    after = [client.get(u) for u in urls]
    assert [r["X-Page-Cache"] for r in after] == ["hit", "hit"]
    assert [r.content for r in after] != [r.content for r in before]  # the banner moved


def test_the_witnessed_size_follows_witnesses_that_skip_checkpoints(night):
    """Read from each witness's latest cosignatures, stepping down when they differ, it is the
    size every witness cosigned, as counting the witnesses of every size says."""
    e, ws = night

    def witnessed():
        got = logbanner.witnessed_size(e.id, len(ws))
        assert got == logbanner._witnessed_by_count(e.id, len(ws))
        assert logbanner.current(e.id).witnessed == got
        return got

    assert witnessed() == 0  # nobody has cosigned
    _cosign(e, ws)
    first = LogState.objects.get(pk=e.id).checkpoint_size
    assert witnessed() == first
    _checkpoint(e, "b")
    _cosign(e, ws[1:])  # the second alone cosigns the next
    assert witnessed() == first
    _checkpoint(e, "c")
    _cosign(e, ws[:1])  # the first skips that one and cosigns the one after
    # Their latest differ (c, b), and the first never cosigned b: only the first is witnessed.
    assert witnessed() == first
    _cosign(e, ws[1:])  # the second cosigns c too
    assert witnessed() == LogState.objects.get(pk=e.id).checkpoint_size > first
    assert logbanner.witnessed_size(e.id, 0) is None
