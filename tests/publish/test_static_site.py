"""The static site inside a snapshot: every link resolves to a file; scans in bulk per
territory with their hashes; /snapshots/ served with the right caching. The files are read
through the "snapshots" storage, as a reader gets them: the data directory, or on the S3 pass
(scripts/test) the bucket the publication was copied to."""

import hashlib
import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from sailau.languages import ENGLISH, LANGUAGES, latin
from sailau.publish.files import scanarchive, sitebake
from sailau.publish.pipeline import snapshot_check, snapshots
from sailau.tlog import gzipped
from sailau.verify.runs import from_runs
from tests.stored import S3, fetch

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v:
                self.refs.append(v)


def _read(name: str) -> bytes:
    with storages["snapshots"].open(name, "rb") as f:
        return f.read()


def _object(eid, manifest, name):
    entry = manifest["files"][name]
    return gzipped.open_object(_read(f"{eid}/objects/{entry['sha256']}.{name.rsplit('.', 1)[1]}"))


def test_every_link_of_the_baked_site_resolves_to_a_file(small_election, snapshot_dir):
    eid = small_election.id
    m = snapshots.publish(eid)
    # The page's own references: files beside it, or hash routes of the viewer.
    parser = Links()
    parser.feed(_read(f"{eid}/index.html").decode())
    files = [r for r in parser.refs if not r.startswith("#")]
    assert set(files) == {"viewer.css", "latin.js", "figures.js", "viewer.js"}
    assert all(storages["snapshots"].exists(f"{eid}/{f}") for f in files)
    assert _read(f"{eid}/index.html") == _object(eid, m, "site/index.html")
    # Every route the viewer links to has its JSON document in the manifest, and it exists.
    js = _read(f"{eid}/viewer.js").decode()
    assert '"commissions/" + id + ".json"' in js and '"stations/" + number + ".json"' in js
    election = json.loads(_object(eid, m, "election.json"))
    todo = [c["commission"] for c in election["contests"]]
    seen, stations = set(), set()
    while todo:
        cid = todo.pop()
        if cid in seen:
            continue
        seen.add(cid)
        doc = json.loads(_object(eid, m, f"commissions/{cid}.json"))
        todo += [ch["id"] for ch in doc["children"]] + doc["ancestors"]
        stations |= set(from_runs(doc.get("station_runs", []), 10**6))
    for n in stations:
        doc = json.loads(_object(eid, m, f"stations/{n}.json"))
        for cid in (doc["territory"], doc["district"]):
            assert f"commissions/{cid}.json" in m["files"]
    assert stations == set(small_election.stations.values_list("number", flat=True))
    # The viewer's words, translated per language from the same catalogues as the site.
    words = json.loads(_object(eid, m, "site/i18n.json"))
    assert set(words) == set(LANGUAGES)
    assert words["ru"]["words"]["Polling station"] != "Polling station"
    assert set(words["kk"]["words"]) == set(sitebake.STRINGS)
    # Every word in every language but English is translated (an English msgid on a Kazakh
    # page is a message left untranslated), Kazakh in Latin script from its catalogue.
    for lang in set(LANGUAGES) - {ENGLISH}:
        assert [w for w in sitebake.STRINGS if words[lang]["words"][w] == w] == [], lang
        assert [k for k, w in sitebake.SOURCES.items() if words[lang]["sources"][k] == w] == []
    assert words["kk-latn"]["words"]["Polling station"] == "Sailau uchaskesı"
    assert words["kk-latn"]["latin"] == latin.table()


def test_snapshot_files_are_served_with_hash_etags(client, small_election, snapshot_dir):
    eid = small_election.id
    m = snapshots.publish(eid)
    entry = m["files"]["election.json"]
    url = f"/snapshots/{eid}/objects/{entry['sha256']}.json"
    # The server's answer, the file itself or (S3) where it is, is for any origin's viewer.
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"
    got = fetch(client, url)
    assert got.status == 200 and hashlib.sha256(got.body).hexdigest() == entry["sha256"]
    assert "immutable" in got.headers["Cache-Control"]
    assert got.headers["Content-Type"] == "application/json"
    assert fetch(client, url, headers={"If-None-Match": got.headers["ETag"]}).status == 304
    page = fetch(client, f"/snapshots/{eid}/")
    assert page.status == 200 and b"viewer.js" in page.body
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    manifest = fetch(client, f"/snapshots/{eid}/manifest.json")
    assert manifest.headers["Cache-Control"] == "public, max-age=5, must-revalidate"
    for bad in (f"/snapshots/{eid}/../../settings.py", f"/snapshots/{eid}/.manifest.json.1.tmp",
                "/snapshots/%2e%2e/x", f"/snapshots/{eid}/objects/nothing.json"):
        assert fetch(client, bad).status == 404, bad
    assert client.post(f"/snapshots/{eid}/manifest.json").status_code == 405


