"""`sailau verify`: an untouched snapshot passes, with no Django; each forgery fails naming the
file, station or level; bad input is named, never a traceback (exit 1, or 2 when unusable)."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sailau.cli import main
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import (
    object_path,
    opened,
    read_manifest,
    relink_chain,
    write_manifest,
)

pytestmark = pytest.mark.django_db


def _copy(src: Path, tmp_path: Path, name: str) -> Path:
    dst = tmp_path / name
    shutil.copytree(src, dst)
    return dst


def _object(folder: Path, name: str) -> Path:
    return object_path(folder, name)


def _rewrite(folder: Path, name: str, body: bytes, chain: bool = True) -> None:
    """A forger with write access to the whole folder: a new object, its hash in the manifest,
    and (with `chain`) the chain's last link rewritten to the forged manifest."""
    m = read_manifest(folder)
    digest = hashlib.sha256(body).hexdigest()
    (folder / "objects" / f"{digest}{Path(name).suffix}").write_bytes(body)
    m["files"][name] = {"sha256": digest, "size": len(body)}
    raw = write_manifest(folder, m)
    if chain:
        relink_chain(folder, m, raw)


def _failures(report) -> list[str]:
    """Each failure of a `--json` report as one line: its check, subject and message."""
    return [f"{f['check']}: {f['subject']}: {f['message']}" for f in report["failures"]]


def _run(capsys, *args) -> tuple[int, str, dict | None]:
    code = main(["verify", *map(str, args)])
    out = capsys.readouterr()
    text = out.out + out.err
    report = json.loads(out.out) if "--json" in args and out.out.strip() else None
    return code, text, report


def _station_with_votes(folder: Path):
    m = read_manifest(folder)
    for name in sorted(n for n in m["files"] if n.startswith("stations/")):
        doc = json.loads(opened(_object(folder, name)))
        for part in doc["contests"]:
            if part["protocol"] and part["protocol"]["choices"]:
                return name, doc, part
    raise AssertionError("no station has reported")


def test_untouched_snapshot_passes_and_a_forged_station_fails(published, tmp_path, capsys):
    code, text, report = _run(capsys, published, "--json")
    assert code == 0, report["failures"][:3]
    assert report["held"]["files"] == len(read_manifest(published)["files"])
    assert report["held"]["totals"] > 0 and report["held"]["outcomes"] > 0
    assert report["held"]["tables"] > 0
    assert report["held"]["signatures"] > 0  # every current protocol, by its commission's key

    # +500 votes for one choice at one station, its file's hash rewritten in the manifest and
    # the manifest's in the chain: the totals above the station no longer add up.
    forged = _copy(published, tmp_path, "forged")
    name, doc, part = _station_with_votes(forged)
    key = min(part["protocol"]["choices"])
    part["protocol"]["choices"][key] += 500
    _rewrite(forged, name, snapshots._dumps(doc))
    # Against the log, the station file is named first: its figures are not its leaf's.
    code, text, report = _run(capsys, forged, "--json")
    assert code == 1
    first = report["first_failure"]
    assert (first["check"], first["subject"]) == ("log", f"{name} ({part['contest']})")
    assert first["message"].startswith("choices differ from leaf")
    # The snapshot's own checks, as for an election published before the log: the totals
    # above the station no longer add up.
    shutil.rmtree(forged / "log")
    code, text, report = _run(capsys, forged, "--json")
    assert code == 1
    first = report["first_failure"]
    assert first["check"] == "totals" and f"choices.{key}" in first["message"]
    assert doc["district"] in first["subject"] or doc["territory"] in first["subject"]
    assert any(f["check"] == "tables" and doc["id"] in f["subject"]
               for f in report["failures"])  # the station table names the station
    assert any(f["check"] == "signatures" and f"station {doc['number']} " in f["subject"]
               for f in report["failures"])  # and so does its signature
    code, text, _ = _run(capsys, forged)
    assert code == 1 and re.search(r"(^|\n)FAILED: totals: commissions/", text)

    # Without rewriting the chain, the manifest itself is caught.
    forged = _copy(published, tmp_path, "forged-nochain")
    _rewrite(forged, name, snapshots._dumps(doc), chain=False)
    code, text, _ = _run(capsys, forged)
    assert code == 1 and "FAILED: chain: manifest.json" in text

    # A published outcome the rule set does not give.
    forged = _copy(published, tmp_path, "forged-outcome")
    m = read_manifest(forged)
    oname = next(n for n in sorted(m["files"]) if n.endswith("/outcome.json"))
    odoc = json.loads(opened(_object(forged, oname)))
    odoc["outcome"] = {"status": "final", "error": "forged"}
    _rewrite(forged, oname, snapshots._dumps(odoc))
    code, text, report = _run(capsys, forged, "--json")
    assert code == 1 and report["first_failure"]["check"] == "outcomes"
    assert report["first_failure"]["subject"] == oname


