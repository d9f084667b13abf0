"""Cached pages: a second visit is served from the cache or answered 304, and an amendment,
a scan recheck or new totals are shown at once (never a stale protocol)."""

import datetime as dt

import pytest
from django.core.cache import caches

from sailau.elections.models import Commission
from sailau.protocols.models import Protocol, Tally

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _amend(election, protocol):
    """Move two votes between the two leading choices through the protocol chain."""
    from sailau.protocols import services
    from sailau.protocols.catalog import Catalog
    from tests.chain_fixtures import People

    fig, cho = dict(protocol.figures), dict(protocol.choices)
    src, dst = sorted(cho, key=lambda k: -cho[k])[:2]
    cho[src] -= 2
    cho[dst] += 2
    form = Catalog().contest(protocol.contest_id).form
    acks = [f.code for f in form.check(fig, cho) if f.severity == "warning"]
    coord = People(election).coordinator(protocol.station.territory_id)
    services.amend(coord, protocol.station_id, protocol.contest_id, fig, cho, "77/1",
                   election.date + dt.timedelta(days=1), "recount ordered", acks)
    return src, dst, cho


def test_station_page_is_cached_revalidated_and_never_stale(client, small_election):
    p = Protocol.objects.filter(station__election=small_election, current=True,
                                contest__kind="party_list").first()
    url = f"/en/e/{small_election.id}/s/{p.station.number}/"
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    # Another language is another page.
    assert client.get(url.replace("/en/", "/ru/"))["ETag"] != first["ETag"]

    _amend(small_election, p)
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss" and after["ETag"] != first["ETag"]
    html = after.content.decode()
    assert "Version 2" in html and "77/1" in html
    # The old ETag no longer gets a 304: the visitor is sent the amended protocol.
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_unknown_query_parameters_are_the_same_page(client, small_election):
    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    url = f"/en/e/{small_election.id}/s/{p.station.number}/"
    first = client.get(url)
    # A query string the page does not read neither bypasses the cache nor adds an entry.
    hits = [client.get(url, {"utm_source": "x", "n": i}) for i in range(3)]
    assert [r["X-Page-Cache"] for r in hits] == ["hit"] * 3
    assert {r["ETag"] for r in hits} == {first["ETag"]}


def test_scan_recheck_changes_the_station_page(client, small_election):
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        pytest.skip("the scans app is not installed")
    from sailau.scans.models import Scan

    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    url = f"/en/e/{small_election.id}/s/{p.station.number}/"
    before = client.get(url)
    Scan.objects.create(station=p.station, contest=p.contest, protocol=p, sha256="ab" * 32,
                        file="scans/x.png", content_type="image/png", size=10,
                        status=Scan.MATCH)
    with_scan = client.get(url)
    assert with_scan["ETag"] != before["ETag"] and "ab" * 32 in with_scan.content.decode()
    Scan.objects.filter(station=p.station).update(status=Scan.MISMATCH, reason="figures")
    rechecked = client.get(url)
    assert rechecked["ETag"] != with_scan["ETag"] and "figures" in rechecked.content.decode()


def test_commission_and_election_pages_follow_their_tallies(client, small_election):
    t = Commission.objects.filter(election=small_election, level="territorial").first()
    contest = small_election.contests.get(kind="party_list")
    urls = [f"/kk/e/{small_election.id}/c/{t.id}/", f"/kk/e/{small_election.id}/"]
    first = [client.get(u) for u in urls]
    assert [client.get(u)["X-Page-Cache"] for u in urls] == ["hit", "hit"]
    p = Protocol.objects.filter(station__territory=t, contest=contest, current=True).first()
    before = Tally.objects.get(contest=contest, commission=t).choices
    _src, dst, _cho = _amend(small_election, p)
    tally = Tally.objects.get(contest=contest, commission=t)
    assert tally.choices[dst] == before[dst] + 2  # the chain moved the totals
    for u, old in zip(urls, first):
        r = client.get(u)
        assert r["X-Page-Cache"] == "miss" and r.content != old.content, u
    votes = f"{tally.choices[dst]:,}".replace(",", "\u202f")
    assert votes in client.get(urls[0]).content.decode()


def test_a_tally_written_with_the_same_totals_is_a_new_page(client, small_election):
    """An amendment can leave every total as it was (a line moved back, a typo's twin) and
    still move the page's "as of": the page follows when its tallies were written."""
    url = f"/kk/e/{small_election.id}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    Tally.objects.filter(contest__election=small_election).update(
        updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_unknown_station_is_a_404_and_not_cached(client, small_election):
    r = client.get(f"/en/e/{small_election.id}/s/999999/")
    assert r.status_code == 404 and "X-Page-Cache" not in r


def test_station_state_is_one_query_that_follows_every_row_the_page_shows(
        small_election, django_assert_num_queries, monkeypatch, tmp_path):
    import os

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))  # the report file below is a fake

    from sailau.elections.models import Station
    from sailau.integrity import service as integrity
    from sailau.protocols.models import StepTime
    from sailau.publish.pages.pagecache import station_rows

    def station_state(election_id, number):  # the page's state but for the log
        found = station_rows(election_id, number)
        return found and found.state

    s = Station.objects.filter(election=small_election).order_by("number").first()
    with django_assert_num_queries(1):
        first = station_state(small_election.id, s.number)
    assert station_state(small_election.id, s.number) == first
    assert station_state(small_election.id, 999999) is None
    assert station_state("no.such.election", s.number) is None

    seen = {first}

    def changed():
        state = station_state(small_election.id, s.number)
        assert state not in seen
        seen.add(state)

    StepTime.objects.create(station=s, step="tabulated", at=small_election_day(small_election))
    changed()
    Station.objects.filter(id=s.id).update(addresses={"kk": "a new address"})
    changed()
    # The integrity report the flags come from is rewritten: the page may show other flags.
    contest = integrity.tables.principal_contest(small_election.id)
    path = integrity.directory(contest) / "integrity.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    changed()
    os.utime(path, ns=(1, 1))
    changed()


def small_election_day(election):
    return dt.datetime.combine(election.date, dt.time(21, 0), tzinfo=dt.UTC)


def test_the_page_file_cache_culls_now_and_then_not_before_every_write(tmp_path, monkeypatch):
    from sailau.publish.pages.pagecache import PageFileCache

    monkeypatch.setattr(PageFileCache, "_writes", 0)
    monkeypatch.setattr(PageFileCache, "CULL_EVERY", 3)
    cache = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 2, "CULL_FREQUENCY": 2}})
    for i in range(5):
        cache.set(f"page:{i}", (b"<html>%d</html>" % i, "text/html"))
    # Culled once, at the third write (2 files → 1): 1 + 3 written since. Culling before every
    # write, as Django does, would keep 2.
    assert len(list(tmp_path.glob("*.djcache"))) == 4
    assert cache.get("page:4") == (b"<html>4</html>", "text/html")


def test_a_change_of_code_is_a_new_build():
    """An upgrade that changes only Python code (a view, a template tag) must not be served the
    pages cached by the old code: the build stamp follows .py files as it follows templates."""
    import os

    from sailau.publish.pages import pagecache

    code = pagecache.__file__
    before = pagecache._build()
    st = os.stat(code)
    try:
        os.utime(code, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert pagecache._build() != before
    finally:
        os.utime(code, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert pagecache._build() == before