@pytest.fixture
def scans(small_election, settings, tmp_path):
    """Three stored scans in two territories."""
    from django.core.files.storage import default_storage

    from sailau.protocols.models import Protocol
    from sailau.scans.models import Scan

    settings.MEDIA_ROOT = tmp_path / "media"
    out = []
    territories = list(small_election.commissions.filter(level="territorial")[:2])
    for i, t in enumerate([territories[0], territories[0], territories[1]]):
        p = Protocol.objects.filter(station__territory=t, current=True).exclude(
            station__in=[s.station for s in out]).first()
        body = b"\x89PNG fake scan %d" % i
        digest = hashlib.sha256(body).hexdigest()
        name = default_storage.save(f"scans/{digest}.png", ContentFile(body))
        out.append(Scan.objects.create(station=p.station, contest=p.contest, protocol=p,
                                       sha256=digest, file=name, content_type="image/png",
                                       size=len(body), status=Scan.MATCH))
    return out


def test_scans_in_bulk_one_archive_per_territory_with_hashes(small_election, snapshot_dir,
                                                             scans):
    m = snapshots.publish(small_election.id)
    by_t = {}
    for s in scans:
        by_t.setdefault(s.station.territory_id, []).append(s)
    assert {k for k in m["files"] if k.startswith("scans/")} == {f"scans/{t}.zip" for t in by_t}
    for tid, expected in by_t.items():
        z = zipfile.ZipFile(io.BytesIO(_object(small_election.id, m, f"scans/{tid}.zip")))
        sums = dict(reversed(line.split("  ")) for line in
                    z.read("SHA256SUMS").decode().splitlines())
        assert sorted(sums.values()) == sorted(s.sha256 for s in expected)
        for name, digest in sums.items():
            assert hashlib.sha256(z.read(name)).hexdigest() == digest
            assert re.fullmatch(r"\d+/[^/]+/[0-9a-f]{64}\.png", name)
        meta = json.loads(z.read("manifest.json"))
        assert meta["territory"] == tid and len(meta["scans"]) == len(expected)
    # Same scans, same bytes: the archive is content-addressed like every other file.
    t0 = next(iter(by_t))
    assert scanarchive.archive(t0, by_t[t0]) == scanarchive.archive(t0, by_t[t0])
    assert snapshot_check.verify_snapshots(small_election.id) is None


def test_a_scan_file_changed_in_storage_is_refused(small_election, snapshot_dir, scans):
    stored = scans[0].file
    stored.storage.delete(stored.name)
    assert stored.storage.save(stored.name, ContentFile(b"something else")) == stored.name
    scan = type(scans[0]).objects.get(pk=scans[0].pk)
    with pytest.raises(ValueError, match=f"scan {scans[0].id}"):
        scanarchive.archive("t", [scan])