def test_a_shard_of_the_list_of_files_altered_or_missing_is_named(published, tmp_path, capsys):
    """The manifest lists its files through shards among the objects: one rewritten to drop a
    station (a station removed from the record), or deleted, is named, not taken for a smaller
    election."""
    root = read_manifest(published)
    prefix, ref = min(root["shards"].items())
    forged = _copy(published, tmp_path, "forged-shard")
    path = forged / "objects" / f"{ref['sha256']}.json"
    shard = json.loads(opened(path))
    while "shards" in shard:  # down to the first leaf
        prefix, ref = min(shard["shards"].items())
        path = forged / "objects" / f"{ref['sha256']}.json"
        shard = json.loads(opened(path))
    assert shard["prefix"] == prefix and shard["files"]
    shard["files"].pop(min(shard["files"]))
    path.write_bytes(json.dumps(shard, sort_keys=True, separators=(",", ":")).encode())
    code, text, _ = _run(capsys, forged)
    assert code == 2 and f"shard {prefix}" in text and "SHA-256" in text, text
    path.unlink()
    code, text, _ = _run(capsys, forged)
    assert code == 2 and "a shard of its list of files is missing" in text, text
    assert "Traceback" not in text


def test_bad_input_is_named_never_a_traceback(published, tmp_path, capsys):
    m = read_manifest(published)
    station = next(n for n in sorted(m["files"]) if n.startswith("stations/"))

    truncated = _copy(published, tmp_path, "truncated")
    path = _object(truncated, station)
    path.write_bytes(path.read_bytes()[:20])
    code, text, _ = _run(capsys, truncated)
    assert code == 1 and f"FAILED: files: {station}: SHA-256" in text

    missing = _copy(published, tmp_path, "missing")
    _object(missing, "election.json").unlink()
    code, text, _ = _run(capsys, missing)
    assert code == 1 and "FAILED: files: election.json: named in the manifest but missing" in text

    code, text, _ = _run(capsys, tmp_path / "nowhere")
    assert code == 2 and "no such file or folder" in text
    (tmp_path / "empty").mkdir()
    code, text, _ = _run(capsys, tmp_path / "empty")
    assert code == 2 and "manifest.json" in text
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("[1, 2")
    code, text, _ = _run(capsys, tmp_path / "bad")
    assert code == 2 and "not a snapshot manifest" in text
    code, text, _ = _run(capsys, "http://127.0.0.1:9/snapshots/x/")
    assert code == 2 and "no answer" in text
    assert "Traceback" not in text


def test_scans_match_superseded_or_fail_by_name(published, tmp_path, capsys):
    from sailau.law import get_ruleset
    from sailau.verify import qr, signatures

    _name, doc, part = _station_with_votes(published)
    election = json.loads(opened(_object(published, "election.json")))
    c = next(c for c in election["contests"] if c["id"] == part["contest"])
    form = get_ruleset(c["ruleset"]).form(c["kind"])
    p = part["protocol"]
    lines, votes = qr.ordered(p["figures"], p["choices"], form.keys,
                              [ch["key"] for ch in c["choices"]])
    scans = tmp_path / "scans"
    scans.mkdir()
    assert p["signature"]
    qr.to_image(qr.build(doc["id"], c["id"], p["version"], lines, votes, p["signature"])).save(
        scans / "a.png")
    qr.to_image(qr.build(doc["id"], c["id"], p["version"] - 1, lines, votes)).save(
        scans / "b.png")
    with zipfile.ZipFile(scans / "archive.zip", "w") as z:  # as the site's scan archives
        z.write(scans / "a.png", "180412/a.png")
    code, _text, report = _run(capsys, published, "--scans", scans, "--json")
    assert code == 0, report["failures"]
    assert [(s["file"], s["status"]) for s in report["scans"]] == [
        ("a.png", "matches"), ("archive.zip/180412/a.png", "matches"), ("b.png", "superseded")]
    assert any(n["subject"] == "b.png" and "version" in n["message"] for n in report["notes"])

    wrong = [v + (1 if i == 0 else 0) for i, v in enumerate(votes)]
    qr.to_image(qr.build(doc["id"], c["id"], p["version"], lines, wrong)).save(scans / "c.png")
    (scans / "d.jpg").write_bytes(b"this is not an image")
    # The right figures, signed with a key that is not the station's commission's.
    other = signatures.sign(signatures.new_private_key(), signatures.canonical_bytes(
        {"station": doc["id"], "contest": c["id"], "version": p["version"],
         "figures": p["figures"], "choices": p["choices"]}))
    qr.to_image(qr.build(doc["id"], c["id"], p["version"], lines, votes, other)).save(
        scans / "f.png")
    (scans / "e.zip").write_bytes(b"nor is this an archive")
    code, _text, report = _run(capsys, published, "--scans", scans, "--json")
    assert code == 1
    status = {s["file"]: s["status"] for s in report["scans"]}
    assert status == {"a.png": "matches", "archive.zip/180412/a.png": "matches",
                      "b.png": "superseded", "c.png": "differs", "d.jpg": "unreadable",
                      "e.zip": "unreadable", "f.png": "bad_signature"}
    assert report["first_failure"]["subject"] == "c.png"


def test_runs_with_no_django_and_against_the_served_url(published, live_server, capsys):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = ("import sys; from sailau.cli import main; rc = main(['verify', sys.argv[1]]); "
              "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'; "
              "sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", script, str(published)], env=env, check=False,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"(^|\n)OK: ", r.stdout)

    url = f"{live_server.url}/snapshots/{published.name}/"
    code, text, _ = _run(capsys, url)
    assert code == 0, text
