"""One byte stream per published name: every file the downloads page lists, in each language,
is the file whose SHA-256 the page shows and the manifest lists; single-member districts are
there with their candidates named; Parquet holds the CSV's table; the manifests' chain."""

import csv
import hashlib
import io
import itertools
import json
import re

import pytest

from sailau.elections.models import Contest
from sailau.languages.latin import from_cyrillic
from sailau.publish.pipeline import snapshot_check, snapshots

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<a href="([^"]+)" data-name="([^"]+)"><code class="file">[^<]+</code></a></th>'
                 r'<td><code class="hash">([0-9a-f—-]+)</code>')


def _body(r) -> bytes:
    return b"".join(r.streaming_content) if r.streaming else r.content


def _listed(client, eid, lang):
    page = client.get(f"/{lang}/e/{eid}/download/")
    assert page.status_code == 200
    return page.content.decode(), ROW.findall(page.content.decode())


def test_every_listed_file_in_every_language_has_the_listed_hash(client, small_election,
                                                                 snapshot_dir):
    manifest = snapshots.publish(small_election.id)
    smd = small_election.contests.filter(kind=Contest.SINGLE_MEMBER).first()
    assert smd is not None
    seen = {}
    for lang in ("kk", "ru", "en"):
        html, rows = _listed(client, small_election.id, lang)
        names = {name for _, name, _ in rows}
        assert f"contests/{smd.id}/stations.csv" in names  # single-member districts too
        assert f"contests/{smd.id}/stations.parquet" in names
        assert f"contests/{smd.id}/outcome.json" in names  # what verify decides again
        # ... with their candidates named, not only their keys
        for ch in smd.choices.all():
            assert ch.name(lang) in html
        for url, name, listed in rows:
            assert listed == manifest["files"][name]["sha256"], name
            r = client.get(url)
            body = _body(r)
            assert r.status_code == 200, url
            assert hashlib.sha256(body).hexdigest() == listed, (lang, name)
            assert r["X-Content-SHA256"] == listed
            seen.setdefault(name, set()).add(listed)
    assert all(len(v) == 1 for v in seen.values())
    assert len(seen) == len(rows)


def test_files_are_language_neutral_and_name_everything(client, small_election, snapshot_dir):
    snapshots.publish(small_election.id)
    smd = small_election.contests.filter(kind=Contest.SINGLE_MEMBER).first()
    base = f"/e/{small_election.id}/download/{smd.id}"
    choices = _body(client.get(f"/en{base}/choices.csv")).decode()
    rows = list(csv.DictReader(io.StringIO(choices)))
    assert {r["key"] for r in rows} == {ch.key for ch in smd.choices.all()}
    for r in rows:
        ch = smd.choices.get(key=r["key"])
        assert (r["name_kk"], r["name_kk_latn"], r["name_ru"], r["name_en"]) == (
            ch.name("kk"), from_cyrillic(ch.name("kk")), ch.name("ru"), ch.name("en"))
    stations = _body(client.get(f"/ru{base}/stations.csv")).decode()
    header = stations.splitlines()[0].split(",")
    assert {"region_kk_latn", "region_ru", "region_en", "district_kk_latn", "district_ru",
            "district_en"} <= set(header)
    # Kazakh in Latin script is the Kazakh column transliterated, row by row.
    for r in csv.DictReader(io.StringIO(stations)):
        assert (r["region_kk_latn"], r["district_kk_latn"]) == (
            from_cyrillic(r["region"]), from_cyrillic(r["district"]))
        assert "\u0400" > max(r["region_kk_latn"] + r["district_kk_latn"])
    level = _body(client.get(f"/kk{base}/smd.csv")).decode()
    assert {"name_kk", "name_kk_latn", "name_ru", "name_en"} <= set(
        level.splitlines()[0].split(","))
    for r in csv.DictReader(io.StringIO(level)):
        assert r["name_kk_latn"] == from_cyrillic(r["name_kk"]) != r["name_kk"]
    doc = json.loads(_body(client.get(f"/en{base}/stations.json")))
    assert doc["stations"][0]["region"]["kk-latn"] == from_cyrillic(
        doc["stations"][0]["region"]["kk"])


def test_parquet_holds_the_csv_table(client, small_election, snapshot_dir):
    import pyarrow.parquet as pq

    snapshots.publish(small_election.id)
    contest = small_election.contests.get(kind="party_list")
    for table in ("stations", "territorial"):
        base = f"/kk/e/{small_election.id}/download/{contest.id}/{table}"
        rows = list(csv.DictReader(io.StringIO(_body(client.get(f"{base}.csv")).decode())))
        parquet = pq.read_table(io.BytesIO(_body(client.get(f"{base}.parquet")))).to_pylist()
        assert len(parquet) == len(rows) > 0
        for a, b in zip(rows, parquet, strict=True):
            assert {k: ("" if v is None else str(v)) for k, v in b.items()} == a


def test_manifest_chain_survives_pruned_bodies(small_election, snapshot_dir, monkeypatch):
    from sailau.publish.storage import store

    monkeypatch.setattr(store, "KEEP_MANIFESTS", 2)
    eid = small_election.id
    for _ in range(3):
        snapshots.publish(eid)
    # Within the readers' window a body is kept beyond the last KEEP_MANIFESTS: a verify that
    # began with it still finds what it names (`retention` keeps that while the body is there).
    kept = sorted(p.name for p in (snapshots.election_dir(eid) / "manifests").iterdir())
    assert kept == ["00000001.json", "00000002.json", "00000003.json"]
    monkeypatch.setattr(store, "RETAIN", 0.0)  # the window passed
    last = snapshots.publish(eid)
    kept = sorted(p.name for p in (snapshots.election_dir(eid) / "manifests").iterdir())
    assert kept == ["00000003.json", "00000004.json"]
    links = store.chain(eid)
    assert [link["sequence"] for link in links] == [1, 2, 3, 4]
    assert links[0]["previous"] is None
    for a, b in itertools.pairwise(links):
        assert b["previous"] == a["sha256"]
    body = (snapshots.election_dir(eid) / "manifest.json").read_bytes()
    assert hashlib.sha256(body).hexdigest() == links[-1]["sha256"]
    assert json.loads(body)["sequence"] == last["sequence"] == 4
    assert snapshot_check.verify_snapshots() is None


def test_a_link_serves_the_listed_bytes_after_a_later_publication(client, small_election,
                                                                   snapshot_dir):
    """The page is read, a protocol changes and the election is published again, then the link
    is followed (a night's publisher between a reader's page and click): the bytes served are
    still those whose hash the page listed. Their address serves the new ones."""
    from tests.protocol_edits import add_a_vote

    snapshots.publish(small_election.id)
    _, rows = _listed(client, small_election.id, "ru")
    contest = small_election.contests.get(kind="party_list")
    url, _, listed = next(r for r in rows if r[1] == f"contests/{contest.id}/district.csv")
    add_a_vote(small_election)
    newer = snapshots.publish(small_election.id)["files"][f"contests/{contest.id}/district.csv"]
    assert newer["sha256"] != listed
    r = client.get(url)
    assert r.status_code == 200
    assert hashlib.sha256(_body(r)).hexdigest() == listed == r["X-Content-SHA256"]
    latest = client.get(url.split("?")[0])
    assert hashlib.sha256(_body(latest)).hexdigest() == newer["sha256"]
    # an object no longer kept, or no hash at all: refused in the page's language, never
    # other bytes
    gone = client.get(url.split("?")[0] + "?sha256=" + "0" * 64)
    assert gone.status_code == 404 and "текущая указана на странице загрузок" in gone.content.decode()
    bad = client.get(url.split("?")[0] + "?sha256=abc")
    assert bad.status_code == 422 and "шестнадцатеричные" in bad.content.decode()


def test_text_is_sent_as_stored_gzip_to_a_client_that_accepts_it(client, small_election,
                                                                  snapshot_dir):
    """Published text is stored gzip'd (sailau.tlog.gzipped): a browser gets those bytes with
    Content-Encoding, `curl` without --compressed the file itself; the same file either way,
    the one whose hash the page shows. Parquet is compressed inside and sent as it is."""
    from sailau.tlog import gzipped

    manifest = snapshots.publish(small_election.id)
    contest = small_election.contests.get(kind="party_list")
    base = f"/kk/e/{small_election.id}/download/{contest.id}/stations"
    listed = manifest["files"][f"contests/{contest.id}/stations.csv"]
    gz = client.get(f"{base}.csv", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(f"{base}.csv")
    assert gz["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gz["Vary"] == plain["Vary"] == "Accept-Encoding"
    packed, opened = _body(gz), _body(plain)
    assert gzipped.is_gzipped(packed) and len(packed) < listed["size"]
    assert gzipped.open_object(packed) == opened
    assert hashlib.sha256(opened).hexdigest() == listed["sha256"]
    # A Parquet table too (its footer names every column, uncompressed): opened for a client
    # that does not take gzip, the same bytes its entry names.
    parquet = client.get(f"{base}.parquet", HTTP_ACCEPT_ENCODING="gzip")
    packed, whole = _body(parquet), _body(client.get(f"{base}.parquet"))
    listed = manifest["files"][f"contests/{contest.id}/stations.parquet"]
    assert parquet["Content-Encoding"] == "gzip" and len(packed) < listed["size"]
    assert whole.startswith(b"PAR1") and gzipped.open_object(packed) == whole
    assert hashlib.sha256(whole).hexdigest() == listed["sha256"]