def test_scan_archive_has_a_stable_download_url(client, small_election, snapshot_dir, scans):
    m = snapshots.publish(small_election.id)
    tid = scans[0].station.territory_id
    page = client.get(f"/en/e/{small_election.id}/download/").content.decode()
    url = f"/en/e/{small_election.id}/download/scans/{tid}.zip"
    assert url in page and m["files"][f"scans/{tid}.zip"]["sha256"] in page
    r = client.get(url)
    body = b"".join(r.streaming_content)
    assert r["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    # A file to save, not to show: an attachment with its own name, typed as a zip archive.
    assert r["Content-Type"] == "application/zip"
    assert r["Content-Disposition"] == (
        f'attachment; filename="{small_election.id}.scans.{tid}.zip"')
    assert client.get(f"/en/e/{small_election.id}/download/scans/nowhere.zip").status_code == 404


@pytest.mark.stores_files  # skipped on the local disk, so never found there (tests/storeuse.py)
@pytest.mark.skipif(not S3, reason="a web server without the publisher's data directory reads "
                    "what was published from the bucket: only on the S3 pass (scripts/test)")
def test_downloads_come_from_the_bucket_when_this_server_has_no_copy(
        client, small_election, snapshot_dir, scans):
    """Publisher and web server on separate hosts: the web server has none of the publisher's
    files, so the downloads page reads the manifest from the bucket, and each link sends the
    reader to the published object there (the bytes whose hash the page shows), never rebuilt."""
    import shutil

    m = snapshots.publish(small_election.id)
    shutil.rmtree(snapshots.election_dir(small_election.id))
    assert snapshots.latest_manifest(small_election.id) is None
    eid, tid = small_election.id, scans[0].station.territory_id
    contest = small_election.contests.get(kind="party_list")
    page = client.get(f"/en/e/{eid}/download/").content.decode()
    for name, url in [(f"scans/{tid}.zip", f"/en/e/{eid}/download/scans/{tid}.zip"),
                      (f"contests/{contest.id}/stations.csv",
                       f"/en/e/{eid}/download/{contest.id}/stations.csv")]:
        sha = m["files"][name]["sha256"]
        assert url in page and sha in page
        got = fetch(client, url)
        assert got.redirected_to and got.status == 200
        assert hashlib.sha256(got.body).hexdigest() == sha
    # the API's manifest is the bucket's too
    assert client.get(f"/api/publish/elections/{eid}/snapshot").json()["sequence"] == m["sequence"]


def test_a_restarted_publisher_writes_a_new_builds_viewer_in_its_first_batch(
        small_synthetic, snapshot_dir, monkeypatch):
    """Files a new build writes (a district's stations as runs) need its viewer: the first batch
    of a process writes `site/` when it differs from the latest manifest's, and only once."""
    from sailau.demo.chain import route
    from sailau.demo.load import load
    from sailau.elections.models import Station
    from sailau.publish.pipeline import batches

    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    ids = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    real = sitebake.site_files

    def build(mark: bytes):
        return lambda data: ((n, b + mark if n == "site/viewer.js" else b) for n, b in real(data))

    monkeypatch.setattr(sitebake, "site_files", build(b"\n// a new build\n"))
    monkeypatch.setattr(sitebake, "_VIEWER_CHECKED", set())  # a process just started
    route(small_synthetic, only={ids[0]})
    m = batches.publish_changes(eid)
    assert _object(eid, m, "site/viewer.js").endswith(b"// a new build\n")
    monkeypatch.setattr(sitebake, "site_files", build(b"\n// another\n"))
    route(small_synthetic, only={ids[1]})
    m = batches.publish_changes(eid)
    assert _object(eid, m, "site/viewer.js").endswith(b"// a new build\n")  # once a process
    assert (snapshots.election_dir(eid) / "viewer.js").read_bytes().endswith(b"// a new build\n")


def test_the_viewer_names_a_referendums_parts_in_its_own_words(snapshot_dir):
    """The offline viewer says what the site's pages say of a referendum: participation, not
    turnout; an answer, not a choice; a referendum station and the citizens on its lists, not a
    polling station and voters (`kinds.REFERENDUM`'s wording); the Mazhilis's stay."""
    from tests.web import kind_elections

    e = kind_elections.referendum(regions=2)
    m = snapshots.publish(e.id)
    words = json.loads(_object(e.id, m, "site/i18n.json"))
    assert words["ru"]["words"]["Turnout"] == "Участие в референдуме"
    assert words["kk"]["words"]["Choice"] == "Жауап"
    assert words["kk-latn"]["words"]["Turnout"] == latin.from_cyrillic("Референдумға қатысу")
    assert words["en"]["words"]["Turnout"] == "Participation in the referendum"
    # its stations and the citizens on their lists, as the site's pages name them
    assert words["ru"]["words"]["Polling station"] == "Участок референдума"
    assert words["kk"]["words"]["Polling stations"] == "Референдум учаскелері"
    assert words["en"]["words"]["Registered voters"] == "Citizens on the lists"
    assert "избирател" not in json.dumps(words["ru"], ensure_ascii=False).lower()
